// Compiling a template's criteria into lookup tables, and the numeric fast path that
// reads them (one code byte per answer).
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/text.h"
#include "criteria/internal.h"
#include "signalkit/criteria.h"
#include "signalkit/json_schema.h"
#include "validation/schema_cache.h"

namespace signalkit {

CompiledCriteria::CompiledCriteria() = default;
CompiledCriteria::~CompiledCriteria() = default;
CompiledCriteria::CompiledCriteria(CompiledCriteria&&) noexcept = default;
CompiledCriteria& CompiledCriteria::operator=(CompiledCriteria&&) noexcept = default;

bool CompiledCriteria::compile(const json::Value& tmpl, const CriteriaOptions& options,
                               Issues* issues) {
  *this = CompiledCriteria();
  options_ = options;
  if (!tmpl.is_object()) {
    if (issues)
      issues->push_back(Issue{"", "type", "the template must be an object, not " +
                                              a_type_name(tmpl)});
    return false;
  }
  if (!read_answer_type(tmpl.find("answerType"), issues)) return false;
  read_weight(tmpl.find("weight"));

  json::Value criteria = tmpl.find("qualificationCriteria");
  // A stored template may carry {} for "no criteria" whatever its type (that is what the
  // API returns); only non-empty criteria are checked here.
  has_criteria_ = criteria.valid() && criteria.is_object() && criteria.size() > 0;
  if (has_criteria_ && !check_criteria(type_, criteria, options_, issues)) return false;
  if (criteria.valid() && !criteria.is_null() && !criteria.is_object())
    return check_criteria(type_, criteria, options_, issues);

  if (type_ == AnswerType::kJsonSchema && options_.validate_json_schema &&
      !compile_output_schema(tmpl.find("outputSchema"), issues))
    return false;
  if (!has_criteria_) return true;

  switch (criteria_shape(type_)) {
    case CriteriaShape::kRanges:
      compile_ranges(criteria.find("ranges"));
      if (!linear_) build_segments();
      break;
    case CriteriaShape::kBoolean: compile_boolean(criteria); break;
    case CriteriaShape::kChoices: compile_choices(criteria.find("choices")); break;
    case CriteriaShape::kNone: break;
  }
  return true;
}

bool CompiledCriteria::read_answer_type(const json::Value& at, Issues* issues) {
  if (!at.valid() || at.is_null()) return true;  // open_text
  if (at.is_string() && parse_answer_type(at.as_string(), &type_)) return true;
  if (issues)
    issues->push_back(Issue{"answerType", "enum", "answerType must be one of " +
                                                      criteria_internal::answer_type_list() +
                                                      ", not " + describe_value(at)});
  return false;
}

void CompiledCriteria::read_weight(const json::Value& w) {
  weight_name_ = (w.valid() && w.is_string()) ? std::string(w.as_string()) : options_.default_weight;
  if (w.valid() && !w.is_null() && !w.is_string()) weight_name_ = "";
  if (weight_name_ == "important") weight_ = options_.weight_important;
  else if (weight_name_ == "nice_to_have") weight_ = options_.weight_nice_to_have;
  else if (weight_name_ == "not_important") weight_ = options_.weight_not_important;
  else weight_ok_ = false;
}

bool CompiledCriteria::compile_output_schema(const json::Value& schema, Issues* issues) {
  if (!schema.valid() || schema.is_null()) return true;
  schema_ = schema_cache::get(schema, "outputSchema", issues);
  return schema_ != nullptr;
}

// Ranges in document order; with lastRangeInclusive the range(s) with the greatest finite
// rangeEnd include that end.
void CompiledCriteria::compile_ranges(const json::Value& ranges) {
  int idx = 0;
  double greatest = -std::numeric_limits<double>::infinity();
  for (json::Value r : ranges.items()) {
    Range g;
    json::Value lo = r.find("rangeStart"), hi = r.find("rangeEnd");
    g.lo_null = !lo.valid() || lo.is_null();
    g.hi_null = !hi.valid() || hi.is_null();
    g.lo = g.lo_null ? -std::numeric_limits<double>::infinity() : lo.as_number();
    g.hi = g.hi_null ? std::numeric_limits<double>::infinity() : hi.as_number();
    g.inclusive_end = false;
    parse_qualification(r.find("answerQualification").as_string(), &g.q);
    g.index = idx++;
    greatest = std::max(greatest, g.hi);
    ranges_.push_back(g);
  }
  if (options_.last_range_inclusive && std::isfinite(greatest))
    for (Range& g : ranges_)
      if (!g.hi_null && g.hi == greatest) g.inclusive_end = true;
  linear_ = options_.allow_overlaps;
}

// The segment table for ranges that do not overlap: effective ends (an inclusive end is
// the next double up) and starts split the line into segments, each inside one range or
// a gap, so a number's code is one search among the bounds.
void CompiledCriteria::build_segments() {
  std::vector<const Range*> sorted;
  for (const Range& g : ranges_) {
    sorted.push_back(&g);
    if (!g.lo_null) bounds_.push_back(g.lo);
    double end = g.inclusive_end ? std::nextafter(g.hi, std::numeric_limits<double>::infinity())
                                 : g.hi;
    if (std::isfinite(end)) bounds_.push_back(end);
  }
  std::sort(bounds_.begin(), bounds_.end());
  bounds_.erase(std::unique(bounds_.begin(), bounds_.end()), bounds_.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const Range* a, const Range* b) { return a->lo < b->lo; });
  uint8_t unmatched = static_cast<uint8_t>(options_.unmatched);
  for (size_t s = 0; s <= bounds_.size(); ++s) {
    double p = s == 0 ? -std::numeric_limits<double>::infinity() : bounds_[s - 1];
    int found = -1;
    // Ranges do not overlap, so only the last one starting at or before p can hold it.
    auto it = std::upper_bound(sorted.begin(), sorted.end(), p,
                               [](double x, const Range* r) { return x < r->lo; });
    if (it != sorted.begin()) {
      const Range* r = *(it - 1);
      double end = r->inclusive_end ? std::nextafter(r->hi, std::numeric_limits<double>::infinity())
                                    : r->hi;
      if (p < end) found = r->index;
    }
    seg_range_.push_back(found);
    seg_code_.push_back(found < 0 ? unmatched
                                  : static_cast<uint8_t>(static_cast<uint8_t>(ranges_[found].q) |
                                                         kCodeMatched));
  }
}

void CompiledCriteria::compile_boolean(const json::Value& criteria) {
  json::Value y = criteria.find("yes"), n = criteria.find("no");
  if (y.valid()) has_yes_ = parse_qualification(y.as_string(), &yes_);
  if (n.valid()) has_no_ = parse_qualification(n.as_string(), &no_);
}

// Choices in document order, indexed by their folded key and (option matchLabels) label.
void CompiledCriteria::compile_choices(const json::Value& choices) {
  for (auto m : choices.members()) {
    Choice c;
    c.key.assign(m.key);
    parse_qualification(m.value.find("answerQualification").as_string(), &c.q);
    int idx = static_cast<int>(choices_.size());
    choices_.push_back(c);
    auto add = [&](std::string_view text) {
      std::string f = criteria_internal::fold_choice(text);
      if (f.empty()) return;
      auto& v = choice_index_[f];
      if (std::find(v.begin(), v.end(), idx) == v.end()) v.push_back(idx);
    };
    add(m.key);
    json::Value label = m.value.find("label");
    if (options_.match_labels && label.is_string()) add(label.as_string());
  }
}

namespace {
template <size_t M>
void count_bounds(const double* b, const uint8_t* sc, const double* in, size_t n, uint8_t* out) {
  double bb[M > 0 ? M : 1];
  for (size_t j = 0; j < M; ++j) bb[j] = b[j];
  for (size_t i = 0; i < n; ++i) {
    double x = in[i];
    size_t k = 0;
    for (size_t j = 0; j < M; ++j) k += bb[j] <= x;
    out[i] = (x - x == 0) ? sc[k] : kCodeError;  // x - x is NaN for NaN and ±inf
  }
}
}  // namespace

uint8_t CompiledCriteria::code_for_number(double x, int* range) const {
  *range = -1;
  if (!has_criteria_ || criteria_shape(type_) != CriteriaShape::kRanges)
    return static_cast<uint8_t>(Qualification::kNeutral);
  if (linear_) {
    for (const Range& g : ranges_) {
      if (x >= g.lo && (x < g.hi || (g.inclusive_end && x == g.hi))) {
        *range = g.index;
        return static_cast<uint8_t>(static_cast<uint8_t>(g.q) | kCodeMatched);
      }
    }
    return static_cast<uint8_t>(options_.unmatched);
  }
  size_t k = std::upper_bound(bounds_.begin(), bounds_.end(), x) - bounds_.begin();
  *range = seg_range_[k];
  return seg_code_[k];
}

void CompiledCriteria::evaluate_numbers(const double* in, size_t n, uint8_t* out) const {
  bool ranges = has_criteria_ && criteria_shape(type_) == CriteriaShape::kRanges;
  if (ranges && !linear_) {
    const double* b = bounds_.data();
    const uint8_t* sc = seg_code_.data();
    size_t m = bounds_.size();
    if (m <= 12) {
      // Counting the bounds ≤ x without branches beats a binary search for the few
      // ranges real templates have; a fixed count lets the compiler unroll it.
      switch (m) {
        case 0: count_bounds<0>(b, sc, in, n, out); break;
        case 1: count_bounds<1>(b, sc, in, n, out); break;
        case 2: count_bounds<2>(b, sc, in, n, out); break;
        case 3: count_bounds<3>(b, sc, in, n, out); break;
        case 4: count_bounds<4>(b, sc, in, n, out); break;
        case 5: count_bounds<5>(b, sc, in, n, out); break;
        case 6: count_bounds<6>(b, sc, in, n, out); break;
        case 7: count_bounds<7>(b, sc, in, n, out); break;
        case 8: count_bounds<8>(b, sc, in, n, out); break;
        case 9: count_bounds<9>(b, sc, in, n, out); break;
        case 10: count_bounds<10>(b, sc, in, n, out); break;
        case 11: count_bounds<11>(b, sc, in, n, out); break;
        default: count_bounds<12>(b, sc, in, n, out); break;
      }
    } else {
      for (size_t i = 0; i < n; ++i) {
        double x = in[i];
        if (!(x - x == 0)) { out[i] = kCodeError; continue; }
        out[i] = sc[std::upper_bound(b, b + m, x) - b];
      }
    }
    return;
  }
  if (criteria_shape(type_) == CriteriaShape::kRanges ||
      criteria_shape(type_) == CriteriaShape::kNone) {
    if (type_ == AnswerType::kJsonSchema && schema_) {
      // A number is a JSON instance like any other: validate it.
      json::Document doc;
      for (size_t i = 0; i < n; ++i) {
        if (!std::isfinite(in[i])) { out[i] = kCodeError; continue; }
        std::string text = number_text(in[i]);
        doc.parse(text);
        out[i] = evaluate(doc.root()).batch_code();
      }
      return;
    }
    for (size_t i = 0; i < n; ++i) {
      int r;
      out[i] = std::isfinite(in[i]) ? code_for_number(in[i], &r) : kCodeError;
    }
    return;
  }
  // boolean and list templates: a number is read as its text
  json::Document doc;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(in[i])) { out[i] = kCodeError; continue; }
    std::string text = number_text(in[i]);
    doc.parse(text);
    out[i] = evaluate(doc.root()).batch_code();
  }
}

}  // namespace signalkit

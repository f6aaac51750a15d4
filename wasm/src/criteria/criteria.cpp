// Qualification criteria: vocabulary, options, checking, compiling and evaluating one
// answer. The JSON-in/JSON-out evaluator and the fit score are in evaluator.cpp.
#include "signalkit/criteria.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <list>
#include <utility>

#include "signalkit/json_schema.h"
#include "common/text.h"
#include "common/whitespace.h"

namespace signalkit {
namespace {

constexpr const char* kQualificationNames[kQualificationCount] = {
    "disqualified", "poor", "neutral", "good", "excellent"};
constexpr const char* kAnswerTypeNames[] = {
    "open_text", "number", "boolean", "list", "percentage", "currency", "url", "contacts",
    "contacts_generation", "contact_posts", "contact_engagements", "json_schema"};
constexpr const char* kQualificationList = "disqualified, poor, neutral, good, excellent";

std::string join_path(const std::string& base, std::string_view key) {
  std::string p = base;
  append_path_key(p, key);
  return p;
}
std::string index_path(const std::string& base, size_t i) {
  return base + "[" + std::to_string(i) + "]";
}

// Collects issues up to the cap.
struct Sink {
  Issues* out;
  size_t added = 0;
  bool full() const { return added >= kMaxCriteriaIssues; }
  void add(std::string field, const char* code, std::string message) {
    if (full()) return;
    ++added;
    if (out) out->push_back(Issue{std::move(field), code, std::move(message)});
  }
};

void unknown_member(Sink* sink, const std::string& path, std::string_view key,
                    const std::vector<std::string>& allowed, const std::string& where) {
  std::string msg = join_path(path, key) + " is not a field of " + where;
  std::string s = suggest(key, allowed);
  if (!s.empty()) msg += "; did you mean \"" + s + "\"?";
  else {
    msg += "; allowed: ";
    for (size_t i = 0; i < allowed.size(); ++i) msg += (i ? ", " : "") + allowed[i];
  }
  sink->add(join_path(path, key), "unknown_field", msg);
}

// Checks a qualification value; returns true and sets *q when valid.
bool check_qualification(Sink* sink, const json::Value& v, const std::string& path,
                         Qualification* q) {
  if (!v.is_string()) {
    sink->add(path, "type", path + " must be a string (one of " + kQualificationList +
                                "), not " + a_type_name(v));
    return false;
  }
  if (!parse_qualification(v.as_string(), q)) {
    sink->add(path, "enum", path + " must be one of " + kQualificationList + ", not " +
                                describe_value(v));
    return false;
  }
  return true;
}

std::string bound_text(bool is_null, double v) { return is_null ? "null" : number_text(v); }

struct CheckedRange {
  double lo, hi;
  bool lo_null, hi_null;
  Qualification q;
  size_t index;
  bool bounds_ok;  // both bounds readable (number or null) and ordered
};

// Reads and checks ranges; fills `out` with every range (usable or not).
void check_ranges(AnswerType type, const json::Value& ranges, const CriteriaOptions& options,
                  const std::string& path, Sink* sink, std::vector<CheckedRange>* out) {
  static const std::vector<std::string> kRangeFields = {"rangeStart", "rangeEnd",
                                                        "answerQualification"};
  size_t i = 0;
  for (json::Value r : ranges.items()) {
    if (sink->full()) return;
    // Paths are built only when an issue is reported: valid criteria (every template
    // validated before a request) must not pay for strings nobody reads.
    const size_t index = i;
    auto rp = [&] { return index_path(path, index); };
    CheckedRange cr{-std::numeric_limits<double>::infinity(),
                    std::numeric_limits<double>::infinity(), true, true,
                    Qualification::kNeutral, i, true};
    ++i;
    if (!r.is_object()) {
      sink->add(rp(), "type", rp() + " must be an object {rangeStart, rangeEnd, "
                                     "answerQualification}, not " + a_type_name(r));
      cr.bounds_ok = false;
      out->push_back(cr);
      continue;
    }
    for (auto m : r.members()) {
      if (m.key != "rangeStart" && m.key != "rangeEnd" && m.key != "answerQualification")
        unknown_member(sink, rp(), m.key, kRangeFields, "a range");
    }
    for (int side = 0; side < 2; ++side) {
      const char* name = side == 0 ? "rangeStart" : "rangeEnd";
      json::Value b = r.find(name);
      if (!b.valid() || b.is_null()) continue;
      auto bp = [&] { return join_path(rp(), name); };
      if (!b.is_number()) {
        sink->add(bp(), "type", bp() + " must be a number or null (unbounded), not " +
                                    a_type_name(b));
        cr.bounds_ok = false;
        continue;
      }
      double v = b.as_number();
      if (!std::isfinite(v)) {
        sink->add(bp(), "not_finite", bp() + " must be a finite number, not " +
                                          std::string(b.raw().substr(0, 40)));
        cr.bounds_ok = false;
        continue;
      }
      if (type == AnswerType::kPercentage && options.percentage_bounds && (v < 0 || v > 100)) {
        sink->add(bp(), "out_of_range", bp() + " is " + number_text(v) +
                                            ", outside 0–100 (a percentage bound)");
      }
      if (side == 0) { cr.lo = v; cr.lo_null = false; } else { cr.hi = v; cr.hi_null = false; }
    }
    json::Value q = r.find("answerQualification");
    if (!q.valid()) {
      std::string qp = join_path(rp(), "answerQualification");
      sink->add(qp, "required", qp + " is required (one of " + kQualificationList + ")");
    } else if (!(q.is_string() && parse_qualification(q.as_string(), &cr.q))) {
      check_qualification(sink, q, join_path(rp(), "answerQualification"), &cr.q);
    }
    if (!cr.lo_null && !cr.hi_null && cr.lo >= cr.hi) {
      std::string ep = join_path(rp(), "rangeEnd");
      sink->add(ep, "range_order", rp() + " has rangeStart " + number_text(cr.lo) +
                                       " ≥ rangeEnd " + number_text(cr.hi) +
                                       "; a range is rangeStart ≤ x < rangeEnd");
      cr.bounds_ok = false;
    }
    out->push_back(cr);
  }
}

void check_overlaps(const std::vector<CheckedRange>& ranges, const std::string& path,
                    Sink* sink) {
  // Only ranges whose bounds are readable and ordered take part (the others already
  // have an issue).
  std::vector<const CheckedRange*> v;
  for (const auto& r : ranges)
    if (r.bounds_ok) v.push_back(&r);
  std::stable_sort(v.begin(), v.end(), [](const CheckedRange* a, const CheckedRange* b) {
    if (a->lo != b->lo) return a->lo < b->lo;
    return a->index < b->index;
  });
  // Sweep: the range reaching furthest so far overlaps every later range starting
  // before its end (ranges are half-open, so touching ends do not overlap).
  const CheckedRange* reach = nullptr;
  for (const CheckedRange* r : v) {
    if (sink->full()) return;
    if (reach && r->lo < reach->hi) {
      const CheckedRange* first = reach->index < r->index ? reach : r;
      const CheckedRange* second = reach->index < r->index ? r : reach;
      std::string fp = index_path(path, first->index), sp = index_path(path, second->index);
      sink->add(sp, "range_overlap",
                sp + " [" + bound_text(second->lo_null, second->lo) + ", " +
                    bound_text(second->hi_null, second->hi) + ") overlaps " + fp + " [" +
                    bound_text(first->lo_null, first->lo) + ", " +
                    bound_text(first->hi_null, first->hi) + ")");
    }
    if (!reach || r->hi > reach->hi) reach = r;
  }
}

std::string fold_choice(std::string_view s) {
  std::string out(trim_answer_text(s));
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The shared compiled-schema cache for json_schema templates, keyed by the outputSchema
// text: templates are usually evaluated many times, and compiling a schema costs far
// more than validating an answer.
struct SchemaEntry {
  std::string text;
  json::Document doc;  // the compiled schema may keep views into its document
  std::shared_ptr<const JsonSchema> schema;
};
std::list<SchemaEntry>& schema_cache() {
  static std::list<SchemaEntry> cache;
  return cache;
}
constexpr size_t kSchemaCacheSize = 32;

std::shared_ptr<const JsonSchema> compiled_schema(const json::Value& schema, Issues* issues) {
  auto& cache = schema_cache();
  std::string_view raw = schema.raw();
  for (auto it = cache.begin(); it != cache.end(); ++it) {
    if (it->text == raw) {
      cache.splice(cache.begin(), cache, it);
      return cache.front().schema;
    }
  }
  cache.emplace_front();
  SchemaEntry& e = cache.front();
  e.text.assign(raw);
  if (!e.doc.parse(e.text, kMaxBodyBytes, kMaxDepth)) {
    if (issues)
      issues->push_back(Issue{"outputSchema", "invalid_schema",
                              "outputSchema could not be read: " + e.doc.error().message});
    cache.pop_front();
    return nullptr;
  }
  auto s = JsonSchema::compile(e.doc.root(), issues, "outputSchema");
  if (!s) {
    cache.pop_front();
    return nullptr;
  }
  e.schema = std::shared_ptr<const JsonSchema>(std::move(s));
  if (cache.size() > kSchemaCacheSize) cache.pop_back();
  return e.schema;
}

}  // namespace

// ---------------------------------------------------------------------------------------

const char* qualification_name(Qualification q) {
  int i = static_cast<int>(q);
  return i >= 0 && i < kQualificationCount ? kQualificationNames[i] : "neutral";
}
bool parse_qualification(std::string_view s, Qualification* out) {
  for (int i = 0; i < kQualificationCount; ++i)
    if (s == kQualificationNames[i]) {
      *out = static_cast<Qualification>(i);
      return true;
    }
  return false;
}
const char* evaluation_code_name(EvaluationCode c) {
  switch (c) {
    case EvaluationCode::kNone: return "";
    case EvaluationCode::kNoAnswer: return "no_answer";
    case EvaluationCode::kUnparseableAnswer: return "unparseable_answer";
    case EvaluationCode::kInvalidAnswer: return "invalid_answer";
    case EvaluationCode::kInvalidCriteria: return "invalid_criteria";
    case EvaluationCode::kInvalidTemplate: return "invalid_template";
    case EvaluationCode::kInvalidOptions: return "invalid_options";
    case EvaluationCode::kInvalidBatch: return "invalid_batch";
  }
  return "";
}
const char* answer_type_name(AnswerType t) { return kAnswerTypeNames[static_cast<int>(t)]; }
bool parse_answer_type(std::string_view s, AnswerType* out) {
  for (size_t i = 0; i < sizeof kAnswerTypeNames / sizeof *kAnswerTypeNames; ++i)
    if (s == kAnswerTypeNames[i]) {
      *out = static_cast<AnswerType>(i);
      return true;
    }
  return false;
}
CriteriaShape criteria_shape(AnswerType t) {
  switch (t) {
    case AnswerType::kNumber:
    case AnswerType::kPercentage:
    case AnswerType::kCurrency: return CriteriaShape::kRanges;
    case AnswerType::kBoolean: return CriteriaShape::kBoolean;
    case AnswerType::kList: return CriteriaShape::kChoices;
    default: return CriteriaShape::kNone;
  }
}

// ---------------------------------------------------------------------------------------
// Options

bool parse_criteria_options(std::string_view json_text, CriteriaOptions* out, Issues* issues) {
  *out = CriteriaOptions();
  if (trim_answer_text(json_text).empty()) return true;
  json::Document doc;
  if (!doc.parse(json_text)) {
    if (issues) issues->push_back(Issue{"", "invalid_option", "options are not JSON: " +
                                                                  doc.error().message});
    return false;
  }
  return parse_criteria_options(doc.root(), out, issues);
}

bool parse_criteria_options(const json::Value& v, CriteriaOptions* out, Issues* issues) {
  *out = CriteriaOptions();
  if (!v.valid() || v.is_null()) return true;
  bool ok = true;
  auto bad = [&](std::string field, std::string msg) {
    ok = false;
    if (issues) issues->push_back(Issue{std::move(field), "invalid_option", std::move(msg)});
  };
  if (!v.is_object()) {
    bad("", "options must be an object, not " + a_type_name(v));
    return false;
  }
  static const std::vector<std::string> kNames = {
      "lastRangeInclusive", "unmatched", "allowOverlaps", "percentageBounds", "parseText",
      "matchLabels", "listCombine", "validateJsonSchema", "weights", "points", "veto",
      "defaultWeight"};
  for (auto m : v.members()) {
    const json::Value& x = m.value;
    std::string name(m.key);
    auto want_bool = [&](bool* dst) {
      if (x.is_bool()) *dst = x.as_bool();
      else bad(name, "option " + name + " must be true or false, not " + a_type_name(x));
    };
    if (name == "lastRangeInclusive") want_bool(&out->last_range_inclusive);
    else if (name == "allowOverlaps") want_bool(&out->allow_overlaps);
    else if (name == "percentageBounds") want_bool(&out->percentage_bounds);
    else if (name == "parseText") want_bool(&out->parse_text);
    else if (name == "matchLabels") want_bool(&out->match_labels);
    else if (name == "validateJsonSchema") want_bool(&out->validate_json_schema);
    else if (name == "veto") want_bool(&out->veto);
    else if (name == "unmatched") {
      if (!x.is_string() || !parse_qualification(x.as_string(), &out->unmatched))
        bad(name, std::string("option unmatched must be one of ") + kQualificationList +
                      ", not " + describe_value(x));
    } else if (name == "listCombine") {
      std::string_view s = x.as_string();
      if (x.is_string() && s == "disqualifiedWins") out->list_combine = ListCombine::kDisqualifiedWins;
      else if (x.is_string() && s == "best") out->list_combine = ListCombine::kBest;
      else if (x.is_string() && s == "worst") out->list_combine = ListCombine::kWorst;
      else bad(name, "option listCombine must be one of disqualifiedWins, best, worst, not " +
                         describe_value(x));
    } else if (name == "defaultWeight") {
      std::string_view s = x.as_string();
      if (x.is_string() && (s == "important" || s == "nice_to_have" || s == "not_important"))
        out->default_weight.assign(s);
      else bad(name, "option defaultWeight must be one of important, nice_to_have, "
                     "not_important, not " + describe_value(x));
    } else if (name == "weights" || name == "points") {
      if (!x.is_object()) {
        bad(name, "option " + name + " must be an object, not " + a_type_name(x));
        continue;
      }
      for (auto w : x.members()) {
        std::string field = name + "." + std::string(w.key);
        double* dst = nullptr;
        if (name == "weights") {
          if (w.key == "important") dst = &out->weight_important;
          else if (w.key == "nice_to_have") dst = &out->weight_nice_to_have;
          else if (w.key == "not_important") dst = &out->weight_not_important;
        } else {
          Qualification q;
          if (parse_qualification(w.key, &q)) dst = &out->points[static_cast<int>(q)];
        }
        if (!dst) {
          bad(field, "option " + field + " is not known; " + name + " takes " +
                         (name == "weights" ? "important, nice_to_have, not_important"
                                            : kQualificationList));
          continue;
        }
        double d = w.value.as_number();
        if (!w.value.is_number() || !std::isfinite(d) || d < 0)
          bad(field, "option " + field + " must be a finite number ≥ 0, not " +
                         describe_value(w.value));
        else *dst = d;
      }
    } else {
      std::string s = suggest(name, kNames);
      bad(name, "unknown option " + name + (s.empty() ? "" : "; did you mean " + s + "?"));
    }
  }
  return ok;
}

// ---------------------------------------------------------------------------------------
// Checking

bool check_criteria(AnswerType type, const json::Value& criteria, const CriteriaOptions& options,
                    Issues* issues, const std::string& prefix) {
  Sink sink{issues};
  if (!criteria.valid() || criteria.is_null()) return true;
  if (!criteria.is_object()) {
    sink.add(prefix, "type", prefix + " must be an object, not " + a_type_name(criteria));
    return false;
  }
  // {} is "no criteria" for the types that take none and for boolean (both keys are
  // optional); ranges and choices are required, as the template schema says.
  const std::string type_name = answer_type_name(type);
  switch (criteria_shape(type)) {
    case CriteriaShape::kNone:
      if (criteria.size() == 0) return true;
      sink.add(prefix, "not_applicable",
               prefix + " must be absent or {} for answerType \"" + type_name +
                   "\", which takes no qualification criteria");
      return false;
    case CriteriaShape::kRanges: {
      for (auto m : criteria.members())
        if (m.key != "ranges")
          unknown_member(&sink, prefix, m.key, {"ranges"},
                         "the criteria of answerType \"" + type_name + "\"");
      json::Value ranges = criteria.find("ranges");
      std::string rp = join_path(prefix, "ranges");
      if (!ranges.valid()) {
        sink.add(rp, "required", rp + " is required for answerType \"" + type_name + "\"");
        break;
      }
      if (!ranges.is_array()) {
        sink.add(rp, "type", rp + " must be an array of ranges, not " + a_type_name(ranges));
        break;
      }
      if (ranges.size() == 0) {
        sink.add(rp, "too_few",
                 rp + " is empty; give at least one range, or leave qualificationCriteria out");
        break;
      }
      std::vector<CheckedRange> checked;
      check_ranges(type, ranges, options, rp, &sink, &checked);
      if (!options.allow_overlaps) check_overlaps(checked, rp, &sink);
      break;
    }
    case CriteriaShape::kBoolean: {
      for (auto m : criteria.members()) {
        std::string kp = join_path(prefix, m.key);
        if (m.key == "yes" || m.key == "no") {
          Qualification q;
          check_qualification(&sink, m.value, kp, &q);
        } else {
          unknown_member(&sink, prefix, m.key, {"yes", "no"}, "boolean criteria");
        }
      }
      break;
    }
    case CriteriaShape::kChoices: {
      for (auto m : criteria.members())
        if (m.key != "choices")
          unknown_member(&sink, prefix, m.key, {"choices"}, "list criteria");
      json::Value choices = criteria.find("choices");
      std::string cp = join_path(prefix, "choices");
      if (!choices.valid()) {
        sink.add(cp, "required", cp + " is required for answerType \"list\"");
        break;
      }
      if (!choices.is_object()) {
        sink.add(cp, "type", cp + " must be an object keyed by choice, not " +
                                 a_type_name(choices));
        break;
      }
      if (choices.size() == 0) {
        sink.add(cp, "too_few_properties",
                 cp + " is empty; give at least one choice, or leave qualificationCriteria out");
        break;
      }
      static const std::vector<std::string> kChoiceFields = {"answerQualification", "label"};
      for (auto m : choices.members()) {
        if (sink.full()) break;
        std::string kp = join_path(cp, m.key);
        if (whitespace::is_blank(m.key))
          sink.add(kp, "blank", kp + ": a choice key must not be empty or only white space");
        if (!m.value.is_object()) {
          sink.add(kp, "type", kp + " must be an object {answerQualification, label}, not " +
                                   a_type_name(m.value));
          continue;
        }
        for (auto f : m.value.members())
          if (f.key != "answerQualification" && f.key != "label")
            unknown_member(&sink, kp, f.key, kChoiceFields, "a choice");
        json::Value q = m.value.find("answerQualification");
        std::string qp = join_path(kp, "answerQualification");
        Qualification qq;
        if (!q.valid())
          sink.add(qp, "required", qp + " is required (one of " + kQualificationList + ")");
        else
          check_qualification(&sink, q, qp, &qq);
        json::Value label = m.value.find("label");
        if (label.valid() && !label.is_null() && !label.is_string()) {
          std::string lp = join_path(kp, "label");
          sink.add(lp, "type", lp + " must be a string, not " + a_type_name(label));
        }
      }
      break;
    }
  }
  return sink.added == 0;
}

// ---------------------------------------------------------------------------------------
// Compiling

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
  json::Value at = tmpl.find("answerType");
  if (at.valid() && !at.is_null()) {
    if (!at.is_string() || !parse_answer_type(at.as_string(), &type_)) {
      if (issues) {
        std::string msg = "answerType must be one of ";
        for (size_t i = 0; i < sizeof kAnswerTypeNames / sizeof *kAnswerTypeNames; ++i)
          msg += std::string(i ? ", " : "") + kAnswerTypeNames[i];
        issues->push_back(Issue{"answerType", "enum", msg + ", not " + describe_value(at)});
      }
      return false;
    }
  }
  // weight
  json::Value w = tmpl.find("weight");
  weight_name_ = (w.valid() && w.is_string()) ? std::string(w.as_string()) : options.default_weight;
  if (w.valid() && !w.is_null() && !w.is_string()) weight_name_ = "";
  if (weight_name_ == "important") weight_ = options.weight_important;
  else if (weight_name_ == "nice_to_have") weight_ = options.weight_nice_to_have;
  else if (weight_name_ == "not_important") weight_ = options.weight_not_important;
  else weight_ok_ = false;

  json::Value criteria = tmpl.find("qualificationCriteria");
  // A stored template may carry {} for "no criteria" whatever its type (that is what the
  // API returns); only non-empty criteria are checked here.
  has_criteria_ = criteria.valid() && criteria.is_object() && criteria.size() > 0;
  if (has_criteria_ && !check_criteria(type_, criteria, options, issues)) return false;
  if (criteria.valid() && !criteria.is_null() && !criteria.is_object())
    return check_criteria(type_, criteria, options, issues);

  if (type_ == AnswerType::kJsonSchema && options.validate_json_schema) {
    json::Value schema = tmpl.find("outputSchema");
    if (schema.valid() && !schema.is_null()) {
      schema_ = compiled_schema(schema, issues);
      if (!schema_) return false;
    }
  }
  if (!has_criteria_) return true;

  switch (criteria_shape(type_)) {
    case CriteriaShape::kRanges: {
      int idx = 0;
      double greatest = -std::numeric_limits<double>::infinity();
      for (json::Value r : criteria.find("ranges").items()) {
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
      if (options.last_range_inclusive && std::isfinite(greatest))
        for (Range& g : ranges_)
          if (!g.hi_null && g.hi == greatest) g.inclusive_end = true;
      linear_ = options.allow_overlaps;
      if (linear_) break;
      // Segment table: effective ends (an inclusive end is the next double up) and
      // starts split the line into segments, each inside one range or a gap.
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
      uint8_t unmatched = static_cast<uint8_t>(options.unmatched);
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
      break;
    }
    case CriteriaShape::kBoolean: {
      json::Value y = criteria.find("yes"), n = criteria.find("no");
      if (y.valid()) has_yes_ = parse_qualification(y.as_string(), &yes_);
      if (n.valid()) has_no_ = parse_qualification(n.as_string(), &no_);
      break;
    }
    case CriteriaShape::kChoices: {
      for (auto m : criteria.find("choices").members()) {
        Choice c;
        c.key.assign(m.key);
        parse_qualification(m.value.find("answerQualification").as_string(), &c.q);
        int idx = static_cast<int>(choices_.size());
        choices_.push_back(c);
        auto add = [&](std::string_view text) {
          std::string f = fold_choice(text);
          if (f.empty()) return;
          auto& v = choice_index_[f];
          if (std::find(v.begin(), v.end(), idx) == v.end()) v.push_back(idx);
        };
        add(m.key);
        json::Value label = m.value.find("label");
        if (options.match_labels && label.is_string()) add(label.as_string());
      }
      break;
    }
    case CriteriaShape::kNone: break;
  }
  return true;
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

// ---------------------------------------------------------------------------------------
// Evaluating

uint8_t Evaluation::batch_code() const {
  if (code == EvaluationCode::kNoAnswer) return kCodeNoAnswer;
  if (code != EvaluationCode::kNone) return kCodeError;
  return static_cast<uint8_t>(static_cast<uint8_t>(qualification) | (matched ? kCodeMatched : 0));
}

namespace {
void set_error(Evaluation* e, EvaluationCode code, std::string reason) {
  e->code = code;
  e->reason = std::move(reason);
  e->matched = false;
}
}  // namespace

namespace {
// The items of a JSON array of strings/numbers/booleans (nulls skipped); false when an item
// is an array or object.
bool list_items_from_array(const json::Value& array, std::vector<std::string>* items) {
  if (!array.is_array()) return false;
  for (json::Value item : array.items()) {
    if (item.is_string()) {
      std::string_view t = trim_answer_text(item.as_string());
      if (!t.empty()) items->emplace_back(t);
    } else if (item.is_number() || item.is_bool()) {
      items->emplace_back(item.raw());
    } else if (!item.is_null()) {
      return false;
    }
  }
  return true;
}
}  // namespace

void CompiledCriteria::evaluate_list(const std::vector<std::string>& items, Evaluation* e) const {
  e->value_kind = Evaluation::ValueKind::kList;
  std::vector<int> hits;
  for (const std::string& item : items) {
    auto it = choice_index_.find(fold_choice(item));
    if (it == choice_index_.end()) continue;
    for (int c : it->second)
      if (std::find(hits.begin(), hits.end(), c) == hits.end()) hits.push_back(c);
  }
  if (hits.empty()) {
    e->qualification = has_criteria_ ? options_.unmatched : Qualification::kNeutral;
    e->matched = false;
    e->reason = has_criteria_ ? "no item of the answer is a known choice"
                              : "the template has no qualification criteria";
    return;
  }
  Qualification best = choices_[hits[0]].q, worst = best;
  bool disq = false;
  for (int c : hits) {
    Qualification q = choices_[c].q;
    e->matched_choices.push_back(choices_[c].key);
    best = std::max(best, q);
    worst = std::min(worst, q);
    disq = disq || q == Qualification::kDisqualified;
  }
  e->matched = true;
  switch (options_.list_combine) {
    case ListCombine::kDisqualifiedWins:
      e->qualification = disq ? Qualification::kDisqualified : best;
      break;
    case ListCombine::kBest: e->qualification = best; break;
    case ListCombine::kWorst: e->qualification = worst; break;
  }
}

Evaluation CompiledCriteria::evaluate(const json::Value& answer) const {
  Evaluation e;
  if (!answer.valid() || answer.is_null() || (answer.is_string() && trim_answer_text(answer.as_string()).empty())) {
    set_error(&e, EvaluationCode::kNoAnswer, "no answer was given");
    return e;
  }
  const std::string tname = answer_type_name(type_);
  switch (criteria_shape(type_)) {
    case CriteriaShape::kRanges: {
      NumberKind kind = type_ == AnswerType::kPercentage ? NumberKind::kPercentage
                        : type_ == AnswerType::kCurrency ? NumberKind::kCurrency
                                                         : NumberKind::kNumber;
      double x = 0;
      if (answer.is_number()) {
        x = answer.as_number();
        if (!std::isfinite(x)) {
          set_error(&e, EvaluationCode::kUnparseableAnswer,
                    "the answer is not a finite number (NaN, Infinity or too large)");
          return e;
        }
      } else if (answer.is_string()) {
        if (!options_.parse_text) {
          set_error(&e, EvaluationCode::kUnparseableAnswer,
                    "the answer is text and text answers are not parsed (option parseText is "
                    "false)");
          return e;
        }
        std::string reason;
        if (!parse_number_answer(answer.as_string(), kind, &x, &e.currency, &reason)) {
          set_error(&e, EvaluationCode::kUnparseableAnswer, reason);
          return e;
        }
      } else {
        set_error(&e, EvaluationCode::kUnparseableAnswer,
                  "the answer is " + a_type_name(answer) + ", not a number or text for answerType \"" +
                      tname + "\"");
        return e;
      }
      e.value_kind = Evaluation::ValueKind::kNumber;
      e.number = x;
      int r = -1;
      uint8_t code = code_for_number(x, &r);
      e.qualification = static_cast<Qualification>(code & 7);
      e.matched = (code & kCodeMatched) != 0;
      if (r >= 0) {
        const Range& g = ranges_[r];
        e.matched_range = r;
        e.range_start = g.lo;
        e.range_end = g.hi;
        e.range_start_null = g.lo_null;
        e.range_end_null = g.hi_null;
      } else {
        e.reason = has_criteria_ ? "no range contains " + number_text(x)
                                 : "the template has no qualification criteria";
      }
      return e;
    }
    case CriteriaShape::kBoolean: {
      bool b = false;
      if (answer.is_bool()) {
        b = answer.as_bool();
      } else if (answer.is_string() && options_.parse_text) {
        std::string reason;
        if (!parse_boolean_answer(answer.as_string(), &b, &reason)) {
          set_error(&e, EvaluationCode::kUnparseableAnswer, reason);
          return e;
        }
      } else {
        set_error(&e, EvaluationCode::kUnparseableAnswer,
                  answer.is_string() ? std::string("the answer is text and text answers are not "
                                                   "parsed (option parseText is false)")
                                     : "the answer is " + a_type_name(answer) +
                                           ", not a boolean for answerType \"boolean\"");
        return e;
      }
      e.value_kind = Evaluation::ValueKind::kBoolean;
      e.boolean = b;
      bool has = b ? has_yes_ : has_no_;
      if (has) {
        e.matched = true;
        e.qualification = b ? yes_ : no_;
      } else {
        e.qualification = has_criteria_ ? options_.unmatched : Qualification::kNeutral;
        e.reason = has_criteria_ ? std::string("the criteria give no qualification for \"") +
                                       (b ? "yes" : "no") + "\""
                                 : "the template has no qualification criteria";
      }
      return e;
    }
    case CriteriaShape::kChoices: {
      if (answer.is_array()) {
        for (json::Value item : answer.items()) {
          if (item.is_string()) {
            std::string_view t = trim_answer_text(item.as_string());
            if (!t.empty()) e.items.emplace_back(t);
          } else if (item.is_number() || item.is_bool()) {
            e.items.emplace_back(item.raw());
          } else if (!item.is_null()) {
            set_error(&e, EvaluationCode::kUnparseableAnswer,
                      "list answer items must be strings, not " + a_type_name(item));
            e.items.clear();
            return e;
          }
        }
      } else if (answer.is_string()) {
        if (!options_.parse_text) {
          set_error(&e, EvaluationCode::kUnparseableAnswer,
                    "the answer is text and text answers are not parsed (option parseText is "
                    "false)");
          return e;
        }
        std::string_view whole = trim_answer_text(answer.as_string());
        json::Document array_doc;
        // A choice whose key or label contains a separator ("Acme, Inc.") is matched
        // as a whole before the text is split.
        if (choice_index_.count(fold_choice(whole))) {
          e.items.emplace_back(whole);
        } else if (whole.size() >= 2 && whole.front() == '[' && whole.back() == ']' &&
                   array_doc.parse(whole, kMaxAnswerBytes, kMaxDepth) &&
                   list_items_from_array(array_doc.root(), &e.items)) {
          // Research sometimes returns a list as JSON array text: read it as the array.
        } else {
          e.items.clear();
          std::vector<std::string_view> parts;
          split_list_answer(whole, &parts);
          for (auto p : parts) e.items.emplace_back(p);
        }
      } else if (answer.is_number() || answer.is_bool()) {
        e.items.emplace_back(answer.raw());
      } else {
        set_error(&e, EvaluationCode::kUnparseableAnswer,
                  "the answer is " + a_type_name(answer) +
                      ", not an array or text for answerType \"list\"");
        return e;
      }
      evaluate_list(e.items, &e);
      return e;
    }
    case CriteriaShape::kNone: break;
  }
  e.value_kind = Evaluation::ValueKind::kRaw;
  e.raw = answer.raw();
  e.qualification = Qualification::kNeutral;
  e.matched = false;
  if (type_ == AnswerType::kJsonSchema && schema_) {
    json::Document parsed;
    json::Value instance = answer;
    // Research returns JSON answers as text; read the text as JSON when it is JSON.
    if (answer.is_string() && parsed.parse(answer.as_string(), kMaxAnswerBytes, kMaxDepth))
      instance = parsed.root();
    if (!schema_->validate(instance, "answer", &e.issues)) {
      set_error(&e, EvaluationCode::kInvalidAnswer,
                "the answer does not match the template's outputSchema (" +
                    std::to_string(e.issues.size()) + (e.issues.size() == 1 ? " issue)" : " issues)"));
      return e;
    }
    e.reason = "answerType \"json_schema\" takes no qualification criteria; the answer matches "
               "outputSchema";
    return e;
  }
  e.reason = "answerType \"" + tname + "\" takes no qualification criteria";
  return e;
}

uint8_t CompiledCriteria::code_for_text(std::string_view text, double* value) const {
  *value = std::numeric_limits<double>::quiet_NaN();
  if (trim_answer_text(text).empty()) return kCodeNoAnswer;
  switch (criteria_shape(type_)) {
    case CriteriaShape::kRanges: {
      if (!options_.parse_text) return kCodeError;
      NumberKind kind = type_ == AnswerType::kPercentage ? NumberKind::kPercentage
                        : type_ == AnswerType::kCurrency ? NumberKind::kCurrency
                                                         : NumberKind::kNumber;
      double x;
      if (!parse_number_answer(text, kind, &x, nullptr, nullptr)) return kCodeError;
      *value = x;
      int r;
      return code_for_number(x, &r);
    }
    case CriteriaShape::kBoolean: {
      bool b;
      if (!options_.parse_text || !parse_boolean_answer(text, &b, nullptr)) return kCodeError;
      *value = b ? 1 : 0;
      bool has = b ? has_yes_ : has_no_;
      if (has) return static_cast<uint8_t>(static_cast<uint8_t>(b ? yes_ : no_) | kCodeMatched);
      return static_cast<uint8_t>(has_criteria_ ? options_.unmatched : Qualification::kNeutral);
    }
    case CriteriaShape::kChoices:
    case CriteriaShape::kNone: break;
  }
  // Lists and json_schema answers: the text as a JSON string through evaluate().
  std::string literal;
  append_json_string(literal, std::string(text));
  json::Document doc;
  if (!doc.parse(literal, kMaxAnswerBytes + 16, kMaxDepth)) return kCodeError;
  Evaluation e = evaluate(doc.root());
  if (e.ok() && e.value_kind == Evaluation::ValueKind::kList)
    *value = static_cast<double>(e.matched_choices.size());
  return e.batch_code();
}

// ---------------------------------------------------------------------------------------
// Rendering

namespace {
void append_number(std::string& out, double d) {
  if (!std::isfinite(d)) { out += "null"; return; }
  out += number_text(d);
}
}  // namespace

void append_json_number(std::string& out, double d) { append_number(out, d); }

std::string evaluation_to_json(const Evaluation& e) {
  std::string out = "{\"qualification\":";
  if (e.ok()) {
    out += '"';
    out += qualification_name(e.qualification);
    out += '"';
  } else {
    out += "null";
  }
  out += ",\"matched\":";
  out += e.matched ? "true" : "false";
  out += ",\"value\":";
  switch (e.value_kind) {
    case Evaluation::ValueKind::kNone: out += "null"; break;
    case Evaluation::ValueKind::kNumber: append_number(out, e.number); break;
    case Evaluation::ValueKind::kBoolean: out += e.boolean ? "true" : "false"; break;
    case Evaluation::ValueKind::kList:
      out += '[';
      for (size_t i = 0; i < e.items.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, e.items[i]);
      }
      out += ']';
      break;
    case Evaluation::ValueKind::kRaw: out.append(e.raw.data(), e.raw.size()); break;
  }
  if (e.value_kind == Evaluation::ValueKind::kNumber && !e.currency.empty()) {
    out += ",\"currency\":";
    append_json_string(out, e.currency);
  }
  if (e.matched_range >= 0) {
    out += ",\"matchedRange\":{\"index\":" + std::to_string(e.matched_range) + ",\"rangeStart\":";
    if (e.range_start_null) out += "null"; else append_number(out, e.range_start);
    out += ",\"rangeEnd\":";
    if (e.range_end_null) out += "null"; else append_number(out, e.range_end);
    out += '}';
  }
  if (e.value_kind == Evaluation::ValueKind::kList && e.ok()) {
    out += ",\"matchedChoices\":[";
    for (size_t i = 0; i < e.matched_choices.size(); ++i) {
      if (i) out += ',';
      append_json_string(out, e.matched_choices[i]);
    }
    out += ']';
  }
  if (!e.ok()) {
    out += ",\"code\":";
    append_json_string(out, evaluation_code_name(e.code));
  }
  if (!e.reason.empty()) {
    out += ",\"reason\":";
    append_json_string(out, e.reason);
  }
  if (!e.issues.empty()) {
    out += ",\"issues\":";
    out += issues_to_json(e.issues);
  }
  out += '}';
  return out;
}

}  // namespace signalkit

// Checking qualification criteria: every rule a template's criteria must follow, each
// problem an issue with its field path.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "common/text.h"
#include "common/whitespace.h"
#include "criteria/internal.h"
#include "signalkit/criteria.h"
#include "signalkit/work_counters.h"

namespace signalkit {
namespace {

using criteria_internal::kQualificationList;

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
    ++g_work_counters.criteria_range_steps;
    if (a->lo != b->lo) return a->lo < b->lo;
    return a->index < b->index;
  });
  // Sweep: the range reaching furthest so far overlaps every later range starting
  // before its end (ranges are half-open, so touching ends do not overlap).
  const CheckedRange* reach = nullptr;
  for (const CheckedRange* r : v) {
    if (sink->full()) return;
    ++g_work_counters.criteria_range_steps;
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

}  // namespace

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

namespace criteria_internal {

bool ranges_pass(AnswerType type, const RangeBounds* ranges, size_t n, const CriteriaOptions& options) {
  if (n == 0 || n > kMaxFastRanges) return false;
  // The lower bounds in order (insertion sort: a template has a handful of ranges), ties
  // in document order as check_overlaps sorts them.
  const RangeBounds* sorted[kMaxFastRanges];
  double lows[kMaxFastRanges];
  for (size_t i = 0; i < n; ++i) {
    const RangeBounds& r = ranges[i];
    const double lo = r.lo_null ? -std::numeric_limits<double>::infinity() : r.lo;
    for (int side = 0; side < 2; ++side) {
      const bool is_null = side == 0 ? r.lo_null : r.hi_null;
      const double v = side == 0 ? r.lo : r.hi;
      if (is_null) continue;
      if (!std::isfinite(v)) return false;
      if (type == AnswerType::kPercentage && options.percentage_bounds && (v < 0 || v > 100)) return false;
    }
    if (!r.lo_null && !r.hi_null && r.lo >= r.hi) return false;
    size_t k = i;
    while (k > 0 && lows[k - 1] > lo) {
      lows[k] = lows[k - 1];
      sorted[k] = sorted[k - 1];
      --k;
    }
    lows[k] = lo;
    sorted[k] = &r;
  }
  if (options.allow_overlaps) return true;
  double reach = 0;
  for (size_t k = 0; k < n; ++k) {
    const double hi = sorted[k]->hi_null ? std::numeric_limits<double>::infinity() : sorted[k]->hi;
    if (k > 0 && lows[k] < reach) return false;
    if (k == 0 || hi > reach) reach = hi;
  }
  return true;
}

}  // namespace criteria_internal
}  // namespace signalkit

// Criteria options: the JSON names of CriteriaOptions, read and checked.
#include <cmath>
#include <string>
#include <vector>

#include "common/text.h"
#include "criteria/internal.h"
#include "signalkit/criteria.h"

namespace signalkit {

using criteria_internal::kQualificationList;

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
        if (!w.value.is_number() || !std::isfinite(d) || d < 0 || d > kMaxFitScoreOption)
          bad(field, "option " + field + " must be a number from 0 to " + number_text(kMaxFitScoreOption) +
                         ", not " + describe_value(w.value));
        else *dst = d;
      }
    } else {
      std::string s = suggest(name, kNames);
      bad(name, "unknown option " + name + (s.empty() ? "" : "; did you mean " + s + "?"));
    }
  }
  return ok;
}

}  // namespace signalkit

// CriteriaEvaluator::fit_score_json: one company's fit score over many templates.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>

#include "common/text.h"
#include "criteria/internal.h"
#include "signalkit/criteria.h"

namespace signalkit {
namespace {

// Identifies a template in fit-score output: templateId (or id) and name when present.
void append_template_ids(std::string& out, const json::Value& tmpl) {
  json::Value id = tmpl.find("templateId");
  if (!id.is_string()) id = tmpl.find("id");
  if (id.is_string()) {
    out += ",\"templateId\":";
    append_json_string(out, std::string(id.as_string()));
  }
  json::Value name = tmpl.find("name");
  if (name.is_string()) {
    out += ",\"name\":";
    append_json_string(out, std::string(name.as_string()));
  }
}


}  // namespace

std::string CriteriaEvaluator::fit_score_json(std::string_view items_json,
                                              std::string_view options_json) {
  auto fail = [](const char* code, const std::string& message, const Issues& issues) {
    std::string out = "{\"error\":{\"code\":";
    append_json_string(out, code);
    out += ",\"message\":";
    append_json_string(out, message);
    out += ",\"issues\":" + issues_to_json(issues) + "}}";
    return out;
  };
  ScratchRelease release{this, true};
  Issues issues;
  CriteriaOptions options;
  if (!parse_criteria_options(options_json, &options, &issues))
    return fail(evaluation_code_name(EvaluationCode::kInvalidOptions), "the options are not valid: " + criteria_internal::first_message(issues), issues);
  // The items document must stay intact while templates are compiled (which reuses the
  // scratch document), so it gets its own.
  json::Document items_doc;
  if (!items_doc.parse(items_json, kMaxBatchBytes, kMaxDepth))
    return fail(items_doc.error().code_name(), "the items could not be read: " + items_doc.error().message, {});
  json::Value root = items_doc.root();
  if (!root.is_array())
    return fail("type", "fitScore takes an array of {template, answer}, not " + a_type_name(root), {});

  // Weights and points are summed scaled by powers of two (exact), the largest of each to
  // below 1, so that no sum overflows for any options up to kMaxFitScoreOption; the score
  // is then the same double the unscaled formula gives whenever that one is finite.
  int weight_exp = 0, points_exp = 0;
  std::frexp(std::max({options.weight_important, options.weight_nice_to_have, options.weight_not_important}),
             &weight_exp);
  std::frexp(*std::max_element(std::begin(options.points), std::end(options.points)), &points_exp);

  std::string parts = "[", unanswered = "[", errors = "[", vetoes = "[";
  double sum_w = 0, sum_wp = 0;  // scaled
  bool disqualified = false;
  size_t index = 0;
  for (json::Value item : root.items()) {
    size_t i = index++;
    std::string head = "{\"index\":" + std::to_string(i);
    auto add_error = [&](const json::Value* tmpl, const char* code, const std::string& reason,
                         const Issues& is) {
      if (errors.size() > 1) errors += ',';
      errors += head;
      if (tmpl) append_template_ids(errors, *tmpl);
      errors += ",\"code\":";
      append_json_string(errors, code);
      errors += ",\"reason\":";
      append_json_string(errors, reason);
      if (!is.empty()) errors += ",\"issues\":" + issues_to_json(is);
      errors += '}';
    };
    if (!item.is_object()) {
      add_error(nullptr, "invalid_item", "item " + std::to_string(i) +
                                             " must be an object {template, answer}, not " +
                                             a_type_name(item), {});
      continue;
    }
    json::Value tmpl = item.find("template");
    if (!tmpl.is_object()) {
      add_error(nullptr, evaluation_code_name(EvaluationCode::kInvalidTemplate),
                "item " + std::to_string(i) + " has no template object", {});
      continue;
    }
    std::string error;
    const CompiledCriteria* c = compiled_for(tmpl.raw(), options_json, &error);
    if (!c) {
      // Recompile outside the cache only to recover the issue list for the report.
      Issues is;
      CompiledCriteria tmp;
      tmp.compile(tmpl, options, &is);
      bool criteria = !is.empty() && is.front().field.rfind("qualificationCriteria", 0) == 0;
      add_error(&tmpl, evaluation_code_name(criteria ? EvaluationCode::kInvalidCriteria : EvaluationCode::kInvalidTemplate),
                (criteria ? "the template's qualificationCriteria are not valid: "
                          : "the template is not usable: ") + criteria_internal::first_message(is), is);
      continue;
    }
    if (!c->weight_ok()) {
      add_error(&tmpl, evaluation_code_name(EvaluationCode::kInvalidTemplate),
                "the template's weight must be one of important, nice_to_have, not_important",
                {});
      continue;
    }
    Evaluation e = c->evaluate(item.find("answer"));
    if (e.code == EvaluationCode::kNoAnswer) {
      if (unanswered.size() > 1) unanswered += ',';
      unanswered += head;
      append_template_ids(unanswered, tmpl);
      unanswered += '}';
      continue;
    }
    if (!e.ok()) {
      add_error(&tmpl, evaluation_code_name(e.code), e.reason, e.issues);
      continue;
    }
    double w = c->weight();
    double p = options.points[static_cast<int>(e.qualification)];
    bool veto = options.veto && w > 0 && e.qualification == Qualification::kDisqualified;
    if (veto) {
      disqualified = true;
      if (vetoes.size() > 1) vetoes += ',';
      vetoes += head;
      append_template_ids(vetoes, tmpl);
      vetoes += ",\"reason\":";
      std::string why = "the answer is disqualified on a template weighted " + c->weight_name();
      if (e.matched_range >= 0) why += " (ranges[" + std::to_string(e.matched_range) + "])";
      else if (!e.matched_choices.empty()) {
        why += " (choices:";
        for (auto& k : e.matched_choices) why += " " + k;
        why += ")";
      }
      append_json_string(vetoes, why);
      vetoes += '}';
    }
    double ws = std::ldexp(w, -weight_exp);
    sum_w += ws;
    sum_wp += ws * std::ldexp(p, -points_exp);
    if (parts.size() > 1) parts += ',';
    parts += head;
    append_template_ids(parts, tmpl);
    parts += ",\"weight\":";
    append_json_string(parts, c->weight_name());
    parts += ",\"weightValue\":";
    append_json_number(parts, w);
    parts += ",\"qualification\":\"";
    parts += qualification_name(e.qualification);
    parts += "\",\"matched\":";
    parts += e.matched ? "true" : "false";
    parts += ",\"points\":";
    append_json_number(parts, p);
    parts += '}';
  }
  std::string out = "{\"score\":";
  if (disqualified) out += '0';
  else if (sum_w > 0) append_json_number(out, std::ldexp(100.0 * sum_wp / sum_w, points_exp));
  else out += "null";
  out += ",\"disqualified\":";
  out += disqualified ? "true" : "false";
  out += ",\"disqualifiedBy\":" + vetoes + "]";
  out += ",\"parts\":" + parts + "]";
  out += ",\"unanswered\":" + unanswered + "]";
  out += ",\"errors\":" + errors + "]";
  out += ",\"totalWeight\":";
  append_json_number(out, std::ldexp(sum_w, weight_exp));
  out += '}';
  return out;
}

}  // namespace signalkit

// CriteriaEvaluator: the JSON-text API behind the JS calls (checkCriteria, evaluate,
// evaluateMany, fitScore), with a cache of compiled templates.
#include <cmath>
#include <cstring>
#include <limits>
#include <list>
#include <string>
#include <utility>

#include "signalkit/criteria.h"
#include "common/text.h"

namespace signalkit {

void append_json_number(std::string& out, double d);  // criteria.cpp

namespace {

constexpr size_t kTemplateCacheSize = 64;

std::string error_result(EvaluationCode code, const std::string& reason, const Issues& issues) {
  Evaluation e;
  e.code = code;
  e.reason = reason;
  e.issues = issues;
  return evaluation_to_json(e);
}

std::string first_message(const Issues& issues) {
  return issues.empty() ? std::string() : issues.front().message;
}

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

struct CriteriaEvaluator::Cache {
  struct Entry {
    std::string key;  // options text, '\0', template text
    CompiledCriteria compiled;
  };
  std::list<Entry> entries;
  json::Document doc;  // scratch for templates, answers and options
  json::Document answer_doc;
};

CriteriaEvaluator::CriteriaEvaluator() : cache_(new Cache) {}
CriteriaEvaluator::~CriteriaEvaluator() = default;

std::string CriteriaEvaluator::check_json(std::string_view answer_type,
                                          std::string_view criteria_json,
                                          std::string_view options_json) {
  Issues issues;
  CriteriaOptions options;
  parse_criteria_options(options_json, &options, &issues);
  AnswerType type = AnswerType::kOpenText;
  if (!parse_answer_type(answer_type, &type)) {
    std::string msg = "answerType must be one of open_text, number, boolean, list, percentage, "
                      "currency, url, contacts, contacts_generation, contact_posts, "
                      "contact_engagements, json_schema, not ";
    append_json_string(msg, std::string(answer_type.substr(0, 60)));
    issues.push_back(Issue{"answerType", "enum", msg});
  } else if (!trim_answer_text(criteria_json).empty()) {
    json::Document& doc = cache_->doc;
    if (!doc.parse(criteria_json))
      issues.push_back(Issue{"qualificationCriteria", doc.error().code_name(),
                             "qualificationCriteria: " + doc.error().message});
    else
      check_criteria(type, doc.root(), options, &issues);
  }
  std::string out = issues.empty() ? "{\"valid\":true,\"issues\":" : "{\"valid\":false,\"issues\":";
  out += issues_to_json(issues);
  out += '}';
  return out;
}

const CompiledCriteria* CriteriaEvaluator::compiled_for(std::string_view template_json,
                                                        std::string_view options_json,
                                                        std::string* error_json) {
  auto& entries = cache_->entries;
  auto matches = [&](const std::string& key) {
    return key.size() == options_json.size() + 1 + template_json.size() &&
           std::string_view(key).substr(0, options_json.size()) == options_json &&
           key[options_json.size()] == '\0' &&
           std::string_view(key).substr(options_json.size() + 1) == template_json;
  };
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (matches(it->key)) {
      if (it != entries.begin()) entries.splice(entries.begin(), entries, it);
      return &entries.front().compiled;
    }
  }
  Issues issues;
  CriteriaOptions options;
  if (!parse_criteria_options(options_json, &options, &issues)) {
    *error_json = error_result(EvaluationCode::kInvalidOptions, "the options are not valid: " + first_message(issues),
                               issues);
    return nullptr;
  }
  json::Document& doc = cache_->doc;
  if (!doc.parse(template_json)) {
    issues.push_back(Issue{"", doc.error().code_name(), "the template: " + doc.error().message});
    *error_json = error_result(EvaluationCode::kInvalidTemplate, "the template is not JSON", issues);
    return nullptr;
  }
  CompiledCriteria compiled;
  if (!compiled.compile(doc.root(), options, &issues)) {
    bool criteria = !issues.empty() && issues.front().field.rfind("qualificationCriteria", 0) == 0;
    *error_json = error_result(criteria ? EvaluationCode::kInvalidCriteria : EvaluationCode::kInvalidTemplate,
                               criteria ? "the template's qualificationCriteria are not valid: " +
                                              first_message(issues)
                                        : "the template is not usable: " + first_message(issues),
                               issues);
    return nullptr;
  }
  std::string key;
  key.reserve(options_json.size() + 1 + template_json.size());
  key.append(options_json).push_back('\0');
  key.append(template_json);
  entries.push_front(Cache::Entry{std::move(key), std::move(compiled)});
  if (entries.size() > kTemplateCacheSize) entries.pop_back();
  return &entries.front().compiled;
}

std::string CriteriaEvaluator::evaluate_json(std::string_view template_json,
                                             std::string_view answer_json,
                                             std::string_view options_json) {
  std::string error;
  const CompiledCriteria* c = compiled_for(template_json, options_json, &error);
  if (!c) return error;
  json::Document& doc = cache_->answer_doc;
  if (trim_answer_text(answer_json).empty()) return evaluation_to_json(c->evaluate(json::Value()));
  if (!doc.parse(answer_json, kMaxAnswerBytes, kMaxDepth)) {
    Evaluation e;
    e.code = EvaluationCode::kUnparseableAnswer;
    e.reason = "the answer could not be read: " + doc.error().message;
    return evaluation_to_json(e);
  }
  return evaluation_to_json(c->evaluate(doc.root()));
}

double* CriteriaEvaluator::number_buffer(size_t n) {
  if (n > kMaxBatchCount) return nullptr;
  if (numbers_.size() < n) numbers_.resize(n);
  return numbers_.data();
}

std::string CriteriaEvaluator::evaluate_numbers(std::string_view template_json,
                                                std::string_view options_json, size_t n) {
  count_ = 0;
  if (n > numbers_.size()) {
    return error_result(EvaluationCode::kInvalidBatch, "call number_buffer(" + std::to_string(n) +
                                              ") before evaluating " + std::to_string(n) + " numbers",
                        {});
  }
  std::string error;
  const CompiledCriteria* c = compiled_for(template_json, options_json, &error);
  if (!c) return error;
  if (codes_.size() < n) codes_.resize(n);
  c->evaluate_numbers(numbers_.data(), n, codes_.data());
  count_ = n;
  return "";
}

char* CriteriaEvaluator::text_buffer(size_t bytes) {
  if (bytes > kMaxBatchBytes) return nullptr;
  if (texts_.size() < bytes + 1) texts_.resize(bytes + 1);
  return texts_.data();
}

std::string CriteriaEvaluator::evaluate_texts(std::string_view template_json,
                                              std::string_view options_json, size_t bytes,
                                              size_t count) {
  count_ = 0;
  if (bytes + 1 > texts_.size() || count > kMaxBatchCount) {
    return error_result(EvaluationCode::kInvalidBatch, "call text_buffer(" + std::to_string(bytes) +
                                              ") before evaluating " + std::to_string(bytes) +
                                              " bytes of answers", {});
  }
  std::string error;
  const CompiledCriteria* c = compiled_for(template_json, options_json, &error);
  if (!c) return error;
  if (codes_.size() < count) codes_.resize(count);
  if (values_.size() < count) values_.resize(count);
  const char* p = texts_.data();
  const char* end = p + bytes;
  size_t i = 0;
  while (i < count) {
    const char* q = static_cast<const char*>(std::memchr(p, '\0', static_cast<size_t>(end - p)));
    if (!q) q = end;
    codes_[i] = c->code_for_text(std::string_view(p, static_cast<size_t>(q - p)), &values_[i]);
    ++i;
    if (q == end) break;
    p = q + 1;
  }
  for (; i < count; ++i) {  // fewer separators than answers: the rest are missing
    codes_[i] = kCodeNoAnswer;
    values_[i] = std::numeric_limits<double>::quiet_NaN();
  }
  count_ = count;
  return "";
}

std::string CriteriaEvaluator::evaluate_answers(std::string_view template_json,
                                                std::string_view answers_json,
                                                std::string_view options_json) {
  count_ = 0;
  std::string error;
  const CompiledCriteria* c = compiled_for(template_json, options_json, &error);
  if (!c) return error;
  json::Document& doc = cache_->answer_doc;
  if (!doc.parse(answers_json, kMaxBatchBytes, kMaxDepth)) {
    Issues issues{Issue{"", doc.error().code_name(), "answers: " + doc.error().message}};
    return error_result(EvaluationCode::kInvalidBatch, "the answers could not be read: " + doc.error().message,
                        issues);
  }
  json::Value root = doc.root();
  if (!root.is_array()) {
    return error_result(EvaluationCode::kInvalidBatch, "the answers must be an array, not " + a_type_name(root),
                        {});
  }
  size_t n = root.size();
  if (codes_.size() < n) codes_.resize(n);
  if (values_.size() < n) values_.resize(n);
  size_t i = 0;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (json::Value a : root.items()) {
    Evaluation e = c->evaluate(a);
    codes_[i] = e.batch_code();
    double v = nan;
    if (e.ok()) {
      switch (e.value_kind) {
        case Evaluation::ValueKind::kNumber: v = e.number; break;
        case Evaluation::ValueKind::kBoolean: v = e.boolean ? 1 : 0; break;
        case Evaluation::ValueKind::kList: v = static_cast<double>(e.matched_choices.size()); break;
        default: break;
      }
    }
    values_[i] = v;
    ++i;
  }
  count_ = n;
  return "";
}

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
  Issues issues;
  CriteriaOptions options;
  if (!parse_criteria_options(options_json, &options, &issues))
    return fail(evaluation_code_name(EvaluationCode::kInvalidOptions), "the options are not valid: " + first_message(issues), issues);
  // The items document must stay intact while templates are compiled (which reuses the
  // scratch document), so it gets its own.
  json::Document items_doc;
  if (!items_doc.parse(items_json, kMaxBatchBytes, kMaxDepth))
    return fail(items_doc.error().code_name(), "the items could not be read: " + items_doc.error().message, {});
  json::Value root = items_doc.root();
  if (!root.is_array())
    return fail("type", "fitScore takes an array of {template, answer}, not " + a_type_name(root), {});

  std::string parts = "[", unanswered = "[", errors = "[", vetoes = "[";
  double sum_w = 0, sum_wp = 0;
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
                          : "the template is not usable: ") + first_message(is), is);
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
    sum_w += w;
    sum_wp += w * p;
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
  else if (sum_w > 0) append_json_number(out, 100.0 * sum_wp / sum_w);
  else out += "null";
  out += ",\"disqualified\":";
  out += disqualified ? "true" : "false";
  out += ",\"disqualifiedBy\":" + vetoes + "]";
  out += ",\"parts\":" + parts + "]";
  out += ",\"unanswered\":" + unanswered + "]";
  out += ",\"errors\":" + errors + "]";
  out += ",\"totalWeight\":";
  append_json_number(out, sum_w);
  out += '}';
  return out;
}

}  // namespace signalkit

// CriteriaEvaluator: the JSON-text API behind the JS calls (checkCriteria, evaluate,
// evaluateMany; fitScore is fit_score.cpp), with a cache of compiled templates.
#include <cmath>
#include <cstring>
#include <limits>
#include <list>
#include <memory>
#include <string>
#include <utility>

#include "common/text.h"
#include "criteria/internal.h"
#include "signalkit/criteria.h"

namespace signalkit {
namespace {

constexpr size_t kTemplateCacheSize = 64;

// A batch result buffer sized for `n`: grown when short, and given back when a large batch
// left it far bigger than this one needs (kKeepScratchBytes).
template <typename T>
void fit_buffer(std::vector<T>& v, size_t n) {
  if (v.capacity() * sizeof(T) > kKeepScratchBytes && n * sizeof(T) <= kKeepScratchBytes) std::vector<T>().swap(v);
  if (v.size() < n) v.resize(n);
}

std::string error_result(EvaluationCode code, const std::string& reason, const Issues& issues) {
  Evaluation e;
  e.code = code;
  e.reason = reason;
  e.issues = issues;
  return evaluation_to_json(e);
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

void CriteriaEvaluator::release_scratch() {
  cache_->doc.release();
  cache_->answer_doc.release();
}

void CriteriaEvaluator::release_batch_results() {
  if (codes_.capacity() + values_.capacity() * sizeof(double) <= kKeepScratchBytes) return;
  count_ = 0;
  fit_buffer(codes_, 0);
  fit_buffer(values_, 0);
}
CriteriaEvaluator::~CriteriaEvaluator() = default;

std::string CriteriaEvaluator::check_json(std::string_view answer_type,
                                          std::string_view criteria_json,
                                          std::string_view options_json) {
  ScratchRelease release{this, true};
  Issues issues;
  CriteriaOptions options;
  parse_criteria_options(options_json, &options, &issues);
  AnswerType type = AnswerType::kOpenText;
  if (!parse_answer_type(answer_type, &type)) {
    std::string msg = "answerType must be one of " + criteria_internal::answer_type_list() + ", not ";
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
  std::unique_ptr<CompiledCriteria> compiled = compile(template_json, options_json, error_json);
  if (!compiled) return nullptr;
  std::string key;
  key.reserve(options_json.size() + 1 + template_json.size());
  key.append(options_json).push_back('\0');
  key.append(template_json);
  entries.push_front(Cache::Entry{std::move(key), std::move(*compiled)});
  if (entries.size() > kTemplateCacheSize) entries.pop_back();
  return &entries.front().compiled;
}

std::unique_ptr<CompiledCriteria> CriteriaEvaluator::compile(std::string_view template_json,
                                                             std::string_view options_json,
                                                             std::string* error_json) {
  ScratchRelease release{this, false};
  Issues issues;
  CriteriaOptions options;
  if (!parse_criteria_options(options_json, &options, &issues)) {
    *error_json = error_result(EvaluationCode::kInvalidOptions, "the options are not valid: " + criteria_internal::first_message(issues),
                               issues);
    return nullptr;
  }
  json::Document& doc = cache_->doc;
  if (!doc.parse(template_json)) {
    issues.push_back(Issue{"", doc.error().code_name(), "the template: " + doc.error().message});
    *error_json = error_result(EvaluationCode::kInvalidTemplate, "the template is not JSON", issues);
    return nullptr;
  }
  auto compiled = std::make_unique<CompiledCriteria>();
  if (!compiled->compile(doc.root(), options, &issues)) {
    bool criteria = !issues.empty() && issues.front().field.rfind("qualificationCriteria", 0) == 0;
    *error_json = error_result(criteria ? EvaluationCode::kInvalidCriteria : EvaluationCode::kInvalidTemplate,
                               criteria ? "the template's qualificationCriteria are not valid: " +
                                              criteria_internal::first_message(issues)
                                        : "the template is not usable: " + criteria_internal::first_message(issues),
                               issues);
    return nullptr;
  }
  return compiled;
}

Evaluation CriteriaEvaluator::evaluate_answer(const CompiledCriteria& c, std::string_view answer_json) {
  ScratchRelease release{this, true};
  if (trim_answer_text(answer_json).empty()) return c.evaluate(json::Value());
  json::Document& doc = cache_->answer_doc;
  if (!doc.parse(answer_json, kMaxAnswerBytes, kMaxDepth)) {
    Evaluation e;
    e.code = EvaluationCode::kUnparseableAnswer;
    e.reason = "the answer could not be read: " + doc.error().message;
    return e;
  }
  // What the Evaluation keeps of the answer (items, choices: copies; raw: a view of
  // answer_json) outlives the document, which the caller's ScratchRelease may free.
  return c.evaluate(doc.root());
}

std::string CriteriaEvaluator::evaluate_json(std::string_view template_json,
                                             std::string_view answer_json,
                                             std::string_view options_json) {
  ScratchRelease release{this, true};
  std::string error;
  const CompiledCriteria* c = compiled_for(template_json, options_json, &error);
  if (!c) return error;
  return evaluation_to_json(evaluate_answer(*c, answer_json));
}

double* CriteriaEvaluator::number_buffer(size_t n) {
  if (n > kMaxBatchCount) return nullptr;
  fit_buffer(numbers_, n);
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
  ScratchRelease release{this, false};
  const CompiledCriteria* c = compiled_for(template_json, options_json, &error);
  if (!c) return error;
  fit_buffer(codes_, n);
  c->evaluate_numbers(numbers_.data(), n, codes_.data());
  count_ = n;
  // The numbers were this batch's input only; a large buffer is not kept for the next.
  if (numbers_.capacity() * sizeof(double) > kKeepScratchBytes) std::vector<double>().swap(numbers_);
  return "";
}

std::string CriteriaEvaluator::evaluate_texts(std::string_view template_json,
                                              std::string_view options_json, std::string_view texts,
                                              size_t count) {
  count_ = 0;
  if (texts.size() > kMaxBatchBytes || count > kMaxBatchCount) {
    return error_result(EvaluationCode::kInvalidBatch,
                        "a batch holds at most " + with_commas(kMaxBatchBytes) + " bytes and " +
                            with_commas(kMaxBatchCount) + " answers, not " + with_commas(texts.size()) +
                            " bytes and " + with_commas(count) + " answers",
                        {});
  }
  std::string error;
  ScratchRelease release{this, false};
  const CompiledCriteria* c = compiled_for(template_json, options_json, &error);
  if (!c) return error;
  fit_buffer(codes_, count);
  fit_buffer(values_, count);
  const char* p = texts.data();
  const char* end = p + texts.size();
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
  ScratchRelease release{this, false};
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
  fit_buffer(codes_, n);
  fit_buffer(values_, n);
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

}  // namespace signalkit

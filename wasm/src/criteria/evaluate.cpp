// Evaluating one answer against compiled criteria, one step per criteria shape, and the
// text fast path of batches.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "common/text.h"
#include "criteria/internal.h"
#include "signalkit/criteria.h"
#include "signalkit/json_schema.h"
#include "signalkit/work_counters.h"

namespace signalkit {
namespace {

constexpr const char* kTextNotParsed =
    "the answer is text and text answers are not parsed (option parseText is false)";

void set_error(Evaluation* e, EvaluationCode code, std::string reason) {
  e->code = code;
  e->reason = std::move(reason);
  e->matched = false;
}

// A number that is not finite (1e999, or NaN and ±Infinity sent from JavaScript) is no item
// of a list: its text would match nothing the caller wrote.
bool is_finite_item(const json::Value& item) {
  return !item.is_number() || std::isfinite(item.as_number());
}

// The items of a JSON array of strings/finite numbers/booleans (nulls skipped); false when
// an item is an array, an object or a number that is not finite.
bool list_items_from_array(const json::Value& array, std::vector<std::string>* items) {
  if (!array.is_array()) return false;
  for (json::Value item : array.items()) {
    if (item.is_string()) {
      std::string_view t = trim_answer_text(item.as_string());
      if (!t.empty()) items->emplace_back(t);
    } else if ((item.is_number() || item.is_bool()) && is_finite_item(item)) {
      items->emplace_back(item.raw());
    } else if (!item.is_null()) {
      return false;
    }
  }
  return true;
}

// Linear de-duplication while few choices have matched; past this, a table of seen choices
// (one byte per choice) keeps a long list answer linear in its items.
constexpr size_t kLinearDedupe = 16;

}  // namespace

uint8_t Evaluation::batch_code() const {
  if (code == EvaluationCode::kNoAnswer) return kCodeNoAnswer;
  if (code != EvaluationCode::kNone) return kCodeError;
  return static_cast<uint8_t>(static_cast<uint8_t>(qualification) | (matched ? kCodeMatched : 0));
}

void CompiledCriteria::evaluate_list(const std::vector<std::string>& items, Evaluation* e) const {
  e->value_kind = Evaluation::ValueKind::kList;
  std::vector<int> hits;  // matched choices, first-seen order, each once
  std::vector<uint8_t> seen;
  uint64_t steps = 0;
  std::string folded;
  for (const std::string& item : items) {
    ++steps;
    criteria_internal::fold_choice_into(item, &folded);
    auto it = choice_index_.find(folded);
    if (it == choice_index_.end()) continue;
    for (int c : it->second) {
      if (hits.size() < kLinearDedupe) {
        steps += hits.size() + 1;
        if (std::find(hits.begin(), hits.end(), c) == hits.end()) hits.push_back(c);
        continue;
      }
      if (seen.empty()) {
        seen.assign(choices_.size(), 0);
        for (int h : hits) seen[static_cast<size_t>(h)] = 1;
      }
      ++steps;
      if (!seen[static_cast<size_t>(c)]) {
        seen[static_cast<size_t>(c)] = 1;
        hits.push_back(c);
      }
    }
  }
  work_counters().criteria_list_steps += steps;
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
  switch (criteria_shape(type_)) {
    case CriteriaShape::kRanges: evaluate_number(answer, &e); break;
    case CriteriaShape::kBoolean: evaluate_boolean(answer, &e); break;
    case CriteriaShape::kChoices: evaluate_choices(answer, &e); break;
    case CriteriaShape::kNone: evaluate_without_criteria(answer, &e); break;
  }
  return e;
}

// number, percentage, currency: a JSON number, or text read by parse_number_answer; then
// the range that holds it.
void CompiledCriteria::evaluate_number(const json::Value& answer, Evaluation* e) const {
  double x = 0;
  if (answer.is_number()) {
    x = answer.as_number();
    if (!std::isfinite(x))
      return set_error(e, EvaluationCode::kUnparseableAnswer,
                       "the answer is not a finite number (NaN, Infinity or too large)");
  } else if (answer.is_string()) {
    if (!options_.parse_text) return set_error(e, EvaluationCode::kUnparseableAnswer, kTextNotParsed);
    std::string reason;
    if (!parse_number_answer(answer.as_string(), criteria_internal::number_kind(type_), &x,
                             &e->currency, &reason))
      return set_error(e, EvaluationCode::kUnparseableAnswer, reason);
  } else {
    return set_error(e, EvaluationCode::kUnparseableAnswer,
                     "the answer is " + a_type_name(answer) + ", not a number or text for answerType \"" +
                         answer_type_name(type_) + "\"");
  }
  e->value_kind = Evaluation::ValueKind::kNumber;
  e->number = x;
  int r = -1;
  uint8_t code = code_for_number(x, &r);
  e->qualification = static_cast<Qualification>(code & 7);
  e->matched = (code & kCodeMatched) != 0;
  if (r >= 0) {
    const Range& g = ranges_[r];
    e->matched_range = r;
    e->range_start = g.lo;
    e->range_end = g.hi;
    e->range_start_null = g.lo_null;
    e->range_end_null = g.hi_null;
  } else {
    e->reason = has_criteria_ ? "no range contains " + number_text(x)
                              : "the template has no qualification criteria";
  }
}

// boolean: true/false, or text read by parse_boolean_answer; then the yes/no entry.
void CompiledCriteria::evaluate_boolean(const json::Value& answer, Evaluation* e) const {
  bool b = false;
  if (answer.is_bool()) {
    b = answer.as_bool();
  } else if (answer.is_string() && options_.parse_text) {
    std::string reason;
    if (!parse_boolean_answer(answer.as_string(), &b, &reason))
      return set_error(e, EvaluationCode::kUnparseableAnswer, reason);
  } else {
    return set_error(e, EvaluationCode::kUnparseableAnswer,
                     answer.is_string() ? std::string(kTextNotParsed)
                                        : "the answer is " + a_type_name(answer) +
                                              ", not a boolean for answerType \"boolean\"");
  }
  e->value_kind = Evaluation::ValueKind::kBoolean;
  e->boolean = b;
  bool has = b ? has_yes_ : has_no_;
  if (has) {
    e->matched = true;
    e->qualification = b ? yes_ : no_;
  } else {
    e->qualification = has_criteria_ ? options_.unmatched : Qualification::kNeutral;
    e->reason = has_criteria_ ? std::string("the criteria give no qualification for \"") +
                                    (b ? "yes" : "no") + "\""
                              : "the template has no qualification criteria";
  }
}

// list: the answer's items (an array, or text read by read_list_text), then the choices
// they name.
void CompiledCriteria::evaluate_choices(const json::Value& answer, Evaluation* e) const {
  if (answer.is_array()) {
    for (json::Value item : answer.items()) {
      if (item.is_string()) {
        std::string_view t = trim_answer_text(item.as_string());
        if (!t.empty()) e->items.emplace_back(t);
      } else if (!is_finite_item(item)) {
        e->items.clear();
        return set_error(e, EvaluationCode::kUnparseableAnswer,
                         "list answer items must be strings, not a number that is not finite (NaN, "
                         "Infinity or too large)");
      } else if (item.is_number() || item.is_bool()) {
        e->items.emplace_back(item.raw());
      } else if (!item.is_null()) {
        e->items.clear();
        return set_error(e, EvaluationCode::kUnparseableAnswer,
                         "list answer items must be strings, not " + a_type_name(item));
      }
    }
  } else if (answer.is_string()) {
    if (!options_.parse_text) return set_error(e, EvaluationCode::kUnparseableAnswer, kTextNotParsed);
    read_list_text(trim_answer_text(answer.as_string()), &e->items);
  } else if (!is_finite_item(answer)) {
    return set_error(e, EvaluationCode::kUnparseableAnswer,
                     "the answer is not a finite number (NaN, Infinity or too large)");
  } else if (answer.is_number() || answer.is_bool()) {
    e->items.emplace_back(answer.raw());
  } else {
    return set_error(e, EvaluationCode::kUnparseableAnswer,
                     "the answer is " + a_type_name(answer) +
                         ", not an array or text for answerType \"list\"");
  }
  evaluate_list(e->items, e);
}

// A list answer given as text, in the order split_list_answer documents: the whole text
// when it is a choice ("Acme, Inc."), a JSON array of strings when it is one, else the
// split items.
void CompiledCriteria::read_list_text(std::string_view whole, std::vector<std::string>* items) const {
  json::Document array_doc;
  if (choice_index_.count(criteria_internal::fold_choice(whole))) {
    items->emplace_back(whole);
  } else if (whole.size() >= 2 && whole.front() == '[' && whole.back() == ']' &&
             array_doc.parse(whole, kMaxAnswerBytes, kMaxDepth) &&
             list_items_from_array(array_doc.root(), items)) {
    // Research sometimes returns a list as JSON array text: read it as the array.
  } else {
    items->clear();
    std::vector<std::string_view> parts;
    split_list_answer(whole, &parts);
    for (auto p : parts) items->emplace_back(p);
  }
}

// The types without criteria: the raw answer, neutral; json_schema answers are validated
// against outputSchema (text that is JSON is read as JSON first).
void CompiledCriteria::evaluate_without_criteria(const json::Value& answer, Evaluation* e) const {
  e->value_kind = Evaluation::ValueKind::kRaw;
  e->raw = answer.raw();
  e->qualification = Qualification::kNeutral;
  e->matched = false;
  if (type_ == AnswerType::kJsonSchema && schema_) {
    json::Document parsed;
    json::Value instance = answer;
    // Research returns JSON answers as text; read the text as JSON when it is JSON.
    if (answer.is_string() && parsed.parse(answer.as_string(), kMaxAnswerBytes, kMaxDepth))
      instance = parsed.root();
    if (!schema_->validate(instance, "answer", &e->issues)) {
      return set_error(e, EvaluationCode::kInvalidAnswer,
                       "the answer does not match the template's outputSchema (" +
                           std::to_string(e->issues.size()) + (e->issues.size() == 1 ? " issue)" : " issues)"));
    }
    e->reason = "answerType \"json_schema\" takes no qualification criteria; the answer matches "
                "outputSchema";
    return;
  }
  e->reason = "answerType \"" + std::string(answer_type_name(type_)) + "\" takes no qualification criteria";
}

uint8_t CompiledCriteria::code_for_text(std::string_view text, double* value) const {
  *value = std::numeric_limits<double>::quiet_NaN();
  if (trim_answer_text(text).empty()) return kCodeNoAnswer;
  switch (criteria_shape(type_)) {
    case CriteriaShape::kRanges: {
      if (!options_.parse_text) return kCodeError;
      double x;
      if (!parse_number_answer(text, criteria_internal::number_kind(type_), &x, nullptr, nullptr))
        return kCodeError;
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
    case CriteriaShape::kChoices: {
      // What evaluate() does with a text answer, without the JSON round trip; a template
      // without choices has nothing to match, so the text is not even split.
      if (!options_.parse_text) return kCodeError;
      Evaluation e;
      if (!choice_index_.empty()) read_list_text(trim_answer_text(text), &e.items);
      evaluate_list(e.items, &e);
      *value = static_cast<double>(e.matched_choices.size());
      return e.batch_code();
    }
    case CriteriaShape::kNone: break;
  }
  // json_schema answers and the types without criteria: the text as a JSON string through
  // evaluate().
  std::string literal;
  append_json_string(literal, std::string(text));
  json::Document doc;
  if (!doc.parse(literal, kMaxAnswerBytes + 16, kMaxDepth)) return kCodeError;
  return evaluate(doc.root()).batch_code();
}

}  // namespace signalkit

// The criteria vocabulary: qualifications, answer types and result codes, each named once.
#include "signalkit/criteria.h"

#include <iterator>
#include <string>

#include "criteria/internal.h"

namespace signalkit {
namespace {

constexpr const char* kQualificationNames[kQualificationCount] = {
    "disqualified", "poor", "neutral", "good", "excellent"};
// In AnswerType order. The template schemas (schemas/saber.template.*.json) list the same
// names in their answerType enum; a test holds them to this table.
constexpr const char* kAnswerTypeNames[] = {
    "open_text", "number", "boolean", "list", "percentage", "currency", "url", "contacts",
    "contacts_generation", "contact_posts", "contact_engagements", "json_schema"};
static_assert(std::size(kAnswerTypeNames) == static_cast<size_t>(AnswerType::kJsonSchema) + 1);

}  // namespace

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
  for (size_t i = 0; i < std::size(kAnswerTypeNames); ++i)
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

namespace criteria_internal {

const std::string& answer_type_list() {
  static const std::string list = [] {
    std::string s;
    for (const char* name : kAnswerTypeNames) s += std::string(s.empty() ? "" : ", ") + name;
    return s;
  }();
  return list;
}

NumberKind number_kind(AnswerType t) {
  return t == AnswerType::kPercentage ? NumberKind::kPercentage
         : t == AnswerType::kCurrency ? NumberKind::kCurrency
                                      : NumberKind::kNumber;
}

std::string fold_choice(std::string_view s) {
  std::string out;
  fold_choice_into(s, &out);
  return out;
}

void fold_choice_into(std::string_view s, std::string* out) {
  out->assign(trim_answer_text(s));
  for (char& c : *out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

}  // namespace criteria_internal
}  // namespace signalkit

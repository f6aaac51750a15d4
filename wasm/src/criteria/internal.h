// What the criteria files share with each other (not part of the public API).
#ifndef SIGNALKIT_SRC_CRITERIA_INTERNAL_H_
#define SIGNALKIT_SRC_CRITERIA_INTERNAL_H_

#include <string>
#include <string_view>

#include "signalkit/criteria.h"

namespace signalkit::criteria_internal {

// "disqualified, poor, neutral, good, excellent", for messages.
inline constexpr const char* kQualificationList = "disqualified, poor, neutral, good, excellent";

// "open_text, number, …, json_schema": every answer type, in AnswerType order, for messages.
const std::string& answer_type_list();

// How a ranges template reads text answers.
NumberKind number_kind(AnswerType t);

// The first issue's message ("" when none), for one-line reasons.
inline std::string first_message(const Issues& issues) {
  return issues.empty() ? std::string() : issues.front().message;
}

// A list choice key or label as answers are matched against it: trimmed, ASCII lower case.
std::string fold_choice(std::string_view s);
// The same into `out`, whose buffer a loop over many items reuses.
void fold_choice_into(std::string_view s, std::string* out);

// One range whose shape is known good (each bound a number or null, a known
// qualification): what ranges_pass judges.
struct RangeBounds {
  double lo = 0, hi = 0;
  bool lo_null = true, hi_null = true;
};
// check_criteria's verdict on such ranges, without building a document, a path or a
// message: every bound finite, within 0–100 for a percentage, rangeStart < rangeEnd, no
// overlap. For the request fast path (validation/fast_path.h): false only means "let
// check_criteria say why". At most kMaxFastRanges ranges (more: false).
inline constexpr size_t kMaxFastRanges = 32;
bool ranges_pass(AnswerType type, const RangeBounds* ranges, size_t n, const CriteriaOptions& options);

}  // namespace signalkit::criteria_internal

#endif  // SIGNALKIT_SRC_CRITERIA_INTERNAL_H_

// The matcher's test oracles, for tests, fuzzers and benchmarks (not part of the public
// API): a straightforward reference matcher and the types reader it needs.
#ifndef SIGNALKIT_SRC_MATCHER_REFERENCE_H_
#define SIGNALKIT_SRC_MATCHER_REFERENCE_H_

#include <string_view>
#include <vector>

#include "signalkit/issues.h"
#include "signalkit/matcher.h"

namespace signalkit {

// The straightforward reference: every keyword tried at every code point of the
// decoded, folded text, with the same rules and the same result shape (keyword_id is 0;
// `keyword` points into `types`). Quadratic; for tests, fuzzing and the bench only.
std::vector<TypeResult> reference_match(const std::vector<MatcherTypeSpec>& types,
                                        const MatcherOptions& options, const MatchDoc& doc);

// Reads a matcher's types JSON and options JSON exactly as Matcher::compile_json does
// (the rule checks of Matcher::compile are not applied); false with issues on bad input.
bool parse_matcher_types(std::string_view types_json, std::string_view options_json,
                         std::vector<MatcherTypeSpec>* types, MatcherOptions* options,
                         Issues* issues);

}  // namespace signalkit

#endif  // SIGNALKIT_SRC_MATCHER_REFERENCE_H_

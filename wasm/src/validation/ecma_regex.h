// JSON Schema patterns are ECMAScript regular expressions; the engine runs them on RE2
// (linear time, so a hostile pattern cannot hang it). This is the translation.
#ifndef SIGNALKIT_SRC_VALIDATION_ECMA_REGEX_H_
#define SIGNALKIT_SRC_VALIDATION_ECMA_REGEX_H_

#include <memory>
#include <string>
#include <string_view>

#include "re2/re2.h"

namespace signalkit::schema_internal {

// The RE2 spelling of an ECMAScript pattern (see ecma_regex.cpp for what is rewritten).
std::string ecma_to_re2(std::string_view src);

// Compiles an ECMAScript pattern with RE2 (UTF-8, no logging); nullptr with RE2's error
// when RE2 cannot compile it (lookaround, backreferences, ...).
std::unique_ptr<RE2> compile_regex(std::string_view ecma_src, std::string* error);

}  // namespace signalkit::schema_internal

#endif  // SIGNALKIT_SRC_VALIDATION_ECMA_REGEX_H_

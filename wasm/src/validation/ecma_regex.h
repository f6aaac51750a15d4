// JSON Schema patterns are ECMAScript regular expressions (with the `u` flag, as ajv runs
// them); the engine runs them on RE2 (linear time, so a hostile pattern cannot hang it).
// This file checks the ECMAScript syntax, translates it to RE2's, prices the compile and
// compiles it within that price.
#ifndef SIGNALKIT_SRC_VALIDATION_ECMA_REGEX_H_
#define SIGNALKIT_SRC_VALIDATION_ECMA_REGEX_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "re2/re2.h"

namespace signalkit::schema_internal {

// Why a pattern was not compiled.
enum class RegexError {
  kNone,
  kSyntax,       // not an ECMAScript regular expression (or one RE2 rejects)
  kUnsupported,  // valid ECMAScript RE2 cannot run: lookaround, backreferences
  kTooComplex,   // over the pattern's own limit or the schema's remaining budget
};

struct CompiledRegex {
  std::unique_ptr<RE2> re;  // null unless error == kNone
  RegexError error = RegexError::kNone;
  std::string message;  // for errors: what is wrong, in plain English
  uint64_t work = 0;    // compile work charged (also when refused for its cost)
  size_t memory = 0;    // RE2's memory limit for this pattern (program + DFA cache)
  uint32_t cost_per_64_bytes = 1;  // evaluation steps per 64 bytes matched
};

// Compiles an ECMAScript pattern. `work_left` is what remains of the schema's compile
// budget: a pattern whose estimated compile work exceeds it, or RE2's program limit, is
// refused as kTooComplex before RE2 builds anything.
CompiledRegex compile_regex(std::string_view ecma_src, uint64_t work_left);

// Whether `src` is an ECMAScript regular expression (the `regex` format): the same
// syntax check, without compiling.
bool is_ecma_regex(std::string_view src);

}  // namespace signalkit::schema_internal

#endif  // SIGNALKIT_SRC_VALIDATION_ECMA_REGEX_H_

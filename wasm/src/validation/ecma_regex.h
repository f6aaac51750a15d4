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

namespace re2 {
class Prog;
}

namespace signalkit::schema_internal {

// Why a pattern was not compiled.
enum class RegexError {
  kNone,
  kSyntax,       // not an ECMAScript regular expression (or one RE2 rejects)
  kUnsupported,  // valid ECMAScript RE2 cannot run: lookaround, backreferences
  kTooComplex,   // over the pattern's own limit or the schema's remaining budget
};

// RE2's compiled program (re2/prog.h), deleted where RE2 is visible.
struct ProgDeleter {
  void operator()(re2::Prog* p) const;
};
using ProgPtr = std::unique_ptr<re2::Prog, ProgDeleter>;

// Costs below are in units of about 25 ns of the wasm build (docs/validation.md, "Cost of
// a schema"), charged before the work is done; bench/schema.js measures them.
//
// Compiling: translating and parsing cost per byte of the RE2 spelling plus per range
// RE2 puts into character classes (\p{L} alone is ~650 ranges); RE2's compile then costs
// per instruction of its program, estimated from the parse tree before RE2 expands counted
// repetitions (`^.{0,1000}.{0,1000}$` is small text and a huge program).
struct CompiledRegex {
  ProgPtr prog;  // null unless error == kNone
  RegexError error = RegexError::kNone;
  std::string message;  // for errors: what is wrong, in plain English
  uint64_t work = 0;    // compile work spent (also when refused for its cost)
  size_t memory = 0;    // RE2's memory limit for this pattern (program + DFA cache)
};

// Compiles an ECMAScript pattern. `work_left` is what remains of the schema's compile
// budget: a pattern that would cost more to read or to compile, or whose program is over
// kMaxPatternProgram, is refused as kTooComplex before that work is done.
CompiledRegex compile_regex(std::string_view ecma_src, uint64_t work_left);

// Matching, as RE2's PartialMatch: RE2's DFA first, charged per byte and more per byte for
// bigger programs (a DFA whose state cache thrashes builds states as it goes, up to one
// per 10 bytes before it gives up); when the DFA gives up, RE2's NFA, charged per
// instruction per byte. Each phase is charged before it runs; one that `work_left` cannot
// pay for is not run (too_complex).
struct RegexSearch {
  bool matched = false;
  bool too_complex = false;
  uint64_t work = 0;   // units spent
  uint64_t bytes = 0;  // bytes of text RE2 read (a DFA pass, and an NFA pass if it ran)
};
RegexSearch search_regex(re2::Prog& prog, std::string_view text, uint64_t work_left);

// The `regex` format: whether `src` is an ECMAScript regular expression (the same syntax
// check as compile_regex, without compiling), within `work_left` units: kNone, kSyntax, or
// kTooComplex (not read: it would cost more). `*work` is what was spent.
RegexError check_ecma_regex(std::string_view src, uint64_t work_left, uint64_t* work);

}  // namespace signalkit::schema_internal

#endif  // SIGNALKIT_SRC_VALIDATION_ECMA_REGEX_H_

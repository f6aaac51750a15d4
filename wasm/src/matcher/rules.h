// Internal pieces of the keyword matcher shared by the fast path (matcher.cpp) and the
// reference (reference.cpp): keyword normalisation, which keywords apply to a
// document, and snippet windows. The matching itself is written twice, independently.
#ifndef SIGNALKIT_SRC_MATCHER_RULES_H_
#define SIGNALKIT_SRC_MATCHER_RULES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "signalkit/matcher.h"

namespace signalkit::matcher_internal {

// Stands for "one or more separators" in a normalised keyword (above every code point).
inline constexpr uint32_t kSepCp = 0x110000;

struct Normalized {
  std::vector<uint32_t> cps;  // folded code points and kSepCp; never empty when valid
  uint8_t first_cls = 0, last_cls = 0;  // mu classes of the first/last (unfolded) character
};

// Folds and collapses separators; false when nothing but separators remains.
bool normalize_keyword(std::string_view kw, Normalized* out);

// A keyword as it applies to one document: the spelling to report and whether it is a
// disqualifier. `source` is the document's source ("" = none).
struct Applied {
  uint32_t type;
  bool disqualifier;
  std::string_view spelling;
  std::vector<uint32_t> cps;
  uint8_t first_cls, last_cls;
};
// Every keyword and disqualifier of every type that applies to a document from
// `source`, deduplicated per type and role by normalised form (first spelling wins), in
// type order, keywords before disqualifiers. Assumes validated input.
std::vector<Applied> applied_keywords(const std::vector<MatcherTypeSpec>& types,
                                      const MatcherOptions& options, std::string_view source,
                                      bool source_known);

bool type_applies(const MatcherTypeSpec& t, const MatcherOptions& options,
                  std::string_view source, bool source_known);

// What is known of a field's bytes (the fast path's scan finds out on the way): nothing,
// that they are valid UTF-8 (code points start at every byte that is not a continuation
// byte), or that they are ASCII (a code point and a UTF-16 unit per byte).
enum class TextKind : uint8_t { kUnchecked, kUtf8, kAscii };

// Snippet window in bytes around the match [bs, be) of `text`.
void snippet_bytes(std::string_view text, uint32_t bs, uint32_t be, int radius, TextKind kind,
                   uint32_t* out_begin, uint32_t* out_end);

// Validates types and options; appends issues, returns false when any.
bool validate_types(const std::vector<MatcherTypeSpec>& types, const MatcherOptions& options,
                    Issues* issues);

// UTF-16 offsets from byte offsets of `text` (each at a code point boundary, or where
// decode() would read): `keys` holds one (byte offset << 32 | i) per offset, whose UTF-16
// offset goes to *dst[i]. Sorts `keys`, then one forward sweep (none in an ASCII text).
void utf16_offsets(std::string_view text, TextKind kind, std::vector<uint64_t>* keys,
                   uint32_t* const* dst);

// For each result: sorts hits by (field, byte offsets), picks the snippet around the
// first hit, and fills the UTF-16 offsets from the byte offsets: the snippet's, and the
// hits' and disqualifier's unless `hits_in_utf16` (the caller converted them).
// `kinds`: of the title and the text, or null (unchecked).
void finish_results(const MatchDoc& doc, int radius, TypeResult* const* results, size_t n,
                    const TextKind kinds[2] = nullptr, bool hits_in_utf16 = false);

}  // namespace signalkit::matcher_internal

#endif  // SIGNALKIT_SRC_MATCHER_RULES_H_

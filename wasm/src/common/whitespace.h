// White space, defined once. Two sets are in use, and they differ in two code points:
//   Unicode White_Space (PropList.txt): the keyword matcher's separators (with hyphens);
//   ECMAScript white space and line terminators: what JavaScript's \s and trim() match,
//     so blank checks, answer trimming and JSON Schema's \s agree with the JS side.
// U+0085 NEXT LINE is White_Space only; U+FEFF ZERO WIDTH NO-BREAK SPACE is ECMAScript's only.
#ifndef SIGNALKIT_SRC_COMMON_WHITESPACE_H_
#define SIGNALKIT_SRC_COMMON_WHITESPACE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace signalkit::whitespace {

struct Range {
  uint32_t first, last;
  bool unicode;  // Unicode White_Space
  bool ecma;     // ECMAScript WhiteSpace or LineTerminator
};

// The rows of PropList.txt's White_Space, plus U+FEFF.
inline constexpr Range kRanges[] = {
    {0x0009, 0x000D, true, true},   {0x0020, 0x0020, true, true},
    {0x0085, 0x0085, true, false},  {0x00A0, 0x00A0, true, true},
    {0x1680, 0x1680, true, true},   {0x2000, 0x200A, true, true},
    {0x2028, 0x2028, true, true},   {0x2029, 0x2029, true, true},
    {0x202F, 0x202F, true, true},   {0x205F, 0x205F, true, true},
    {0x3000, 0x3000, true, true},   {0xFEFF, 0xFEFF, false, true},
};

inline bool is_ecma_space(uint32_t cp) {
  if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20;
  for (const Range& r : kRanges)
    if (cp >= r.first && cp <= r.last) return r.ecma;
  return false;
}

inline bool is_unicode_white_space(uint32_t cp) {
  if (cp < 0x80) return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20;
  for (const Range& r : kRanges)
    if (cp >= r.first && cp <= r.last) return r.unicode;
  return false;
}

// The non-ASCII cases of the two functions below.
size_t ecma_space_at_slow(std::string_view s, size_t i);
size_t ecma_space_before_slow(std::string_view s, size_t end);

// Byte length of the ECMAScript space at s[i] (i < s.size(); 0 if none). Invalid UTF-8
// is no space. Inline for ASCII: answer trimming runs it on every answer of a batch.
inline size_t ecma_space_at(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return is_ecma_space(c) ? 1 : 0;
  return ecma_space_at_slow(s, i);
}

// Byte length of the ECMAScript space ending just before s[end] (0 < end ≤ s.size();
// 0 if none).
inline size_t ecma_space_before(std::string_view s, size_t end) {
  unsigned char c = static_cast<unsigned char>(s[end - 1]);
  if (c < 0x80) return is_ecma_space(c) ? 1 : 0;
  return ecma_space_before_slow(s, end);
}

// True when `s` is empty or only ECMAScript spaces (JavaScript's /^\s*$/).
bool is_blank(std::string_view s);

}  // namespace signalkit::whitespace

#endif  // SIGNALKIT_SRC_COMMON_WHITESPACE_H_

// Internal Unicode helpers for the keyword matcher: UTF-8 decoding, character classes
// (word, no-space script, separator) and simple case folding, from RE2's tables.
#ifndef SIGNALKIT_SRC_COMMON_UNICODE_H_
#define SIGNALKIT_SRC_COMMON_UNICODE_H_

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace signalkit::mu {

enum : uint8_t {
  kWord = 1,     // Unicode L, M, N
  kNoSpace = 2,  // Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar
  kSep = 4,      // White_Space or U+002D, U+2010, U+2011
};

// A word character that needs boundaries (not of a no-space script).
inline bool word_nn(uint8_t cls) { return (cls & (kWord | kNoSpace)) == kWord; }

struct Tables {
  uint8_t cls[0x10000];    // BMP classes
  uint16_t fold[0x10000];  // BMP canonical fold (smallest member of the case orbit)
};
// Built once on first use (~2 ms); 192 KB. Inline so the hot loops pay one load.
extern const Tables* g_tables;
const Tables& build_tables();
inline const Tables& tables() { return g_tables ? *g_tables : build_tables(); }

uint8_t astral_class(uint32_t cp);
uint32_t astral_fold(uint32_t cp);

inline uint8_t char_class(uint32_t cp) {
  return cp < 0x10000 ? tables().cls[cp] : astral_class(cp);
}
inline uint32_t fold(uint32_t cp) {
  return cp < 0x10000 ? tables().fold[cp] : astral_fold(cp);
}

// Decodes one code point at p (< end). Invalid or truncated sequences, surrogates and
// overlongs decode as U+FFFD with length 1.
inline uint32_t decode(const uint8_t* p, const uint8_t* end, int* len) {
  uint8_t b0 = p[0];
  if (b0 < 0x80) { *len = 1; return b0; }
  size_t avail = static_cast<size_t>(end - p);
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (avail >= 2 && (p[1] & 0xC0) == 0x80) { *len = 2; return ((b0 & 0x1Fu) << 6) | (p[1] & 0x3Fu); }
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (avail >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
      uint32_t cp = ((b0 & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) { *len = 3; return cp; }
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (avail >= 4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) {
      uint32_t cp = ((b0 & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
                    (p[3] & 0x3Fu);
      if (cp >= 0x10000 && cp <= 0x10FFFF) { *len = 4; return cp; }
    }
  }
  *len = 1;
  return 0xFFFD;
}

// Start of the code point that ends just before `p` (p > begin), by the same decoding
// rules as decode(): used to step backwards.
const uint8_t* prev_start(const uint8_t* begin, const uint8_t* p);

// UTF-16 units of the decoded text in [begin, p).
size_t utf16_length(const uint8_t* begin, const uint8_t* p);

}  // namespace signalkit::mu

#endif  // SIGNALKIT_SRC_COMMON_UNICODE_H_

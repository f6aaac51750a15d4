// Unicode character classes (word, no-space script, separator) and simple case folding,
// built from RE2's tables, for the keyword matcher. UTF-8 itself is common/utf8.h.
#ifndef SIGNALKIT_SRC_COMMON_UNICODE_H_
#define SIGNALKIT_SRC_COMMON_UNICODE_H_

#include <cstddef>
#include <cstdint>

namespace signalkit::unicode {

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

}  // namespace signalkit::unicode

#endif  // SIGNALKIT_SRC_COMMON_UNICODE_H_

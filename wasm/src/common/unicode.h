// Unicode character classes (word, no-space script, separator) and simple case folding,
// built from RE2's tables, for the keyword matcher. UTF-8 itself is common/utf8.h.
#ifndef SIGNALKIT_SRC_COMMON_UNICODE_H_
#define SIGNALKIT_SRC_COMMON_UNICODE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace signalkit::unicode {

enum : uint8_t {
  kWord = 1,     // Unicode L, M, N
  kNoSpace = 2,  // Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar
  kSep = 4,      // White_Space or U+002D, U+2010, U+2011
};

// A word character that needs boundaries (not of a no-space script).
inline bool word_nn(uint8_t cls) { return (cls & (kWord | kNoSpace)) == kWord; }

inline constexpr uint32_t kAstralBlocks = (0x110000 - 0x10000) >> 8;  // 256 code points each

struct Tables {
  uint8_t cls[0x10000];    // BMP classes
  uint16_t fold[0x10000];  // BMP canonical fold (smallest member of the case orbit)
  // Above the BMP: each block of 256 code points points at one of a few distinct
  // 256-entry class blocks (most of the 1M code points are unassigned), and only blocks
  // with cased letters (Deseret, Osage, Adlam, ...) look their fold up in a sorted list.
  uint16_t astral_block[kAstralBlocks];
  uint8_t astral_cased[kAstralBlocks];
  const uint8_t* astral_cls;           // distinct class blocks, 256 entries each
  const uint32_t* astral_fold_from;    // sorted code points whose fold differs
  const uint32_t* astral_fold_to;
  size_t astral_fold_count;
  std::vector<uint8_t> astral_cls_store;  // what the pointers above point into
  std::vector<uint32_t> astral_fold_store;
};
// Built once on first use (~2 ms); about 240 KB. Inline so the hot loops pay one load,
// also for astral characters (emoji).
extern const Tables* g_tables;
const Tables& build_tables();
inline const Tables& tables() { return g_tables ? *g_tables : build_tables(); }

inline uint8_t astral_class(uint32_t cp) {  // U+10000..U+10FFFF
  if (cp > 0x10FFFF) return 0;
  const Tables& t = tables();
  return t.astral_cls[(static_cast<size_t>(t.astral_block[(cp - 0x10000) >> 8]) << 8) | (cp & 0xFF)];
}
uint32_t astral_fold_lookup(uint32_t cp);
inline uint32_t astral_fold(uint32_t cp) {  // U+10000..U+10FFFF
  if (cp > 0x10FFFF || !tables().astral_cased[(cp - 0x10000) >> 8]) return cp;
  return astral_fold_lookup(cp);
}

inline uint8_t char_class(uint32_t cp) {
  return cp < 0x10000 ? tables().cls[cp] : astral_class(cp);
}
inline uint32_t fold(uint32_t cp) {
  return cp < 0x10000 ? tables().fold[cp] : astral_fold(cp);
}

}  // namespace signalkit::unicode

#endif  // SIGNALKIT_SRC_COMMON_UNICODE_H_

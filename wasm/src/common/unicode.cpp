#include "common/unicode.h"

#include <algorithm>
#include <iterator>
#include <string_view>

#include "common/whitespace.h"
#include "re2/unicode_casefold.h"
#include "re2/unicode_groups.h"

namespace signalkit::unicode {
namespace {

const re2::UGroup* find_group(std::string_view name) {
  for (int i = 0; i < re2::num_unicode_groups; ++i)
    if (name == re2::unicode_groups[i].name) return &re2::unicode_groups[i];
  return nullptr;
}

const char* const kWordGroups[] = {"L", "M", "N"};
const char* const kNoSpaceGroups[] = {"Han", "Hiragana", "Katakana", "Thai", "Lao", "Khmer", "Myanmar"};

bool in_group32(const re2::UGroup* g, uint32_t cp) {
  if (!g) return false;
  const re2::URange32* r = g->r32;
  int lo = 0, hi = g->nr32;
  while (lo < hi) {
    int m = (lo + hi) / 2;
    if (cp < static_cast<uint32_t>(r[m].lo)) hi = m;
    else if (cp > static_cast<uint32_t>(r[m].hi)) lo = m + 1;
    else return true;
  }
  return false;
}

uint32_t cycle(uint32_t r) {
  const re2::CaseFold* f =
      re2::LookupCaseFold(re2::unicode_casefold, re2::num_unicode_casefold, static_cast<re2::Rune>(r));
  if (f == nullptr || static_cast<re2::Rune>(r) < f->lo) return r;
  return static_cast<uint32_t>(re2::ApplyFold(f, static_cast<re2::Rune>(r)));
}

// The smallest member of r's case orbit: a canonical representative, so two characters
// fold equal exactly when RE2 (and JavaScript /iu) would match them case-insensitively.
uint32_t canonical(uint32_t r) {
  uint32_t best = r;
  uint32_t c = cycle(r);
  for (int guard = 0; c != r && guard < 16; ++guard) {
    best = std::min(best, c);
    c = cycle(c);
  }
  return best;
}

// Keyword separators: Unicode White_Space and the hyphens U+002D, U+2010, U+2011.
bool is_separator(uint32_t cp) {
  return whitespace::is_unicode_white_space(cp) || cp == 0x2D || cp == 0x2010 || cp == 0x2011;
}

Tables* build() {
  auto* t = new Tables();
  std::fill(std::begin(t->cls), std::end(t->cls), 0);
  for (const char* name : kWordGroups) {
    const re2::UGroup* g = find_group(name);
    for (int i = 0; g && i < g->nr16; ++i)
      for (uint32_t c = g->r16[i].lo; c <= g->r16[i].hi; ++c) t->cls[c] |= kWord;
  }
  for (const char* name : kNoSpaceGroups) {
    const re2::UGroup* g = find_group(name);
    for (int i = 0; g && i < g->nr16; ++i)
      for (uint32_t c = g->r16[i].lo; c <= g->r16[i].hi; ++c) t->cls[c] |= kNoSpace;
  }
  for (uint32_t c = 0; c < 0x10000; ++c) {
    if (is_separator(c)) t->cls[c] |= kSep;
    uint32_t f = canonical(c);
    // No BMP orbit reaches outside the BMP in Unicode 15; keep the character if one did.
    t->fold[c] = static_cast<uint16_t>(f < 0x10000 ? f : c);
  }
  return t;
}

}  // namespace

const Tables* g_tables = nullptr;

const Tables& build_tables() {
  static const Tables* t = build();
  g_tables = t;
  return *t;
}

uint8_t astral_class(uint32_t cp) {
  static const re2::UGroup* word[3] = {find_group("L"), find_group("M"), find_group("N")};
  static const re2::UGroup* nospace[7] = {find_group("Han"), find_group("Hiragana"),
                                          find_group("Katakana"), find_group("Thai"),
                                          find_group("Lao"), find_group("Khmer"),
                                          find_group("Myanmar")};
  uint8_t c = 0;
  for (auto* g : word)
    if (in_group32(g, cp)) { c |= kWord; break; }
  for (auto* g : nospace)
    if (in_group32(g, cp)) { c |= kNoSpace; break; }
  return c;
}

uint32_t astral_fold(uint32_t cp) { return canonical(cp); }

}  // namespace signalkit::unicode

#include "common/unicode.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <string_view>
#include <vector>

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

// Sets `bits` on every code point of the group's ranges that lies in [lo, hi].
template <typename Range>
void mark(const Range* r, int n, uint32_t lo, uint32_t hi, uint8_t bits, uint8_t* out) {
  for (int i = 0; i < n; ++i) {
    uint32_t a = std::max<uint32_t>(static_cast<uint32_t>(r[i].lo), lo);
    uint32_t b = std::min<uint32_t>(static_cast<uint32_t>(r[i].hi), hi);
    for (uint32_t c = a; c <= b && a <= b; ++c) out[c - lo] |= bits;
  }
}

void mark_groups(const char* const* names, size_t n, uint32_t lo, uint32_t hi, uint8_t bits,
                 uint8_t* out) {
  for (size_t k = 0; k < n; ++k) {
    const re2::UGroup* g = find_group(names[k]);
    if (!g) continue;
    mark(g->r16, g->nr16, lo, hi, bits, out);
    mark(g->r32, g->nr32, lo, hi, bits, out);
  }
}

Tables* build() {
  auto* t = new Tables();
  std::fill(std::begin(t->cls), std::end(t->cls), 0);
  mark_groups(kWordGroups, std::size(kWordGroups), 0, 0xFFFF, kWord, t->cls);
  mark_groups(kNoSpaceGroups, std::size(kNoSpaceGroups), 0, 0xFFFF, kNoSpace, t->cls);
  for (uint32_t c = 0; c < 0x10000; ++c) {
    if (is_separator(c)) t->cls[c] |= kSep;
    uint32_t f = canonical(c);
    // No BMP orbit reaches outside the BMP in Unicode 15; keep the character if one did.
    t->fold[c] = static_cast<uint16_t>(f < 0x10000 ? f : c);
  }

  // Astral classes (no separator lies above the BMP), deduplicated by 256-entry block.
  std::vector<uint8_t> astral(0x100000, 0);
  mark_groups(kWordGroups, std::size(kWordGroups), 0x10000, 0x10FFFF, kWord, astral.data());
  mark_groups(kNoSpaceGroups, std::size(kNoSpaceGroups), 0x10000, 0x10FFFF, kNoSpace, astral.data());
  std::vector<uint8_t>& blocks = t->astral_cls_store;
  std::map<std::string_view, uint16_t> distinct;
  for (uint32_t b = 0; b < kAstralBlocks; ++b) {
    std::string_view block(reinterpret_cast<const char*>(astral.data()) + (b << 8), 256);
    auto [it, fresh] = distinct.emplace(block, static_cast<uint16_t>(distinct.size()));
    if (fresh) blocks.insert(blocks.end(), block.begin(), block.end());
    t->astral_block[b] = it->second;
  }
  t->astral_cls = blocks.data();

  // Astral folds: only the code points of RE2's case-folding rows above the BMP.
  std::vector<uint32_t> from, to;
  std::fill(std::begin(t->astral_cased), std::end(t->astral_cased), 0);
  for (int i = 0; i < re2::num_unicode_casefold; ++i) {
    const re2::CaseFold& f = re2::unicode_casefold[i];
    for (uint32_t c = std::max<uint32_t>(static_cast<uint32_t>(f.lo), 0x10000);
         c <= static_cast<uint32_t>(f.hi); ++c) {
      uint32_t folded = canonical(c);
      if (folded == c) continue;
      from.push_back(c);
      to.push_back(folded);
      t->astral_cased[(c - 0x10000) >> 8] = 1;
    }
  }
  // RE2's rows are sorted and disjoint, so `from` is sorted.
  t->astral_fold_store = from;
  t->astral_fold_store.insert(t->astral_fold_store.end(), to.begin(), to.end());
  t->astral_fold_count = from.size();
  t->astral_fold_from = t->astral_fold_store.data();
  t->astral_fold_to = t->astral_fold_store.data() + from.size();
  return t;
}

}  // namespace

const Tables* g_tables = nullptr;

const Tables& build_tables() {
  static const Tables* t = build();
  g_tables = t;
  return *t;
}

uint32_t astral_fold_lookup(uint32_t cp) {
  const Tables& t = tables();
  const uint32_t* end = t.astral_fold_from + t.astral_fold_count;
  const uint32_t* it = std::lower_bound(t.astral_fold_from, end, cp);
  return it != end && *it == cp ? t.astral_fold_to[it - t.astral_fold_from] : cp;
}

}  // namespace signalkit::unicode

#include "validation/idna.h"

#include <cstdint>
#include <string>
#include <vector>

#include "common/utf8.h"
#include "common/whitespace.h"
#include "re2/unicode_groups.h"

namespace signalkit::schema_internal::idna {
namespace {

using Label = std::vector<uint32_t>;

// --- Unicode properties from RE2's tables -----------------------------------------------

const re2::UGroup* group(const char* name) {
  for (int i = 0; i < re2::num_unicode_groups; ++i)
    if (std::string_view(name) == re2::unicode_groups[i].name) return &re2::unicode_groups[i];
  return nullptr;
}

bool in(const re2::UGroup* g, uint32_t cp) {
  if (!g) return false;
  if (cp < 0x10000) {
    int lo = 0, hi = g->nr16;
    while (lo < hi) {
      int m = (lo + hi) / 2;
      if (cp < g->r16[m].lo) hi = m;
      else if (cp > g->r16[m].hi) lo = m + 1;
      else return true;
    }
    return false;
  }
  int lo = 0, hi = g->nr32;
  while (lo < hi) {
    int m = (lo + hi) / 2;
    if (cp < static_cast<uint32_t>(g->r32[m].lo)) hi = m;
    else if (cp > static_cast<uint32_t>(g->r32[m].hi)) lo = m + 1;
    else return true;
  }
  return false;
}

struct Groups {
  const re2::UGroup *Ll = group("Ll"), *Lu = group("Lu"), *Lo = group("Lo"), *Lm = group("Lm"), *Lt = group("Lt"),
                    *Nd = group("Nd"), *Mn = group("Mn"), *Mc = group("Mc"), *Me = group("Me"), *Cf = group("Cf"),
                    *L = group("L"), *M = group("M"), *N = group("N"), *P = group("P"), *S = group("S"),
                    *Z = group("Z"), *C = group("C"), *Greek = group("Greek"), *Hebrew = group("Hebrew"),
                    *Hiragana = group("Hiragana"), *Katakana = group("Katakana"), *Han = group("Han"),
                    *Arabic = group("Arabic"), *Syriac = group("Syriac"), *Thaana = group("Thaana"),
                    *Nko = group("Nko"), *Samaritan = group("Samaritan"), *Mandaic = group("Mandaic"),
                    *Adlam = group("Adlam"), *Mongolian = group("Mongolian");
};
const Groups& g() {
  static const Groups* groups = new Groups();
  return *groups;
}

struct Range {
  uint32_t lo, hi;
};
template <size_t N>
bool in_ranges(const Range (&rs)[N], uint32_t cp) {
  for (const auto& r : rs)
    if (cp >= r.lo && cp <= r.hi) return true;
  return false;
}

// RFC 5892 §2.6 exceptions.
enum class Prop { kPvalid, kContextJ, kContextO, kDisallowed };
bool exception(uint32_t cp, Prop* p) {
  switch (cp) {
    case 0x00DF: case 0x03C2: case 0x06FD: case 0x06FE: case 0x0F0B: case 0x3007:
      *p = Prop::kPvalid;
      return true;
    case 0x00B7: case 0x0375: case 0x05F3: case 0x05F4: case 0x30FB:
      *p = Prop::kContextO;
      return true;
    case 0x0640: case 0x07FA: case 0x302E: case 0x302F: case 0x3031: case 0x3032: case 0x3033:
    case 0x3034: case 0x3035: case 0x303B:
      *p = Prop::kDisallowed;
      return true;
    default:
      if ((cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x06F0 && cp <= 0x06F9)) {
        *p = Prop::kContextO;
        return true;
      }
      return false;
  }
}

// Default_Ignorable_Code_Point and blocks RFC 5892 excludes (IgnorableBlocks,
// OldHangulJamo), and compatibility blocks standing in for NFKC instability.
constexpr Range kIgnorable[] = {
    {0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x061C, 0x061C}, {0x115F, 0x1160}, {0x17B4, 0x17B5},
    {0x180B, 0x180F}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x206F}, {0x3164, 0x3164},
    {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFF8}, {0x1BCA0, 0x1BCA3},
    {0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF}};
constexpr Range kExcludedBlocks[] = {
    {0x20D0, 0x20FF}, {0x1D100, 0x1D1FF}, {0x1D200, 0x1D24F},            // IgnorableBlocks
    {0x1100, 0x11FF}, {0xA960, 0xA97F}, {0xD7B0, 0xD7FF},                // OldHangulJamo
    {0x2070, 0x209F}, {0x2100, 0x218F}, {0x2460, 0x24FF}, {0x3200, 0x33FF},  // compatibility
    {0xFB00, 0xFDFF}, {0xFE30, 0xFE4F}, {0xFE70, 0xFEFF}, {0xFF00, 0xFFEF}, {0x1D400, 0x1D7FF},
    {0x1F100, 0x1F1FF}, {0x2F800, 0x2FA1F}, {0x0132, 0x0133}, {0x013F, 0x0140}, {0x0149, 0x0149},
    {0x01C4, 0x01CC}, {0x01F1, 0x01F3}, {0x00AA, 0x00AA}, {0x00BA, 0x00BA}};

bool noncharacter(uint32_t cp) { return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE; }

// Case folding changes upper- and titlecase letters, and these lowercase ones.
bool unstable_case(uint32_t cp) {
  static constexpr uint32_t kFoldingLower[] = {0x00B5, 0x017F, 0x03D0, 0x03D1, 0x03D5, 0x03D6, 0x03F0,
                                               0x03F1, 0x03F5, 0x1E9B, 0x1FBE};
  for (uint32_t c : kFoldingLower)
    if (c == cp) return true;
  return in(g().Lu, cp) || in(g().Lt, cp);
}

bool assigned(uint32_t cp) {
  const Groups& x = g();
  return in(x.L, cp) || in(x.M, cp) || in(x.N, cp) || in(x.P, cp) || in(x.S, cp) || in(x.Z, cp) || in(x.C, cp);
}

// RFC 5892 §3, in its order.
Prop property(uint32_t cp) {
  Prop p;
  if (exception(cp, &p)) return p;
  if (!assigned(cp) && !noncharacter(cp)) return Prop::kDisallowed;  // UNASSIGNED
  if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '-') return Prop::kPvalid;
  if (cp == 0x200C || cp == 0x200D) return Prop::kContextJ;
  if (unstable_case(cp)) return Prop::kDisallowed;  // Unstable: case folding changes it
  if (in_ranges(kIgnorable, cp) || whitespace::is_unicode_white_space(cp) || noncharacter(cp)) return Prop::kDisallowed;
  if (in_ranges(kExcludedBlocks, cp)) return Prop::kDisallowed;
  const Groups& x = g();
  if (in(x.Ll, cp) || in(x.Lo, cp) || in(x.Nd, cp) || in(x.Lm, cp) || in(x.Mn, cp) || in(x.Mc, cp)) return Prop::kPvalid;
  return Prop::kDisallowed;
}

bool is_mark(uint32_t cp) { return in(g().Mn, cp) || in(g().Mc, cp) || in(g().Me, cp); }

// Canonical_Combining_Class = Virama (9).
constexpr uint32_t kVirama[] = {
    0x094D, 0x09CD, 0x0A4D, 0x0ACD, 0x0B4D, 0x0BCD, 0x0C4D, 0x0CCD, 0x0D3B, 0x0D3C, 0x0D4D, 0x0DCA, 0x0E3A,
    0x0EBA, 0x0F84, 0x1039, 0x103A, 0x1714, 0x1715, 0x1734, 0x17D2, 0x1A60, 0x1B44, 0x1BAA, 0x1BAB, 0x1BF2,
    0x1BF3, 0x2D7F, 0xA806, 0xA82C, 0xA8C4, 0xA953, 0xA9C0, 0xAAF6, 0xABED, 0x10A3F, 0x11046, 0x11070,
    0x1107F, 0x110B9, 0x11133, 0x11134, 0x111C0, 0x11235, 0x112EA, 0x1134D, 0x11442, 0x114C2, 0x115BF,
    0x1163F, 0x116B6, 0x1172B, 0x11839, 0x1193D, 0x1193E, 0x119E0, 0x11A34, 0x11A47, 0x11A99, 0x11C3F,
    0x11D44, 0x11D45, 0x11D97};
bool virama(uint32_t cp) {
  for (uint32_t v : kVirama)
    if (v == cp) return true;
  return false;
}

// Joining_Type (for ZERO WIDTH NON-JOINER): T for marks and format characters, R for the
// right-joining letters of Arabic and Syriac, D for the other letters of the joining
// scripts, U otherwise.
constexpr Range kRightJoining[] = {
    {0x0622, 0x0625}, {0x0627, 0x0627}, {0x0629, 0x0629}, {0x062F, 0x0632}, {0x0648, 0x0648},
    {0x0671, 0x0673}, {0x0675, 0x0677}, {0x0688, 0x0699}, {0x06C0, 0x06C0}, {0x06C3, 0x06CB},
    {0x06CD, 0x06CD}, {0x06CF, 0x06CF}, {0x06D2, 0x06D3}, {0x06D5, 0x06D5}, {0x06EE, 0x06EF},
    {0x0710, 0x0710}, {0x0715, 0x0719}, {0x071E, 0x071E}, {0x0728, 0x0728}, {0x072A, 0x072A},
    {0x072C, 0x072C}, {0x072F, 0x072F}, {0x074D, 0x074D}, {0x0759, 0x075B}, {0x076B, 0x076C},
    {0x0771, 0x0771}, {0x0773, 0x0774}, {0x0778, 0x0779}, {0x08AA, 0x08AC}, {0x08AE, 0x08AE},
    {0x08B1, 0x08B2}, {0x08B9, 0x08B9}};
enum class Joining { kU, kT, kR, kD };
Joining joining(uint32_t cp) {
  const Groups& x = g();
  if (in(x.Mn, cp) || in(x.Me, cp) || in(x.Cf, cp)) return Joining::kT;
  if (cp == 0x0621 || cp == 0x0674) return Joining::kU;
  if (in_ranges(kRightJoining, cp)) return Joining::kR;
  if (in(x.L, cp) && (in(x.Arabic, cp) || in(x.Syriac, cp) || in(x.Nko, cp) || in(x.Mongolian, cp))) return Joining::kD;
  return Joining::kU;
}

// Bidi_Class, for the Bidi Rule (RFC 5893).
enum class Bidi { kL, kR, kAL, kAN, kEN, kES, kCS, kET, kON, kBN, kNSM };
Bidi bidi(uint32_t cp) {
  const Groups& x = g();
  if ((cp >= '0' && cp <= '9') || (cp >= 0x06F0 && cp <= 0x06F9) || cp == 0xB2 || cp == 0xB3 || cp == 0xB9)
    return Bidi::kEN;
  if ((cp >= 0x0660 && cp <= 0x0669) || (cp >= 0x0600 && cp <= 0x0605) || cp == 0x066B || cp == 0x066C ||
      cp == 0x06DD || cp == 0x08E2 || (cp >= 0x10E60 && cp <= 0x10E7E))
    return Bidi::kAN;
  if (cp == '+' || cp == '-') return Bidi::kES;
  if (cp == ',' || cp == '.' || cp == '/' || cp == ':' || cp == 0xA0) return Bidi::kCS;
  if (cp == '#' || cp == '$' || cp == '%' || cp == 0xB0 || cp == 0xB1) return Bidi::kET;
  if (in(x.Mn, cp) || in(x.Me, cp)) return Bidi::kNSM;
  if (in(x.Cf, cp) || cp < 0x20) return Bidi::kBN;
  if (in(x.Arabic, cp) || in(x.Syriac, cp) || in(x.Thaana, cp)) return Bidi::kAL;
  if (in(x.Hebrew, cp) || in(x.Nko, cp) || in(x.Samaritan, cp) || in(x.Mandaic, cp) || in(x.Adlam, cp))
    return Bidi::kR;
  if (in(x.L, cp) || in(x.M, cp) || in(x.N, cp)) return Bidi::kL;
  return Bidi::kON;
}

// --- Punycode (RFC 3492) ---------------------------------------------------------------

constexpr uint32_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700, kInitialBias = 72, kInitialN = 128;

uint32_t adapt(uint32_t delta, uint32_t points, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / points;
  uint32_t k = 0;
  while (delta > ((kBase - kTMin) * kTMax) / 2) {
    delta /= kBase - kTMin;
    k += kBase;
  }
  return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
}

bool decode_punycode(std::string_view in, Label* out) {
  out->clear();
  size_t basic = in.rfind('-');
  if (basic == std::string_view::npos) basic = 0;
  for (size_t j = 0; j < basic; ++j) {
    if (static_cast<uint8_t>(in[j]) >= 0x80) return false;
    out->push_back(static_cast<uint8_t>(in[j]));
  }
  uint32_t n = kInitialN, bias = kInitialBias;
  uint64_t i = 0;
  for (size_t pos = basic > 0 ? basic + 1 : 0; pos < in.size();) {
    uint64_t old_i = i, w = 1;
    for (uint32_t k = kBase;; k += kBase) {
      if (pos >= in.size()) return false;
      char c = in[pos++];
      uint32_t digit = c >= '0' && c <= '9' ? static_cast<uint32_t>(c - '0' + 26)
                       : c >= 'a' && c <= 'z' ? static_cast<uint32_t>(c - 'a')
                       : c >= 'A' && c <= 'Z' ? static_cast<uint32_t>(c - 'A')
                                              : kBase;
      if (digit >= kBase) return false;
      i += digit * w;
      if (i > 0x10FFFF * uint64_t{64}) return false;
      uint32_t t = k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
      if (digit < t) break;
      w *= kBase - t;
      if (w > 0xFFFFFFFFull) return false;
    }
    uint32_t points = static_cast<uint32_t>(out->size()) + 1;
    bias = adapt(static_cast<uint32_t>(i - old_i), points, old_i == 0);
    n += static_cast<uint32_t>(i / points);
    i %= points;
    if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF) || out->size() > 256) return false;
    out->insert(out->begin() + static_cast<long>(i), n);
    ++i;
  }
  return true;
}

bool encode_punycode(const Label& in, std::string* out) {
  out->clear();
  for (uint32_t cp : in)
    if (cp < 0x80) out->push_back(static_cast<char>(cp));
  size_t h = out->size(), b = h;
  if (b > 0) out->push_back('-');
  uint32_t n = kInitialN, bias = kInitialBias;
  uint64_t delta = 0;
  auto digit = [](uint32_t d) { return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26)); };
  while (h < in.size()) {
    uint32_t m = 0x10FFFF + 1;
    for (uint32_t cp : in)
      if (cp >= n && cp < m) m = cp;
    delta += static_cast<uint64_t>(m - n) * (h + 1);
    if (delta > 0xFFFFFFFFull) return false;
    n = m;
    for (uint32_t cp : in) {
      if (cp < n) ++delta;
      if (cp == n) {
        uint64_t q = delta;
        for (uint32_t k = kBase;; k += kBase) {
          uint32_t t = k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
          if (q < t) break;
          out->push_back(digit(static_cast<uint32_t>(t + (q - t) % (kBase - t))));
          q = (q - t) / (kBase - t);
        }
        out->push_back(digit(static_cast<uint32_t>(q)));
        bias = adapt(static_cast<uint32_t>(delta), static_cast<uint32_t>(h + 1), h == b);
        delta = 0;
        ++h;
      }
    }
    ++delta;
    ++n;
  }
  return true;
}

// --- labels ---------------------------------------------------------------------------

bool ldh(uint32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; }

bool hyphens_ok(const Label& l) {
  if (l.empty() || l.front() == '-' || l.back() == '-') return false;
  return !(l.size() >= 4 && l[2] == '-' && l[3] == '-');
}

// RFC 5891 §4.2.3 and RFC 5892 Appendix A: a U-label's code points and their contexts.
bool valid_u_label(const Label& l) {
  if (!hyphens_ok(l) || is_mark(l[0])) return false;
  bool arabic_indic = false, extended = false;
  for (uint32_t cp : l) {
    arabic_indic |= cp >= 0x0660 && cp <= 0x0669;
    extended |= cp >= 0x06F0 && cp <= 0x06F9;
  }
  for (size_t i = 0; i < l.size(); ++i) {
    uint32_t cp = l[i];
    switch (property(cp)) {
      case Prop::kPvalid: break;
      case Prop::kDisallowed: return false;
      case Prop::kContextJ: {
        if (i > 0 && virama(l[i - 1])) break;
        if (cp == 0x200D) return false;
        // ZWNJ: (L|D) T* ZWNJ T* (R|D)
        size_t b = i;
        while (b > 0 && joining(l[b - 1]) == Joining::kT) --b;
        size_t a = i + 1;
        while (a < l.size() && joining(l[a]) == Joining::kT) ++a;
        if (b == 0 || a >= l.size()) return false;
        Joining before = joining(l[b - 1]), after = joining(l[a]);
        if (before != Joining::kD || (after != Joining::kR && after != Joining::kD)) return false;
        break;
      }
      case Prop::kContextO:
        if (cp == 0x00B7) {
          if (i == 0 || i + 1 >= l.size() || l[i - 1] != 'l' || l[i + 1] != 'l') return false;
        } else if (cp == 0x0375) {
          if (i + 1 >= l.size() || !in(g().Greek, l[i + 1])) return false;
        } else if (cp == 0x05F3 || cp == 0x05F4) {
          if (i == 0 || !in(g().Hebrew, l[i - 1])) return false;
        } else if (cp == 0x30FB) {
          bool other = false;
          for (uint32_t c : l)
            other |= c != 0x30FB && (in(g().Hiragana, c) || in(g().Katakana, c) || in(g().Han, c));
          if (!other) return false;
        } else if (cp >= 0x0660 && cp <= 0x0669) {
          if (extended) return false;
        } else if (cp >= 0x06F0 && cp <= 0x06F9) {
          if (arabic_indic) return false;
        }
        break;
    }
  }
  return true;
}

bool rtl_label(const Label& l) {
  for (uint32_t cp : l) {
    Bidi b = bidi(cp);
    if (b == Bidi::kR || b == Bidi::kAL || b == Bidi::kAN) return true;
  }
  return false;
}

// RFC 5893 §2, for every label of a domain that has a right-to-left label.
bool bidi_rule(const Label& l) {
  Bidi first = bidi(l[0]);
  size_t end = l.size();
  while (end > 0 && bidi(l[end - 1]) == Bidi::kNSM) --end;
  if (end == 0) return false;
  Bidi last = bidi(l[end - 1]);
  if (first == Bidi::kR || first == Bidi::kAL) {
    bool en = false, an = false;
    for (uint32_t cp : l) {
      Bidi b = bidi(cp);
      if (b == Bidi::kL) return false;
      en |= b == Bidi::kEN;
      an |= b == Bidi::kAN;
    }
    return !(en && an) && (last == Bidi::kR || last == Bidi::kAL || last == Bidi::kEN || last == Bidi::kAN);
  }
  if (first != Bidi::kL) return false;
  for (uint32_t cp : l) {
    Bidi b = bidi(cp);
    if (b == Bidi::kR || b == Bidi::kAL || b == Bidi::kAN) return false;
  }
  return last == Bidi::kL || last == Bidi::kEN;
}

// Checks a domain's labels: ASCII labels as RFC 1123 host names (an "xn--" label must
// decode to a valid U-label that re-encodes to itself), others as U-labels; then the
// lengths in A-label form and the Bidi Rule.
bool check_domain(const std::vector<Label>& labels, bool allow_unicode) {
  if (labels.empty()) return false;
  std::vector<Label> unicode;
  size_t total = labels.size() - 1;  // the dots
  for (const Label& raw : labels) {
    if (raw.empty()) return false;
    bool ascii = true;
    for (uint32_t cp : raw) ascii &= cp < 0x80;
    if (ascii) {
      for (uint32_t cp : raw)
        if (!ldh(cp)) return false;
      if (raw.size() > 63 || raw.front() == '-' || raw.back() == '-') return false;
      total += raw.size();
      if (raw.size() >= 4 && raw[2] == '-' && raw[3] == '-') {
        if (!((raw[0] | 0x20) == 'x' && (raw[1] | 0x20) == 'n')) return false;
        std::string a;
        for (size_t k = 4; k < raw.size(); ++k) a.push_back(static_cast<char>(raw[k] | ((raw[k] >= 'A' && raw[k] <= 'Z') ? 0x20 : 0)));
        Label u;
        std::string again;
        if (!decode_punycode(a, &u) || u.empty() || !encode_punycode(u, &again) || again != a) return false;
        bool has_non_ascii = false;
        for (uint32_t cp : u) has_non_ascii |= cp >= 0x80;
        if (!has_non_ascii || !valid_u_label(u)) return false;
        unicode.push_back(std::move(u));
      } else {
        Label lower;
        for (uint32_t cp : raw) lower.push_back(cp >= 'A' && cp <= 'Z' ? cp + 0x20 : cp);
        unicode.push_back(std::move(lower));
      }
      continue;
    }
    if (!allow_unicode || !valid_u_label(raw)) return false;
    std::string a;
    if (!encode_punycode(raw, &a) || a.size() + 4 > 63) return false;
    total += a.size() + 4;
    unicode.push_back(raw);
  }
  if (total > 253) return false;
  bool rtl = false;
  for (const Label& l : unicode) rtl |= rtl_label(l);
  if (rtl)
    for (const Label& l : unicode)
      if (!bidi_rule(l)) return false;
  return true;
}

bool split(std::string_view s, bool unicode_dots, std::vector<Label>* labels) {
  labels->assign(1, Label());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = utf8::decode(s, i);
    if (cp == '.' || (unicode_dots && (cp == 0x3002 || cp == 0xFF0E || cp == 0xFF61))) {
      labels->emplace_back();
      continue;
    }
    if (labels->back().size() > 256) return false;  // far over any limit: stop early
    labels->back().push_back(cp);
  }
  return true;
}

}  // namespace

bool is_hostname(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  for (char c : s)
    if (static_cast<uint8_t>(c) >= 0x80) return false;
  std::vector<Label> labels;
  return split(s, false, &labels) && check_domain(labels, false);
}

bool is_idn_hostname(std::string_view s) {
  if (s.empty() || s.size() > 4 * 253) return false;
  std::vector<Label> labels;
  return split(s, true, &labels) && check_domain(labels, true);
}

}  // namespace signalkit::schema_internal::idna

// Rules shared by the fast matcher and the reference: validation, normalisation,
// applicability, snippets and UTF-16 offsets.
#include "matcher/rules.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "common/unicode.h"
#include "common/utf8.h"

namespace signalkit::matcher_internal {
namespace {

std::string field_path(size_t t, const char* member) {
  return "types[" + std::to_string(t) + "]." + member;
}

void check_list(const std::vector<std::string>& list, const std::string& path,
                const char* what, Issues* issues) {
  if (list.size() > kMatcherMaxListItems) {
    issues->push_back({path, "too_many",
                       path + " has " + std::to_string(list.size()) + " " + what +
                           "; at most " + std::to_string(kMatcherMaxListItems) + " are allowed"});
  }
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string& k = list[i];
    std::string p = path + "[" + std::to_string(i) + "]";
    if (k.empty()) {
      issues->push_back({p, "too_short", p + " is empty; a keyword needs at least 1 character"});
      continue;
    }
    size_t n = utf8::code_points(k);
    if (n > kMatcherMaxKeywordChars) {
      issues->push_back({p, "too_long",
                         p + " is " + std::to_string(n) + " characters long; at most " +
                             std::to_string(kMatcherMaxKeywordChars) + " are allowed"});
      continue;
    }
    Normalized norm;
    if (!normalize_keyword(k, &norm)) {
      issues->push_back({p, "blank",
                         p + " holds only spaces or hyphens; a keyword needs a letter, digit "
                             "or symbol"});
    }
  }
}

}  // namespace

bool normalize_keyword(std::string_view kw, Normalized* out) {
  out->cps.clear();
  const auto* p = reinterpret_cast<const uint8_t*>(kw.data());
  const auto* end = p + kw.size();
  bool pending_sep = false;
  uint8_t last = 0;
  while (p < end) {
    int len;
    uint32_t cp = utf8::decode(p, end, &len);
    p += len;
    uint8_t cls = unicode::char_class(cp);
    if (cls & unicode::kSep) {
      pending_sep = !out->cps.empty();
      continue;
    }
    if (pending_sep) out->cps.push_back(kSepCp);
    pending_sep = false;
    if (out->cps.empty()) out->first_cls = cls;
    out->cps.push_back(unicode::fold(cp));
    last = cls;
  }
  out->last_cls = last;
  return !out->cps.empty();
}

bool type_applies(const MatcherTypeSpec& t, const MatcherOptions& options,
                  std::string_view source, bool source_known) {
  if (!t.enabled && !options.include_disabled) return false;
  if (t.has_sources) {
    if (!source_known) return false;
    if (std::find(t.sources.begin(), t.sources.end(), source) == t.sources.end()) return false;
  }
  if (source_known) {
    for (const auto& s : t.source_settings)
      if (s.source_id == source && !s.enabled) return false;
  }
  return true;
}

std::vector<Applied> applied_keywords(const std::vector<MatcherTypeSpec>& types,
                                      const MatcherOptions& options, std::string_view source,
                                      bool source_known) {
  std::vector<Applied> out;
  for (size_t ti = 0; ti < types.size(); ++ti) {
    const MatcherTypeSpec& t = types[ti];
    if (!type_applies(t, options, source, source_known)) continue;
    std::vector<std::string_view> kws(t.keywords.begin(), t.keywords.end());
    if (source_known)
      for (const auto& s : t.source_settings)
        if (s.source_id == source) kws.insert(kws.end(), s.keywords_extra.begin(), s.keywords_extra.end());
    for (int role = 0; role < 2; ++role) {
      std::vector<std::vector<uint32_t>> seen;
      const std::vector<std::string_view> disq(t.disqualifiers.begin(), t.disqualifiers.end());
      for (std::string_view k : role == 0 ? kws : disq) {
        Normalized n;
        if (!normalize_keyword(k, &n)) continue;
        if (std::find(seen.begin(), seen.end(), n.cps) != seen.end()) continue;
        seen.push_back(n.cps);
        out.push_back(Applied{static_cast<uint32_t>(ti), role == 1, k, std::move(n.cps),
                              n.first_cls, n.last_cls});
      }
    }
  }
  return out;
}

bool validate_types(const std::vector<MatcherTypeSpec>& types, const MatcherOptions& options,
                    Issues* issues) {
  size_t before = issues->size();
  if (types.size() > kMatcherMaxTypes) {
    issues->push_back({"types", "too_many",
                       "types has " + std::to_string(types.size()) +
                           " signal types; at most " + std::to_string(kMatcherMaxTypes) +
                           " are allowed"});
  }
  if (options.snippet_radius < 0 || options.snippet_radius > kMatcherMaxSnippetRadius) {
    issues->push_back({"options.snippetRadius",
                       options.snippet_radius < 0 ? "below_minimum" : "above_maximum",
                       "options.snippetRadius must be between 0 and " +
                           std::to_string(kMatcherMaxSnippetRadius)});
  }
  for (size_t ti = 0; ti < types.size(); ++ti) {
    const MatcherTypeSpec& t = types[ti];
    check_list(t.keywords, field_path(ti, "keywords"), "keywords", issues);
    check_list(t.disqualifiers, field_path(ti, "disqualifiers"), "disqualifiers", issues);
    // Puffle has 7 sources: a longer list is not a signal type (and would only cost memory).
    if (t.has_sources && t.sources.size() > kMatcherMaxListItems) {
      issues->push_back({field_path(ti, "sources"), "too_many",
                         field_path(ti, "sources") + " has " + std::to_string(t.sources.size()) +
                             " sources; at most " + std::to_string(kMatcherMaxListItems) + " are allowed"});
    }
    if (t.source_settings.size() > kMatcherMaxListItems) {
      issues->push_back({field_path(ti, "source_settings"), "too_many",
                         field_path(ti, "source_settings") + " has " +
                             std::to_string(t.source_settings.size()) + " entries; at most " +
                             std::to_string(kMatcherMaxListItems) + " are allowed"});
    }
    size_t total = t.keywords.size();
    for (size_t si = 0; si < t.source_settings.size(); ++si) {
      std::string p = field_path(ti, "source_settings") + "[" + std::to_string(si) + "]";
      if (t.source_settings[si].source_id.empty()) {
        issues->push_back({p + ".source_id", "too_short",
                           p + ".source_id is empty; it names the source the settings apply to"});
      }
      check_list(t.source_settings[si].keywords_extra, p + ".keywords_extra", "keywords", issues);
      total += t.source_settings[si].keywords_extra.size();
    }
    if (total > kMatcherMaxKeywordsPerType) {
      issues->push_back({field_path(ti, "keywords"), "too_many",
                         field_path(ti, "keywords") + " and every keywords_extra together hold " +
                             std::to_string(total) + " keywords; at most " +
                             std::to_string(kMatcherMaxKeywordsPerType) + " are allowed"});
    }
  }
  return issues->size() == before;
}

namespace {

// Valid UTF-8, 8 bytes at a time: in `x`, how many bytes are continuation bytes (10xxxxxx)
// and how many start a 4-byte sequence (11110xxx, two UTF-16 units).
constexpr uint64_t kTop = 0x8080808080808080ULL;
inline uint64_t load8(const uint8_t* p) {
  uint64_t x;
  std::memcpy(&x, p, 8);
  return x;
}
inline uint32_t sum_top_bits(uint64_t m) {  // m: only bit 7 of each byte set
  return static_cast<uint32_t>(((m >> 7) * 0x0101010101010101ULL) >> 56);
}
inline uint32_t continuations(uint64_t x) { return sum_top_bits(x & ~(x << 1) & kTop); }
inline uint32_t four_byte_leads(uint64_t x) { return sum_top_bits(x & (x << 1) & (x << 2) & (x << 3) & kTop); }
inline bool continuation(uint8_t b) { return (b & 0xC0) == 0x80; }

}  // namespace

void snippet_bytes(std::string_view text, uint32_t bs, uint32_t be, int radius, TextKind kind,
                   uint32_t* out_begin, uint32_t* out_end) {
  const auto* base = reinterpret_cast<const uint8_t*>(text.data());
  const auto* end = base + text.size();
  if (kind == TextKind::kAscii) {
    // One byte per code point, classes from the table.
    const unicode::Tables& tab = unicode::tables();
    uint32_t s = bs > static_cast<uint32_t>(radius) ? bs - radius : 0;
    uint32_t e = static_cast<uint32_t>(std::min<size_t>(text.size(), size_t{be} + radius));
    auto word = [&](uint32_t i) { return unicode::word_nn(tab.cls[base[i]]); };
    auto sep = [&](uint32_t i) { return (tab.cls[base[i]] & unicode::kSep) != 0; };
    if (s > 0 && s < bs && word(s - 1))
      while (s < bs && word(s)) ++s;
    while (s < bs && sep(s)) ++s;
    if (e < text.size() && e > be && word(e))
      while (e > be && word(e - 1)) --e;
    while (e > be && sep(e - 1)) --e;
    *out_begin = s;
    *out_end = e;
    return;
  }
  // Step `radius` code points each way. Valid UTF-8 goes 8 bytes at a time (a code point
  // starts at each byte that is no continuation byte); otherwise runs of 8 ASCII bytes are
  // 8 code points, and an ASCII byte is always one.
  const uint8_t* s = base + bs;
  const uint8_t* e = base + be;
  if (kind == TextKind::kUtf8) {
    int left = radius;
    while (left > 0 && s > base) {
      if (left > 8 && s - base >= 8) {
        s -= 8;
        left -= 8 - static_cast<int>(continuations(load8(s)));
        if (continuation(*s)) {  // inside a code point: its start is one more
          while (continuation(*s)) --s;
          --left;
        }
        continue;
      }
      do --s;
      while (continuation(*s));
      --left;
    }
    int right = radius;
    while (right > 0 && e < end) {
      if (right > 8 && end - e >= 8) {
        right -= 8 - static_cast<int>(continuations(load8(e)));
        e += 8;
        while (e < end && continuation(*e)) ++e;  // the rest of the last code point begun
        continue;
      }
      do ++e;
      while (e < end && continuation(*e));
      --right;
    }
  } else {
    for (int left = radius; left > 0 && s > base; --left) {
      if (left >= 8 && s - base >= 8 && !(load8(s - 8) & kTop)) {
        s -= 8;
        left -= 7;
        continue;
      }
      s = s[-1] < 0x80 ? s - 1 : utf8::prev_start(base, s);
    }
    for (int right = radius; right > 0 && e < end; --right) {
      if (right >= 8 && end - e >= 8 && !(load8(e) & kTop)) {
        e += 8;
        right -= 7;
        continue;
      }
      int len = 1;
      if (*e >= 0x80) utf8::decode(e, end, &len);
      e += len;
    }
  }
  auto cls_at = [&](const uint8_t* p) {
    int len;
    return unicode::char_class(utf8::decode(p, end, &len));
  };
  // Do not start inside a word: skip to its end, then past separators.
  if (s > base && s < base + bs && unicode::word_nn(cls_at(utf8::prev_start(base, s)))) {
    while (s < base + bs && unicode::word_nn(cls_at(s))) {
      int len;
      utf8::decode(s, end, &len);
      s += len;
    }
  }
  while (s < base + bs && (cls_at(s) & unicode::kSep)) {
    int len;
    utf8::decode(s, end, &len);
    s += len;
  }
  // Do not end inside a word: back up to its start, then before separators.
  if (e < end && e > base + be && unicode::word_nn(cls_at(e))) {
    while (e > base + be) {
      const uint8_t* q = utf8::prev_start(base, e);
      if (!unicode::word_nn(cls_at(q))) break;
      e = q;
    }
  }
  while (e > base + be) {
    const uint8_t* q = utf8::prev_start(base, e);
    if (!(cls_at(q) & unicode::kSep)) break;
    e = q;
  }
  *out_begin = static_cast<uint32_t>(s - base);
  *out_end = static_cast<uint32_t>(e - base);
}

void utf16_offsets(std::string_view text, TextKind kind, std::vector<uint64_t>* keys,
                   uint32_t* const* dst) {
  if (kind == TextKind::kAscii) {  // a UTF-16 unit per byte
    for (uint64_t key : *keys) *dst[static_cast<uint32_t>(key)] = static_cast<uint32_t>(key >> 32);
    return;
  }
  // A lambda, not std::less: libc++ ships std::sort for std::less over built-in types
  // compiled out of line, with a call per comparison (2% of a batch in WebAssembly).
  std::sort(keys->begin(), keys->end(), [](uint64_t a, uint64_t b) { return a < b; });
  const auto* base = reinterpret_cast<const uint8_t*>(text.data());
  const auto* end = base + text.size();
  const uint8_t* p = base;
  uint32_t u16 = 0;
  for (uint64_t key : *keys) {
    const uint8_t* target = base + (key >> 32);
    if (kind == TextKind::kUtf8) {
      // One unit per byte that is no continuation byte, one more per 4-byte sequence.
      for (; target - p >= 8; p += 8) {
        const uint64_t x = load8(p);
        u16 += 8 - continuations(x) + four_byte_leads(x);
      }
      for (; p < target; ++p) u16 += !continuation(*p) + (*p >= 0xF0);
    }
    while (p < target) {
      if (target - p >= 8 && !(load8(p) & kTop)) {  // 8 ASCII bytes are 8 UTF-16 units
        p += 8;
        u16 += 8;
        continue;
      }
      if (*p < 0x80) { ++p; ++u16; continue; }
      int len;
      uint32_t cp = utf8::decode(p, end, &len);
      p += len;
      u16 += cp >= 0x10000 ? 2 : 1;
    }
    *dst[static_cast<uint32_t>(key)] = u16;
  }
}

void finish_results(const MatchDoc& doc, int radius, TypeResult* const* results, size_t n,
                    const TextKind kinds[2], bool hits_in_utf16) {
  const TextKind kind[2] = {kinds ? kinds[0] : TextKind::kUnchecked, kinds ? kinds[1] : TextKind::kUnchecked};
  // Per field, the offsets to convert (utf16_offsets()); the buffers are reused across
  // documents.
  static thread_local std::vector<uint64_t> want[2];
  static thread_local std::vector<uint32_t*> dst;
  want[0].clear();
  want[1].clear();
  dst.clear();
  auto convert = [&](MatchField field, uint32_t offset, uint32_t* to) {
    want[int(field)].push_back((uint64_t{offset} << 32) | dst.size());
    dst.push_back(to);
  };
  // Types often share their first hit: its snippet is computed once.
  struct Snippet {
    MatchField field;
    uint32_t bs, be, sb, se;
  };
  static thread_local std::vector<Snippet> snippets;
  snippets.clear();
  for (size_t ri = 0; ri < n; ++ri) {
    TypeResult& r = *results[ri];
    std::sort(r.hits.begin(), r.hits.end(), [](const KeywordHit& a, const KeywordHit& b) {
      if (a.field != b.field) return a.field < b.field;
      if (a.byte_start != b.byte_start) return a.byte_start < b.byte_start;
      return a.byte_end < b.byte_end;
    });
    if (!hits_in_utf16) {
      for (KeywordHit& h : r.hits) {
        convert(h.field, h.byte_start, &h.start);
        convert(h.field, h.byte_end, &h.end);
      }
      if (r.disqualified) {
        KeywordHit& d = r.disqualifier;
        convert(d.field, d.byte_start, &d.start);
        convert(d.field, d.byte_end, &d.end);
      }
    }
    if (!r.hits.empty()) {
      const KeywordHit& first = r.hits.front();
      r.snippet_field = first.field;
      const Snippet* known = nullptr;
      for (const Snippet& sn : snippets)
        if (sn.field == first.field && sn.bs == first.byte_start && sn.be == first.byte_end) known = &sn;
      if (!known) {
        Snippet sn{first.field, first.byte_start, first.byte_end, 0, 0};
        snippet_bytes(first.field == MatchField::kTitle ? doc.title : doc.text, sn.bs, sn.be, radius,
                      kind[int(first.field)], &sn.sb, &sn.se);
        snippets.push_back(sn);
        known = &snippets.back();
      }
      convert(first.field, known->sb, &r.snippet_start);
      convert(first.field, known->se, &r.snippet_end);
    }
  }
  for (int f = 0; f < 2; ++f)
    if (!want[f].empty()) utf16_offsets(f == 0 ? doc.title : doc.text, kind[f], &want[f], dst.data());
}

}  // namespace signalkit::matcher_internal

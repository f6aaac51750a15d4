// The straightforward reference matcher: decode and fold the whole field, then try every
// applicable keyword at every code point. Deliberately shares no matching code with
// matcher.cpp so that tests and the fuzzer can compare the two.
#include "matcher/reference.h"

#include <algorithm>
#include <map>
#include <utility>

#include "common/unicode.h"
#include "common/utf8.h"
#include "matcher/rules.h"
#include "signalkit/matcher.h"

namespace signalkit {

using matcher_internal::kSepCp;

std::vector<TypeResult> reference_match(const std::vector<MatcherTypeSpec>& types,
                                        const MatcherOptions& options, const MatchDoc& doc) {
  bool known = !doc.source.empty();
  auto applied = matcher_internal::applied_keywords(types, options, doc.source, known);
  struct Found {
    size_t applied;
    int field;
    uint32_t bs, be;
  };
  std::vector<Found> found;
  std::string_view fields[2] = {doc.title, doc.text};
  for (int f = 0; f < 2; ++f) {
    std::vector<uint32_t> folded, offs;
    std::vector<uint8_t> cls;
    const auto* base = reinterpret_cast<const uint8_t*>(fields[f].data());
    const auto* end = base + fields[f].size();
    for (const uint8_t* p = base; p < end;) {
      int len;
      uint32_t cp = utf8::decode(p, end, &len);
      offs.push_back(static_cast<uint32_t>(p - base));
      folded.push_back(unicode::fold(cp));
      cls.push_back(unicode::char_class(cp));
      p += len;
    }
    offs.push_back(static_cast<uint32_t>(fields[f].size()));
    size_t n = folded.size();
    for (size_t a = 0; a < applied.size(); ++a) {
      const auto& kw = applied[a];
      for (size_t i = 0; i < n; ++i) {
        if (unicode::word_nn(kw.first_cls) && i > 0 && unicode::word_nn(cls[i - 1])) continue;
        size_t j = i;
        bool ok = true;
        for (uint32_t c : kw.cps) {
          if (c == kSepCp) {
            if (j >= n || !(cls[j] & unicode::kSep)) { ok = false; break; }
            while (j < n && (cls[j] & unicode::kSep)) ++j;
          } else {
            if (j >= n || (cls[j] & unicode::kSep) || folded[j] != c) { ok = false; break; }
            ++j;
          }
        }
        if (!ok) continue;
        if (unicode::word_nn(kw.last_cls) && j < n && unicode::word_nn(cls[j])) continue;
        found.push_back(Found{a, f, offs[i], offs[j]});
      }
    }
  }

  std::vector<TypeResult> out;
  for (uint32_t t = 0; t < types.size(); ++t) {
    TypeResult r;
    r.type = t;
    std::map<std::pair<size_t, int>, size_t> hit_index;
    const Found* disq = nullptr;
    for (const Found& fd : found) {
      const auto& kw = applied[fd.applied];
      if (kw.type != t) continue;
      if (kw.disqualifier) {
        if (!disq || std::make_tuple(fd.field, fd.bs, fd.be) <
                         std::make_tuple(disq->field, disq->bs, disq->be))
          disq = &fd;
        continue;
      }
      auto key = std::make_pair(fd.applied, fd.field);
      auto it = hit_index.find(key);
      if (it != hit_index.end()) {
        KeywordHit& h = r.hits[it->second];
        h.count++;
        if (fd.bs < h.byte_start || (fd.bs == h.byte_start && fd.be < h.byte_end)) {
          h.byte_start = fd.bs;
          h.byte_end = fd.be;
        }
        continue;
      }
      KeywordHit h;
      h.keyword = kw.spelling;
      h.field = static_cast<MatchField>(fd.field);
      h.byte_start = fd.bs;
      h.byte_end = fd.be;
      h.count = 1;
      hit_index[key] = r.hits.size();
      r.hits.push_back(h);
    }
    if (r.hits.empty()) continue;
    if (disq) {
      r.disqualified = true;
      KeywordHit& d = r.disqualifier;
      d.keyword = applied[disq->applied].spelling;
      d.field = static_cast<MatchField>(disq->field);
      d.byte_start = disq->bs;
      d.byte_end = disq->be;
      d.count = 0;
      for (const Found& fd : found)
        if (fd.applied == disq->applied && fd.field == disq->field) d.count++;
    }
    r.matched = !r.disqualified;
    out.push_back(std::move(r));
  }
  std::vector<TypeResult*> ptrs;
  for (auto& r : out) ptrs.push_back(&r);
  matcher_internal::finish_results(doc, options.snippet_radius, ptrs.data(), ptrs.size());
  return out;
}

}  // namespace signalkit

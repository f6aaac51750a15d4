// The fast keyword matcher. One pass over the text finds maximal runs of word characters;
// a run is a candidate only when its folded hash is the head word of some keyword (most
// words are not, and cost one probe). Candidates, and non-word characters that can start
// a keyword ("." of ".NET", Han characters), are verified by walking a trie of the folded
// keywords, where one edge stands for a run of separators. The reference implementation
// (reference.cpp) checks every keyword at every position; tests and fuzzing
// compare the two.
#include "signalkit/matcher.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <utility>

#include "common/unicode.h"
#include "common/utf8.h"
#include "matcher/rules.h"
#include "signalkit/work_counters.h"

namespace signalkit {

using matcher_internal::kSepCp;
using matcher_internal::Normalized;

namespace {

// The hash of a word's folded UTF-8 bytes, taken 8 bytes at a time. It only filters
// (every candidate is verified by the trie walk), so collisions cost time, never results.
// Text words feed it whole 8-byte ASCII chunks (SWAR, below) or single bytes; keyword
// heads feed it bytes; both give the same value for the same folded bytes.
struct WordHash {
  uint64_t h = 0x9E3779B97F4A7C15ULL;
  uint64_t chunk = 0;
  int n = 0;  // bytes in chunk
  static uint64_t mix(uint64_t h, uint64_t x) {
    h = (h ^ x) * 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 31);
  }
  void push(uint8_t b) {
    chunk |= static_cast<uint64_t>(b) << (8 * n);
    if (++n == 8) { h = mix(h, chunk); chunk = 0; n = 0; }
  }
  void push_cp(uint32_t cp) {  // a folded code point, as UTF-8
    uint8_t b[4];
    for (int i = 0, n = utf8::encode(cp, b); i < n; ++i) push(b[i]);
  }
  uint64_t finish() const { return mix(h, chunk); }  // folded bytes are never 0
};

constexpr uint64_t kHigh = 0x8080808080808080ULL;
inline uint64_t bytes_x(uint8_t b) { return 0x0101010101010101ULL * b; }
// For 8 ASCII bytes: 0x80 in each byte that is a letter, respectively a digit. No byte
// carries into the next: every byte is < 0x80 and every addend < 0x80.
inline uint64_t ascii_letters(uint64_t x) {
  uint64_t l = x | bytes_x(0x20);
  return (l + bytes_x(0x80 - 'a')) & ~(l + bytes_x(0x80 - 'z' - 1)) & kHigh;
}
inline uint64_t ascii_digits(uint64_t x) {
  return (x + bytes_x(0x80 - '0')) & ~(x + bytes_x(0x80 - '9' - 1)) & kHigh;
}
inline int first_set_byte(uint64_t m) { return __builtin_ctzll(m) >> 3; }

// Open-addressing set/map with 64-bit keys (0 is reserved for empty).
class U64Map {
 public:
  void init(size_t expected) {
    size_t cap = 16;
    while (cap < expected * 4) cap <<= 1;
    keys_.assign(cap, 0);
    vals_.assign(cap, 0);
    mask_ = cap - 1;
  }
  static uint64_t fix(uint64_t k) { return k ? k : 1; }
  static size_t slot(uint64_t k) {
    k ^= k >> 29;
    return static_cast<size_t>((k * 0xBF58476D1CE4E5B9ULL) >> 32);
  }
  void put(uint64_t k, uint32_t v) {
    k = fix(k);
    for (size_t i = slot(k) & mask_;; i = (i + 1) & mask_) {
      if (keys_[i] == 0 || keys_[i] == k) { keys_[i] = k; vals_[i] = v; return; }
    }
  }
  // Returns the value or UINT32_MAX.
  uint32_t get(uint64_t k) const {
    k = fix(k);
    for (size_t i = slot(k) & mask_;; i = (i + 1) & mask_) {
      uint64_t kk = keys_[i];
      if (kk == k) return vals_[i];
      if (kk == 0) return UINT32_MAX;
    }
  }

 private:
  std::vector<uint64_t> keys_;
  std::vector<uint32_t> vals_;
  size_t mask_ = 0;
};

enum : uint8_t { kAsciiWord = 1, kAsciiOdd = 2 };

struct Occ {
  uint32_t pattern;
  uint32_t begin, end;
};

struct Usage {
  uint32_t type;
  uint32_t keyword_id;
  bool disqualifier;
};

}  // namespace

struct Matcher::Impl {
  std::vector<MatcherTypeSpec> types;
  MatcherOptions options;
  std::vector<std::string> keyword_texts;
  std::vector<std::string> sources;

  // Trie: node 0 is the root; edges keyed (node << 21 | label).
  struct Node {
    uint32_t out_begin = 0, out_count = 0;
    uint8_t last_cls = 0;
  };
  std::vector<Node> nodes;
  std::vector<uint32_t> outputs;  // pattern ids, grouped per node
  U64Map edges;
  U64Map heads;  // hash of a keyword's leading word run -> 1
  uint64_t head_bits[512] = {};  // a 32768-bit filter in front of `heads`
  uint8_t ascii_flags[128] = {};
  uint8_t ascii_fold[128] = {};
  uint8_t word_fold[256] = {};  // folded byte for ASCII word characters, else 0
  bool nonascii_odd = false;  // some keyword starts with a non-ASCII non-word character

  // Per source slot (sources.size() + 1, the last for none/unknown): CSR of usages.
  std::vector<std::vector<uint32_t>> usage_off;
  std::vector<std::vector<Usage>> usage;

  // Scratch reused between documents.
  std::vector<Occ> occs[2];
  std::vector<int32_t> agg;          // per usage entry x field: index into hits, or -1
  std::vector<uint32_t> agg_touched;
  std::vector<TypeResult> type_state;
  std::vector<uint8_t> type_seen;
  std::vector<uint32_t> seen_types;
  std::vector<TypeResult*> result_ptrs;  // the last match_in_place(), in type order

  uint32_t child(uint32_t node, uint32_t label) const {
    return edges.get((static_cast<uint64_t>(node) << 21) | label);
  }

  // Verifies the candidate at `start` against the trie, appending every keyword that
  // ends along the way; counts the bytes walked (WorkCounters::matcher_walk_bytes).
  void walk(const uint8_t* base, const uint8_t* start, const uint8_t* end,
            std::vector<Occ>* out) const {
    g_work_counters.matcher_walk_bytes += static_cast<uint64_t>(walk_trie(base, start, end, out) - start);
  }

  // Returns where the walk stopped.
  const uint8_t* walk_trie(const uint8_t* base, const uint8_t* start, const uint8_t* end,
                           std::vector<Occ>* out) const {
    uint32_t node = 0;
    const uint8_t* p = start;
    while (p < end) {
      uint32_t cp;
      int len;
      if (*p < 0x80) { cp = *p; len = 1; } else { cp = utf8::decode(p, end, &len); }
      uint8_t cls = cp < 0x80 ? unicode::tables().cls[cp] : unicode::char_class(cp);
      if (cls & unicode::kSep) {
        uint32_t c = child(node, kSepCp);
        if (c == UINT32_MAX) return p;
        p += len;
        while (p < end) {
          if (*p < 0x80) {
            if (!(unicode::tables().cls[*p] & unicode::kSep)) break;
            ++p;
            continue;
          }
          uint32_t q = utf8::decode(p, end, &len);
          if (!(unicode::char_class(q) & unicode::kSep)) break;
          p += len;
        }
        node = c;
        continue;
      }
      uint32_t c = child(node, cp < 0x80 ? ascii_fold[cp] : unicode::fold(cp));
      if (c == UINT32_MAX) return p;
      p += len;
      node = c;
      const Node& n = nodes[node];
      if (n.out_count == 0) continue;
      if (unicode::word_nn(n.last_cls) && p < end) {
        int l2;
        uint32_t next = utf8::decode(p, end, &l2);
        if (unicode::word_nn(unicode::char_class(next))) continue;
      }
      for (uint32_t i = 0; i < n.out_count; ++i)
        out->push_back(Occ{outputs[n.out_begin + i], static_cast<uint32_t>(start - base),
                           static_cast<uint32_t>(p - base)});
    }
    return p;
  }

  void scan(std::string_view text, std::vector<Occ>* out) const {
    const auto* base = reinterpret_cast<const uint8_t*>(text.data());
    const uint8_t* p = base;
    const uint8_t* end = base + text.size();
    const unicode::Tables& tab = unicode::tables();
    while (p < end) {
      uint8_t b = *p;
      uint32_t cp;
      int len;
      if (b < 0x80) {
        uint8_t f = ascii_flags[b];
        if (f == 0) { ++p; continue; }
        if (f & kAsciiOdd) { walk(base, p, end, out); ++p; continue; }
      } else {
        cp = utf8::decode(p, end, &len);
        uint8_t cls = cp < 0x10000 ? tab.cls[cp] : unicode::astral_class(cp);
        if (!unicode::word_nn(cls)) {
          if (nonascii_odd && !(cls & unicode::kSep) && child(0, unicode::fold(cp)) != UINT32_MAX)
            walk(base, p, end, out);
          p += len;
          continue;
        }
      }
      // A maximal run of word characters: hash it folded, probe the head set. ASCII goes
      // 8 bytes at a time: letters fold to upper case (the canonical fold of a-z), and the
      // first non-word byte ends the run.
      const uint8_t* word = p;
      WordHash wh;
      for (;;) {
        while (wh.n == 0 && end - p >= 8) {
          uint64_t x;
          std::memcpy(&x, p, 8);
          if (x & kHigh) break;
          uint64_t letters = ascii_letters(x);
          uint64_t nonword = ~(letters | ascii_digits(x)) & kHigh;
          uint64_t upper = x & ~(letters >> 2);
          if (nonword == 0) {
            wh.h = WordHash::mix(wh.h, upper);
            p += 8;
            continue;
          }
          int k = first_set_byte(nonword);
          wh.chunk = upper & ((1ULL << (8 * k)) - 1);  // k < 8
          wh.n = k;
          p += k;
          goto word_done;
        }
        if (p >= end) break;
        if (*p < 0x80) {
          uint8_t f = word_fold[*p];
          if (f == 0) break;
          wh.push(f);
          ++p;
          continue;
        }
        cp = utf8::decode(p, end, &len);
        if (!unicode::word_nn(cp < 0x10000 ? tab.cls[cp] : unicode::astral_class(cp))) break;
        wh.push_cp(unicode::fold(cp));
        p += len;
      }
    word_done:
      uint64_t h = wh.finish();
      if (!(head_bits[(h >> 49) & 511] & (1ULL << ((h >> 43) & 63)))) continue;
      if (heads.get(h) != UINT32_MAX) walk(base, word, end, out);
    }
  }
};

Matcher::Matcher() : impl_(new Impl) {}
Matcher::~Matcher() = default;

std::unique_ptr<Matcher> Matcher::compile(const std::vector<MatcherTypeSpec>& types,
                                          const MatcherOptions& options, Issues* issues) {
  if (!matcher_internal::validate_types(types, options, issues)) return nullptr;
  std::unique_ptr<Matcher> m(new Matcher());
  Impl& im = *m->impl_;
  im.types = types;
  im.options = options;
  for (const auto& t : types) {
    auto add = [&](const std::string& s) {
      if (std::find(im.sources.begin(), im.sources.end(), s) == im.sources.end())
        im.sources.push_back(s);
    };
    if (t.has_sources) for (const auto& s : t.sources) add(s);
    for (const auto& s : t.source_settings) add(s.source_id);
  }

  // Patterns: distinct normalised keywords over every source slot.
  std::map<std::vector<uint32_t>, uint32_t> pattern_ids;
  std::vector<Normalized> patterns;
  std::map<std::string_view, uint32_t> text_ids;
  size_t slots = im.sources.size() + 1;
  std::vector<std::vector<std::vector<Usage>>> per_slot(slots);
  for (size_t slot = 0; slot < slots; ++slot) {
    bool known = slot < im.sources.size();
    auto applied = matcher_internal::applied_keywords(im.types, options,
                                                    known ? im.sources[slot] : "", known);
    for (auto& a : applied) {
      auto [it, fresh] = pattern_ids.emplace(a.cps, static_cast<uint32_t>(patterns.size()));
      if (fresh) patterns.push_back(Normalized{a.cps, a.first_cls, a.last_cls});
      auto [tt, tfresh] = text_ids.emplace(a.spelling, static_cast<uint32_t>(im.keyword_texts.size()));
      if (tfresh) im.keyword_texts.emplace_back(a.spelling);
      auto& lists = per_slot[slot];
      if (lists.size() <= it->second) lists.resize(it->second + 1);
      lists[it->second].push_back(Usage{a.type, tt->second, a.disqualifier});
    }
  }
  // The string_views in text_ids point into im.types, which lives as long as the matcher;
  // keyword_texts holds copies anyway so ids stay valid if types were ever moved.
  size_t max_entries = 0;
  im.usage_off.resize(slots);
  im.usage.resize(slots);
  for (size_t slot = 0; slot < slots; ++slot) {
    auto& off = im.usage_off[slot];
    auto& us = im.usage[slot];
    off.assign(patterns.size() + 1, 0);
    auto& lists = per_slot[slot];
    for (size_t p = 0; p < patterns.size(); ++p) {
      off[p] = static_cast<uint32_t>(us.size());
      if (p < lists.size()) us.insert(us.end(), lists[p].begin(), lists[p].end());
    }
    off[patterns.size()] = static_cast<uint32_t>(us.size());
    max_entries = std::max(max_entries, us.size());
  }
  im.agg.assign(max_entries * 2, -1);

  // Trie and head set.
  size_t total_cps = 1;
  for (const auto& p : patterns) total_cps += p.cps.size();
  im.edges.init(total_cps);
  im.heads.init(patterns.size() + 1);
  im.nodes.assign(1, Impl::Node{});
  std::vector<std::vector<uint32_t>> node_out(1);
  for (uint32_t pid = 0; pid < patterns.size(); ++pid) {
    const Normalized& p = patterns[pid];
    uint32_t node = 0;
    for (uint32_t label : p.cps) {
      uint32_t c = im.child(node, label);
      if (c == UINT32_MAX) {
        c = static_cast<uint32_t>(im.nodes.size());
        im.nodes.push_back(Impl::Node{});
        node_out.emplace_back();
        im.edges.put((static_cast<uint64_t>(node) << 21) | label, c);
      }
      node = c;
    }
    im.nodes[node].last_cls = p.last_cls;
    node_out[node].push_back(pid);
    if (unicode::word_nn(p.first_cls)) {
      WordHash wh;
      for (uint32_t cp : p.cps) {
        if (cp == kSepCp || !unicode::word_nn(unicode::char_class(cp))) break;
        wh.push_cp(cp);
      }
      uint64_t h = wh.finish();
      im.heads.put(h, 1);
      im.head_bits[(h >> 49) & 511] |= 1ULL << ((h >> 43) & 63);
    } else {
      uint32_t first = p.cps[0];
      if (first < 0x80) im.ascii_flags[first] |= kAsciiOdd;
      else im.nonascii_odd = true;
    }
  }
  for (size_t n = 0; n < im.nodes.size(); ++n) {
    im.nodes[n].out_begin = static_cast<uint32_t>(im.outputs.size());
    im.nodes[n].out_count = static_cast<uint32_t>(node_out[n].size());
    im.outputs.insert(im.outputs.end(), node_out[n].begin(), node_out[n].end());
  }
  const unicode::Tables& tab = unicode::tables();
  // Characters that are not word characters have no case, so the odd-start flags set
  // above from folded first characters are exact for the raw bytes too.
  for (uint32_t b = 0; b < 128; ++b) {
    im.ascii_fold[b] = static_cast<uint8_t>(tab.fold[b]);
    if (unicode::word_nn(tab.cls[b])) {
      im.ascii_flags[b] = kAsciiWord;
      im.word_fold[b] = im.ascii_fold[b];  // never 0: NUL is not a word character
    }
  }
  im.type_state.resize(types.size());
  im.type_seen.assign(types.size(), 0);
  return m;
}

void Matcher::match(const MatchDoc& doc, std::vector<TypeResult>* out) {
  out->clear();
  match_in_place(doc, source_index(doc.source));
  for (TypeResult* r : impl_->result_ptrs) out->push_back(*r);
}

void Matcher::match_in_place(const MatchDoc& doc, int src) {
  Impl& im = *impl_;
  size_t slot = src < 0 ? im.sources.size() : static_cast<size_t>(src);
  const auto& off = im.usage_off[slot];
  const auto& us = im.usage[slot];
  std::string_view fields[2] = {doc.title, doc.text};
  std::vector<uint32_t>& seen_types = im.seen_types;
  seen_types.clear();
  for (int f = 0; f < 2; ++f) {
    im.occs[f].clear();
    im.scan(fields[f], &im.occs[f]);
    for (const Occ& o : im.occs[f]) {
      for (uint32_t e = off[o.pattern]; e < off[o.pattern + 1]; ++e) {
        const Usage& u = us[e];
        TypeResult& ts = im.type_state[u.type];
        if (!im.type_seen[u.type]) {
          im.type_seen[u.type] = 1;
          seen_types.push_back(u.type);
          ts.type = u.type;
          ts.hits.clear();
          ts.disqualified = false;
          ts.matched = false;
        }
        uint32_t key = e * 2 + f;
        int32_t idx = im.agg[key];
        if (idx == -2) continue;
        if (idx >= 0) {
          if (u.disqualifier) ts.disqualifier.count++;
          else ts.hits[idx].count++;
          continue;
        }
        KeywordHit h;
        h.keyword_id = u.keyword_id;
        h.keyword = im.keyword_texts[u.keyword_id];
        h.field = static_cast<MatchField>(f);
        h.byte_start = o.begin;
        h.byte_end = o.end;
        h.count = 1;
        im.agg_touched.push_back(key);
        if (u.disqualifier) {
          // The earliest disqualifier wins; later ones are not counted.
          if (ts.disqualified) { im.agg[key] = -2; continue; }
          ts.disqualified = true;
          ts.disqualifier = h;
          im.agg[key] = 0;
        } else {
          im.agg[key] = static_cast<int32_t>(ts.hits.size());
          ts.hits.push_back(h);
        }
      }
    }
  }
  for (uint32_t k : im.agg_touched) im.agg[k] = -1;
  im.agg_touched.clear();
  std::sort(seen_types.begin(), seen_types.end());
  im.result_ptrs.clear();
  for (uint32_t t : seen_types) {
    im.type_seen[t] = 0;
    TypeResult& ts = im.type_state[t];
    if (ts.hits.empty()) continue;  // only disqualifiers: nothing to report
    ts.matched = !ts.disqualified;
    im.result_ptrs.push_back(&ts);
  }
  matcher_internal::finish_results(doc, im.options.snippet_radius, im.result_ptrs.data(),
                                 im.result_ptrs.size());
}

bool Matcher::match_batch(const uint8_t* bytes, size_t bytes_len, const uint32_t* table,
                          size_t doc_count, std::vector<int32_t>* out) {
  for (size_t d = 0; d < doc_count; ++d) {
    const uint32_t* row = table + d * 5;
    if (row[1] > bytes_len || row[2] > bytes_len - row[1] || row[3] > bytes_len ||
        row[4] > bytes_len - row[3])
      return false;
  }
  Impl& im = *impl_;
  for (size_t d = 0; d < doc_count; ++d) {
    const uint32_t* row = table + d * 5;
    MatchDoc doc;
    const char* b = reinterpret_cast<const char*>(bytes);
    doc.title = std::string_view(b + row[1], row[2]);
    doc.text = std::string_view(b + row[3], row[4]);
    // Sources cross as indices; anything out of range means none/unknown.
    doc.source = row[0] < im.sources.size() ? std::string_view(im.sources[row[0]]) : std::string_view();
    match_in_place(doc, row[0] < im.sources.size() ? static_cast<int>(row[0]) : -1);
    for (const TypeResult* rp : im.result_ptrs) {
      const TypeResult& r = *rp;
      // Record: doc, type, flags, hit count, snippet field/start/end,
      // disqualifier keyword/field/start/end/count, then per hit keyword/field/start/end/count.
      out->push_back(static_cast<int32_t>(d));
      out->push_back(static_cast<int32_t>(r.type));
      out->push_back((r.matched ? 1 : 0) | (r.disqualified ? 2 : 0));
      out->push_back(static_cast<int32_t>(r.hits.size()));
      out->push_back(static_cast<int32_t>(r.snippet_field));
      out->push_back(static_cast<int32_t>(r.snippet_start));
      out->push_back(static_cast<int32_t>(r.snippet_end));
      const KeywordHit& q = r.disqualifier;
      out->push_back(r.disqualified ? static_cast<int32_t>(q.keyword_id) : -1);
      out->push_back(static_cast<int32_t>(q.field));
      out->push_back(static_cast<int32_t>(q.start));
      out->push_back(static_cast<int32_t>(q.end));
      out->push_back(static_cast<int32_t>(q.count));
      for (const KeywordHit& h : r.hits) {
        out->push_back(static_cast<int32_t>(h.keyword_id));
        out->push_back(static_cast<int32_t>(h.field));
        out->push_back(static_cast<int32_t>(h.start));
        out->push_back(static_cast<int32_t>(h.end));
        out->push_back(static_cast<int32_t>(h.count));
      }
    }
  }
  return true;
}

size_t Matcher::type_count() const { return impl_->types.size(); }
size_t Matcher::keyword_count() const { return impl_->keyword_texts.size(); }
std::string_view Matcher::keyword_text(uint32_t id) const {
  return id < impl_->keyword_texts.size() ? std::string_view(impl_->keyword_texts[id]) : std::string_view();
}
int Matcher::source_index(std::string_view source) const {
  if (source.empty()) return -1;
  for (size_t i = 0; i < impl_->sources.size(); ++i)
    if (impl_->sources[i] == source) return static_cast<int>(i);
  return -1;
}
size_t Matcher::source_count() const { return impl_->sources.size(); }
std::string_view Matcher::source_name(size_t i) const {
  return i < impl_->sources.size() ? std::string_view(impl_->sources[i]) : std::string_view();
}

std::string Matcher::tables_json() const {
  std::string s = "{\"keywords\":[";
  for (size_t i = 0; i < impl_->keyword_texts.size(); ++i) {
    if (i) s += ',';
    append_json_string(s, impl_->keyword_texts[i]);
  }
  s += "],\"sources\":[";
  for (size_t i = 0; i < impl_->sources.size(); ++i) {
    if (i) s += ',';
    append_json_string(s, impl_->sources[i]);
  }
  s += "]}";
  return s;
}

}  // namespace signalkit

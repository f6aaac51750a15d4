// The keyword matcher: one automaton per matcher over every distinct keyword and
// disqualifier of every type (matcher/automaton.h), and per pattern the list of its uses
// (type, spelling, role, source), filtered per document by which types and sources apply.
// The reference implementation (reference.cpp) checks every keyword at every position;
// tests and fuzzing compare the two.
#include "signalkit/matcher.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "matcher/automaton.h"
#include "matcher/rules.h"

namespace signalkit {

using matcher_internal::Occurrence;

namespace {

constexpr uint32_t kAnySource = UINT32_MAX;

// One use of a pattern: in which type, under which spelling, as what, and for which
// source (a keywords_extra entry) or all of them.
struct Usage {
  uint32_t type;
  uint32_t keyword_id;
  uint32_t source;  // a source slot, or kAnySource
  bool disqualifier;
};

}  // namespace

struct Matcher::Impl {
  std::vector<MatcherTypeSpec> types;
  MatcherOptions options;
  std::vector<std::string> keyword_texts;
  std::vector<std::string> sources;
  std::unordered_map<std::string_view, uint32_t> source_ids;  // views into `sources`

  matcher_internal::Automaton automaton;
  std::vector<uint32_t> usage_begin;  // per pattern, into usages (one more entry at the end)
  std::vector<Usage> usages;
  // Per source slot (sources.size() + 1, the last for none/unknown): bit t is set when
  // type t applies to a document from that source.
  std::vector<uint32_t> type_masks;

  // Scratch reused between documents.
  std::vector<Occurrence> occs[2];
  std::vector<TypeResult> type_state;
  std::vector<uint8_t> type_seen;
  std::vector<uint32_t> seen_types;
  std::vector<TypeResult*> result_ptrs;  // the last match_in_place(), in type order
  // A field's occurrences in UTF-16 units (start, end per occurrence): converted once,
  // however many types use them.
  std::vector<uint32_t> units;
  std::vector<uint32_t*> unit_dst;
  std::vector<uint64_t> unit_keys;

  void add_sources(const std::vector<MatcherTypeSpec>& specs);
  void compute_type_masks();
};

void Matcher::Impl::add_sources(const std::vector<MatcherTypeSpec>& specs) {
  std::unordered_set<std::string_view> known;
  auto add = [&](const std::string& s) {
    if (known.insert(s).second) sources.push_back(s);
  };
  for (const auto& t : specs) {
    if (t.has_sources) for (const auto& s : t.sources) add(s);
    for (const auto& s : t.source_settings) add(s.source_id);
  }
  for (size_t i = 0; i < sources.size(); ++i) source_ids.emplace(sources[i], static_cast<uint32_t>(i));
}

void Matcher::Impl::compute_type_masks() {
  const size_t none = sources.size();
  type_masks.assign(none + 1, 0);
  for (size_t ti = 0; ti < types.size(); ++ti) {
    const MatcherTypeSpec& t = types[ti];
    if (!t.enabled && !options.include_disabled) continue;
    const uint32_t bit = uint32_t{1} << ti;
    if (t.has_sources) {
      for (const auto& s : t.sources) type_masks[source_ids.at(s)] |= bit;
    } else {
      for (auto& m : type_masks) m |= bit;
    }
    for (const auto& s : t.source_settings)
      if (!s.enabled) type_masks[source_ids.at(s.source_id)] &= ~bit;
  }
}

Matcher::Matcher() : impl_(new Impl) {}
Matcher::~Matcher() = default;

std::unique_ptr<Matcher> Matcher::compile(const std::vector<MatcherTypeSpec>& types,
                                          const MatcherOptions& options, Issues* issues) {
  if (!matcher_internal::validate_types(types, options, issues)) return nullptr;
  static_assert(kMatcherMaxTypes <= 32, "type masks are 32 bits");
  std::unique_ptr<Matcher> m(new Matcher());
  Impl& im = *m->impl_;
  im.types = types;
  im.options = options;
  im.add_sources(im.types);
  im.compute_type_masks();

  // Patterns: the distinct symbol strings of every keyword, disqualifier and extra.
  std::map<std::vector<uint32_t>, uint32_t> pattern_ids;
  std::vector<std::vector<uint32_t>> patterns;
  std::vector<std::vector<Usage>> uses;
  std::unordered_map<std::string_view, uint32_t> text_ids;  // views into im.types
  std::vector<uint32_t> symbols;
  auto intern = [&](const std::string& k, uint32_t* pid) {
    if (!matcher_internal::keyword_symbols(k, &symbols)) return false;  // blank: rejected above
    auto [it, fresh] = pattern_ids.emplace(symbols, static_cast<uint32_t>(patterns.size()));
    if (fresh) {
      patterns.push_back(symbols);
      uses.emplace_back();
    }
    *pid = it->second;
    return true;
  };
  auto keyword_id = [&](const std::string& k) {
    auto [it, fresh] = text_ids.emplace(k, static_cast<uint32_t>(im.keyword_texts.size()));
    if (fresh) im.keyword_texts.push_back(k);
    return it->second;
  };
  // Per type, as the README states: `keywords`, then each source's `keywords_extra` (for
  // that source), deduplicated by pattern with the first spelling kept; disqualifiers
  // deduplicated apart. A pattern among `keywords` serves every source.
  for (uint32_t ti = 0; ti < im.types.size(); ++ti) {
    const MatcherTypeSpec& t = im.types[ti];
    std::unordered_set<uint32_t> base;
    uint32_t pid;
    for (const auto& k : t.keywords)
      if (intern(k, &pid) && base.insert(pid).second)
        uses[pid].push_back(Usage{ti, keyword_id(k), kAnySource, false});
    std::unordered_map<uint32_t, std::unordered_set<uint32_t>> extra;  // source slot -> patterns
    for (const auto& s : t.source_settings) {
      uint32_t slot = im.source_ids.at(s.source_id);
      for (const auto& k : s.keywords_extra)
        if (intern(k, &pid) && !base.count(pid) && extra[slot].insert(pid).second)
          uses[pid].push_back(Usage{ti, keyword_id(k), slot, false});
    }
    std::unordered_set<uint32_t> disq;
    for (const auto& k : t.disqualifiers)
      if (intern(k, &pid) && disq.insert(pid).second)
        uses[pid].push_back(Usage{ti, keyword_id(k), kAnySource, true});
  }
  im.usage_begin.assign(1, 0);
  for (const auto& u : uses) {
    im.usages.insert(im.usages.end(), u.begin(), u.end());
    im.usage_begin.push_back(static_cast<uint32_t>(im.usages.size()));
  }
  im.automaton.build(patterns);
  im.type_state.resize(types.size());
  im.type_seen.assign(types.size(), 0);
  return m;
}

bool Matcher::match(const MatchDoc& doc, std::vector<TypeResult>* out) {
  out->clear();
  if (doc.title.size() > kMatcherMaxBatchBytes || doc.text.size() > kMatcherMaxBatchBytes - doc.title.size())
    return false;
  match_in_place(doc, source_index(doc.source));
  for (TypeResult* r : impl_->result_ptrs) out->push_back(*r);
  return true;
}

void Matcher::match_in_place(const MatchDoc& doc, int src) {
  Impl& im = *impl_;
  const uint32_t slot = src < 0 ? static_cast<uint32_t>(im.sources.size()) : static_cast<uint32_t>(src);
  const uint32_t mask = im.type_masks[slot];
  im.result_ptrs.clear();
  if (mask == 0) return;  // no type applies: nothing to scan
  std::string_view fields[2] = {doc.title, doc.text};
  std::vector<uint32_t>& seen_types = im.seen_types;
  seen_types.clear();
  matcher_internal::TextKind kinds[2];
  for (int f = 0; f < 2; ++f) {
    im.occs[f].clear();
    kinds[f] = im.automaton.scan(fields[f], &im.occs[f]);
    const size_t occ_count = im.occs[f].size();
    if (occ_count == 0) continue;
    im.units.resize(2 * occ_count);
    im.unit_keys.clear();
    im.unit_dst.clear();
    for (size_t i = 0; i < occ_count; ++i) {
      const Occurrence& o = im.occs[f][i];
      im.unit_keys.push_back((uint64_t{o.byte_start} << 32) | (2 * i));
      im.unit_keys.push_back((uint64_t{o.byte_end} << 32) | (2 * i + 1));
      im.unit_dst.push_back(&im.units[2 * i]);
      im.unit_dst.push_back(&im.units[2 * i + 1]);
    }
    matcher_internal::utf16_offsets(fields[f], kinds[f], &im.unit_keys, im.unit_dst.data());
    for (size_t i = 0; i < occ_count; ++i) {
      const Occurrence& o = im.occs[f][i];
      for (uint32_t e = im.usage_begin[o.pattern]; e < im.usage_begin[o.pattern + 1]; ++e) {
        const Usage& u = im.usages[e];
        if (!((mask >> u.type) & 1) || (u.source != kAnySource && u.source != slot)) continue;
        TypeResult& ts = im.type_state[u.type];
        if (!im.type_seen[u.type]) {
          im.type_seen[u.type] = 1;
          seen_types.push_back(u.type);
          ts.type = u.type;
          ts.hits.clear();
          ts.disqualified = false;
          ts.matched = false;
        }
        KeywordHit h;
        h.keyword_id = u.keyword_id;
        h.keyword = im.keyword_texts[u.keyword_id];
        h.field = static_cast<MatchField>(f);
        h.byte_start = o.byte_start;
        h.byte_end = o.byte_end;
        h.start = im.units[2 * i];
        h.end = im.units[2 * i + 1];
        h.count = o.count;
        if (!u.disqualifier) {
          ts.hits.push_back(h);
        } else if (!ts.disqualified ||
                   std::make_tuple(h.field, h.byte_start, h.byte_end) <
                       std::make_tuple(ts.disqualifier.field, ts.disqualifier.byte_start,
                                       ts.disqualifier.byte_end)) {
          // The earliest disqualifier occurrence wins (title before text).
          ts.disqualified = true;
          ts.disqualifier = h;
        }
      }
    }
  }
  // A lambda, not std::less: see utf16_offsets (libc++'s out-of-line std::sort).
  std::sort(seen_types.begin(), seen_types.end(), [](uint32_t a, uint32_t b) { return a < b; });
  for (uint32_t t : seen_types) {
    im.type_seen[t] = 0;
    TypeResult& ts = im.type_state[t];
    if (ts.hits.empty()) continue;  // only disqualifiers: nothing to report
    ts.matched = !ts.disqualified;
    im.result_ptrs.push_back(&ts);
  }
  matcher_internal::finish_results(doc, im.options.snippet_radius, im.result_ptrs.data(),
                                   im.result_ptrs.size(), kinds, /*hits_in_utf16=*/true);
}

ptrdiff_t Matcher::match_batch(const uint8_t* bytes, size_t bytes_len, const uint32_t* table,
                               size_t first, size_t doc_count, std::vector<int32_t>* out) {
  Impl& im = *impl_;
  const size_t out_start = out->size();
  size_t d = first;
  while (d < doc_count && out->size() - out_start < kMatcherMaxBatchOutputInts) {
    const uint32_t* row = table + d * 5;
    if (row[1] > bytes_len || row[2] > bytes_len - row[1] || row[3] > bytes_len ||
        row[4] > bytes_len - row[3]) {
      out->resize(out_start);
      return -1;
    }
    MatchDoc doc;
    const char* b = reinterpret_cast<const char*>(bytes);
    doc.title = std::string_view(b + row[1], row[2]);
    doc.text = std::string_view(b + row[3], row[4]);
    // Sources cross as indices; anything out of range means none/unknown.
    const bool known = row[0] < im.sources.size();
    doc.source = known ? std::string_view(im.sources[row[0]]) : std::string_view();
    match_in_place(doc, known ? static_cast<int>(row[0]) : -1);
    for (const TypeResult* rp : im.result_ptrs) {
      const TypeResult& r = *rp;
      // Record: doc, type, flags, hit count, snippet field/start/end,
      // disqualifier keyword/field/start/end/count, then per hit keyword/field/start/end/count.
      // Sized once and written through a pointer, not a push_back (a capacity check) per int.
      const size_t at = out->size();
      out->resize(at + 12 + 5 * r.hits.size());
      int32_t* w = out->data() + at;
      const KeywordHit& q = r.disqualifier;
      w[0] = static_cast<int32_t>(d);
      w[1] = static_cast<int32_t>(r.type);
      w[2] = (r.matched ? 1 : 0) | (r.disqualified ? 2 : 0);
      w[3] = static_cast<int32_t>(r.hits.size());
      w[4] = static_cast<int32_t>(r.snippet_field);
      w[5] = static_cast<int32_t>(r.snippet_start);
      w[6] = static_cast<int32_t>(r.snippet_end);
      w[7] = r.disqualified ? static_cast<int32_t>(q.keyword_id) : -1;
      w[8] = static_cast<int32_t>(q.field);
      w[9] = static_cast<int32_t>(q.start);
      w[10] = static_cast<int32_t>(q.end);
      w[11] = static_cast<int32_t>(q.count);
      w += 12;
      for (const KeywordHit& h : r.hits) {
        w[0] = static_cast<int32_t>(h.keyword_id);
        w[1] = static_cast<int32_t>(h.field);
        w[2] = static_cast<int32_t>(h.start);
        w[3] = static_cast<int32_t>(h.end);
        w[4] = static_cast<int32_t>(h.count);
        w += 5;
      }
    }
    ++d;
  }
  return static_cast<ptrdiff_t>(d);
}

size_t Matcher::type_count() const { return impl_->types.size(); }
size_t Matcher::keyword_count() const { return impl_->keyword_texts.size(); }
std::string_view Matcher::keyword_text(uint32_t id) const {
  return id < impl_->keyword_texts.size() ? std::string_view(impl_->keyword_texts[id]) : std::string_view();
}
int Matcher::source_index(std::string_view source) const {
  auto it = impl_->source_ids.find(source);
  return source.empty() || it == impl_->source_ids.end() ? -1 : static_cast<int>(it->second);
}
size_t Matcher::source_count() const { return impl_->sources.size(); }
std::string_view Matcher::source_name(size_t i) const {
  return i < impl_->sources.size() ? std::string_view(impl_->sources[i]) : std::string_view();
}
size_t Matcher::automaton_states() const { return impl_->automaton.node_count(); }

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

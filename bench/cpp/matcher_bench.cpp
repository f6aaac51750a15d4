// Native keyword-matching throughput on the peer workload (bench/corpus.js writes it to
// bench/results/matcher-corpus.json): signalkit's Matcher (per document and in the batch
// form the wasm binding uses) against RE2::Set with \b-wrapped keywords, the native peer.
//   node bench/corpus.js && cmake --build build-native -t bench_matcher_bench &&
//   build-native/bench_matcher_bench
#include <benchmark/benchmark.h>
// The official bench target links RE2 privately through the engine; the RE2::Set peer is
// built when its headers are on the include path (see docs/performance.md for the command).
#if __has_include(<re2/set.h>)
#include <re2/re2.h>
#include <re2/set.h>
#define SK_BENCH_RE2 1
#endif

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "matcher/reference.h"
#include "signalkit/json.h"
#include "signalkit/matcher.h"

namespace {

struct Corpus {
  std::string types_json;
  std::vector<std::string> sources, titles, texts;
  size_t bytes = 0;
  std::vector<std::string> all_keywords;
  bool ok = false;
};

const Corpus& corpus() {
  static Corpus c = [] {
    Corpus c;
    std::string path = std::getenv("SK_MATCHER_CORPUS") ? std::getenv("SK_MATCHER_CORPUS") : "";
    if (path.empty()) {
      std::string here = __FILE__;
      path = here.substr(0, here.rfind('/')) + "/../results/matcher-corpus.json";
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    static std::string text = ss.str();
    signalkit::json::Document doc;
    if (!doc.parse(text, 1u << 30, 64)) {
      fprintf(stderr, "cannot read %s (run node bench/corpus.js): %s\n", path.c_str(),
              doc.error().message.c_str());
      return c;
    }
    c.types_json = std::string(doc.root().find("types").raw());
    for (auto t : doc.root().find("types").items()) {
      for (auto k : t.find("keywords").items()) c.all_keywords.emplace_back(k.as_string());
      for (auto k : t.find("disqualifiers").items()) c.all_keywords.emplace_back(k.as_string());
    }
    for (auto d : doc.root().find("docs").items()) {
      c.sources.emplace_back(d.find("source").as_string());
      c.titles.emplace_back(d.find("title").as_string());
      c.texts.emplace_back(d.find("text").as_string());
      c.bytes += c.titles.back().size() + c.texts.back().size();
    }
    c.ok = true;
    return c;
  }();
  return c;
}

void BM_MatcherMatch(benchmark::State& state) {
  const Corpus& c = corpus();
  if (!c.ok) return state.SkipWithError("no corpus");
  signalkit::Issues issues;
  auto m = signalkit::Matcher::compile_json(c.types_json, "", &issues);
  if (!m) return state.SkipWithError("compile failed");
  std::vector<signalkit::TypeResult> out;
  size_t matched = 0;
  for (auto _ : state) {
    matched = 0;
    for (size_t i = 0; i < c.texts.size(); ++i) {
      m->match({c.sources[i], c.titles[i], c.texts[i]}, &out);
      for (auto& r : out) matched += r.matched;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.bytes));
  state.counters["matched_types"] = static_cast<double>(matched);
}
BENCHMARK(BM_MatcherMatch)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_MatcherBatch(benchmark::State& state) {
  const Corpus& c = corpus();
  if (!c.ok) return state.SkipWithError("no corpus");
  signalkit::Issues issues;
  auto m = signalkit::Matcher::compile_json(c.types_json, "", &issues);
  if (!m) return state.SkipWithError("compile failed");
  std::string buf;
  std::vector<uint32_t> table;
  for (size_t i = 0; i < c.texts.size(); ++i) {
    int s = m->source_index(c.sources[i]);
    table.push_back(s < 0 ? 0xFFFFFFFFu : static_cast<uint32_t>(s));
    table.push_back(static_cast<uint32_t>(buf.size()));
    table.push_back(static_cast<uint32_t>(c.titles[i].size()));
    buf += c.titles[i];
    table.push_back(static_cast<uint32_t>(buf.size()));
    table.push_back(static_cast<uint32_t>(c.texts[i].size()));
    buf += c.texts[i];
  }
  std::vector<int32_t> out;
  for (auto _ : state) {
    out.clear();
    m->match_batch(reinterpret_cast<const uint8_t*>(buf.data()), buf.size(), table.data(), 0,
                   c.texts.size(), &out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.bytes));
  state.counters["result_ints"] = static_cast<double>(out.size());
}
BENCHMARK(BM_MatcherBatch)->Unit(benchmark::kMillisecond)->MinTime(2.0);

// The peer: one RE2::Set of every keyword and disqualifier, case-insensitive, wrapped in
// RE2's ASCII-only \b. It answers only "which patterns occur" (no offsets, no counts, no
// Unicode boundaries, no phrase separators): a speed reference, not an equivalent.
#ifdef SK_BENCH_RE2
void BM_Re2Set(benchmark::State& state) {
  const Corpus& c = corpus();
  if (!c.ok) return state.SkipWithError("no corpus");
  RE2::Options o;
  o.set_case_sensitive(false);
  o.set_log_errors(false);
  o.set_max_mem(256 << 20);
  RE2::Set set(o, RE2::UNANCHORED);
  for (const auto& k : c.all_keywords) {
    std::string err;
    set.Add("\\b" + RE2::QuoteMeta(k) + "\\b", &err);
  }
  if (!set.Compile()) return state.SkipWithError("RE2::Set compile failed");
  std::vector<int> hits;
  size_t total = 0;
  for (auto _ : state) {
    total = 0;
    for (size_t i = 0; i < c.texts.size(); ++i) {
      set.Match(c.titles[i], &hits);
      total += hits.size();
      set.Match(c.texts[i], &hits);
      total += hits.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.bytes));
  state.counters["pattern_hits"] = static_cast<double>(total);
}
BENCHMARK(BM_Re2Set)->Unit(benchmark::kMillisecond)->MinTime(2.0);
#endif

// Exactness on the workload: the fast matcher against the reference on every document.
void BM_FastEqualsReference(benchmark::State& state) {
  const Corpus& c = corpus();
  if (!c.ok) return state.SkipWithError("no corpus");
  std::vector<signalkit::MatcherTypeSpec> types;
  signalkit::MatcherOptions options;
  signalkit::Issues issues;
  signalkit::parse_matcher_types(c.types_json, "", &types, &options, &issues);
  auto m = signalkit::Matcher::compile(types, options, &issues);
  std::vector<signalkit::TypeResult> out;
  size_t mismatches = 0, n = std::min<size_t>(c.texts.size(), static_cast<size_t>(state.range(0)));
  for (auto _ : state) {
    mismatches = 0;
    for (size_t i = 0; i < n; ++i) {
      signalkit::MatchDoc d{c.sources[i], c.titles[i], c.texts[i]};
      m->match(d, &out);
      auto ref = signalkit::reference_match(types, options, d);
      bool same = out.size() == ref.size();
      for (size_t k = 0; same && k < out.size(); ++k) {
        const auto &a = out[k], &b = ref[k];
        same = a.type == b.type && a.matched == b.matched && a.hits.size() == b.hits.size() &&
               a.disqualified == b.disqualified && a.snippet_start == b.snippet_start &&
               a.snippet_end == b.snippet_end;
        for (size_t h = 0; same && h < a.hits.size(); ++h)
          same = a.hits[h].keyword == b.hits[h].keyword && a.hits[h].start == b.hits[h].start &&
                 a.hits[h].end == b.hits[h].end && a.hits[h].count == b.hits[h].count &&
                 a.hits[h].field == b.hits[h].field;
        if (same && a.disqualified)
          same = a.disqualifier.keyword == b.disqualifier.keyword &&
                 a.disqualifier.start == b.disqualifier.start &&
                 a.disqualifier.count == b.disqualifier.count;
      }
      mismatches += !same;
    }
  }
  state.counters["docs"] = static_cast<double>(n);
  state.counters["mismatches"] = static_cast<double>(mismatches);
  if (mismatches) state.SkipWithError("fast and reference results differ");
}
BENCHMARK(BM_FastEqualsReference)->Arg(20000)->Iterations(1)->Unit(benchmark::kSecond);

}  // namespace

namespace {
// Scan cost alone: the same text with keywords that never occur.
void BM_MatcherScanOnly(benchmark::State& state) {
  const Corpus& c = corpus();
  if (!c.ok) return state.SkipWithError("no corpus");
  signalkit::Issues issues;
  auto m = signalkit::Matcher::compile_json(R"([{"label":"none","keywords":["zzqx","qqzx vvk"]}])", "", &issues);
  std::vector<signalkit::TypeResult> out;
  for (auto _ : state)
    for (size_t i = 0; i < c.texts.size(); ++i) m->match({c.sources[i], c.titles[i], c.texts[i]}, &out);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * c.bytes));
}
BENCHMARK(BM_MatcherScanOnly)->Unit(benchmark::kMillisecond)->MinTime(2.0);
}  // namespace

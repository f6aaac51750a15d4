// Keyword matcher: the shared golden cases (tests/fixtures/matcher/*.json, also read by
// Jest), the fast matcher against the reference on random input, and the limits.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "fixtures.h"
#include "common/unicode.h"
#include "matcher/automaton.h"
#include "matcher/block_scan.h"
#include "matcher/reference.h"
#include "signalkit/matcher.h"
#include "signalkit/work_counters.h"

namespace signalkit {
namespace {

using fixtures::Json;

struct FixtureCase {
  std::string name;
  std::string types, options, source, title, text;
  Json expect;   // the expected results (match.json)
  Json issues;   // the expected [field, code] pairs (invalid.json)
};
void PrintTo(const FixtureCase& c, std::ostream* os) { *os << c.name; }

std::vector<FixtureCase> load(const char* file) {
  const Json doc = fixtures::load(std::string("matcher/") + file);
  std::vector<FixtureCase> out;
  if (!doc.is_object()) return out;
  for (const Json& c : doc.at("cases")) {
    FixtureCase fc;
    fc.name = c.at("name").get<std::string>();
    fc.types = fixtures::text(c.at("types"));
    if (c.contains("options")) fc.options = fixtures::text(c.at("options"));
    if (c.contains("doc")) {
      const Json& d = c.at("doc");
      fc.source = fixtures::string_at(d, "source");
      fc.title = fixtures::string_at(d, "title");
      fc.text = fixtures::string_at(d, "text");
    }
    if (c.contains("expect")) fc.expect = c.at("expect");
    if (c.contains("issues")) fc.issues = c.at("issues");
    out.push_back(std::move(fc));
  }
  return out;
}

const char* field_name(MatchField f) { return f == MatchField::kTitle ? "title" : "text"; }

// Renders results the way the fixtures spell them, for readable failures.
std::string render(const std::vector<TypeResult>& rs, bool with_snippet) {
  std::string s;
  for (const auto& r : rs) {
    s += "type " + std::to_string(r.type) + (r.matched ? " matched" : " unmatched") + "\n";
    for (const auto& h : r.hits)
      s += "  hit " + std::string(h.keyword) + " " + field_name(h.field) + " " +
           std::to_string(h.start) + "-" + std::to_string(h.end) + " x" +
           std::to_string(h.count) + "\n";
    if (r.disqualified)
      s += "  disqualified by " + std::string(r.disqualifier.keyword) + " " +
           field_name(r.disqualifier.field) + " " + std::to_string(r.disqualifier.start) +
           "-" + std::to_string(r.disqualifier.end) + " x" +
           std::to_string(r.disqualifier.count) + "\n";
    if (with_snippet)
      s += "  snippet " + std::string(field_name(r.snippet_field)) + " " +
           std::to_string(r.snippet_start) + "-" + std::to_string(r.snippet_end) + "\n";
  }
  return s;
}

std::string render_expected(const Json& expect, bool* has_snippets) {
  auto num = [](const Json& j, const char* key) { return std::to_string(j.at(key).get<int>()); };
  auto hit = [&](const Json& h) {
    return h.at("keyword").get<std::string>() + " " + h.at("field").get<std::string>() + " " +
           num(h, "start") + "-" + num(h, "end") + " x" + num(h, "count") + "\n";
  };
  std::string s;
  *has_snippets = true;
  for (const Json& r : expect) {
    s += "type " + num(r, "type") + (r.at("matched").get<bool>() ? " matched" : " unmatched") + "\n";
    for (const Json& h : r.at("hits")) s += "  hit " + hit(h);
    if (r.contains("disqualifiedBy") && r.at("disqualifiedBy").is_object())
      s += "  disqualified by " + hit(r.at("disqualifiedBy"));
    if (r.contains("snippet") && r.at("snippet").is_object()) {
      const Json& sn = r.at("snippet");
      s += "  snippet " + sn.at("field").get<std::string>() + " " + num(sn, "start") + "-" +
           num(sn, "end") + "\n";
    } else {
      *has_snippets = false;
    }
  }
  return s;
}

class MatchFixture : public testing::TestWithParam<FixtureCase> {};

TEST_P(MatchFixture, FastAndReferenceGiveTheExpectedResult) {
  const FixtureCase& c = GetParam();
  Issues issues;
  auto m = Matcher::compile_json(c.types, c.options, &issues);
  ASSERT_TRUE(m) << (issues.empty() ? "" : issues[0].message);
  MatchDoc doc{c.source, c.title, c.text};
  std::vector<TypeResult> fast;
  m->match(doc, &fast);
  bool snippets = false;
  std::string want = render_expected(c.expect, &snippets);
  EXPECT_EQ(render(fast, snippets), want);

  std::vector<MatcherTypeSpec> types;
  MatcherOptions options;
  ASSERT_TRUE(parse_matcher_types(c.types, c.options, &types, &options, &issues));
  EXPECT_EQ(render(reference_match(types, options, doc), snippets), want) << "reference";
}

INSTANTIATE_TEST_SUITE_P(Matcher, MatchFixture, testing::ValuesIn(load("match.json")),
                         [](const testing::TestParamInfo<FixtureCase>& i) { return i.param.name; });

class InvalidFixture : public testing::TestWithParam<FixtureCase> {};

TEST_P(InvalidFixture, ReportsTheExpectedIssues) {
  const FixtureCase& c = GetParam();
  Issues issues;
  auto m = Matcher::compile_json(c.types, c.options, &issues);
  std::string want, got;
  for (const Json& i : c.issues) want += i.at(0).get<std::string>() + " " + i.at(1).get<std::string>() + "\n";
  for (const Issue& i : issues) {
    got += i.field + " " + i.code + "\n";
    EXPECT_NE(i.message.find(i.field), std::string::npos) << "message names the field: " << i.message;
  }
  EXPECT_EQ(got, want);
  EXPECT_EQ(m != nullptr, issues.empty());
}

INSTANTIATE_TEST_SUITE_P(Matcher, InvalidFixture, testing::ValuesIn(load("invalid.json")),
                         [](const testing::TestParamInfo<FixtureCase>& i) { return i.param.name; });

// --- random differential against the reference -----------------------------------------

const char* const kPieces[] = {
    "a", "b", "ab", "ai", "AI", "said", " ", "  ", "-", "\t", "\n", ".", "+", "#", "_", "é",
    "E\xCC\x81", "\xC3\x89", "\xE4\xBA\xBA", "\xE5\xB7\xA5", "\xE0\xB8\x98", "\xF0\x9F\x9A\x80",
    "\xE2\x84\xAA", "k", "K", "\xCF\x82", "\xCF\x83", "\xC3\x9F", "\xE1\xBA\x9E", "1", "x",
    "\xFF", "\xE2\x80\x91", "\xE3\x80\x80", ",", "'", "\xC2\xA0"};

std::string random_text(std::mt19937& rng, int pieces) {
  std::string s;
  std::uniform_int_distribution<size_t> pick(0, sizeof(kPieces) / sizeof(kPieces[0]) - 1);
  for (int i = 0; i < pieces; ++i) s += kPieces[pick(rng)];
  return s;
}

TEST(Matcher, FastEqualsReferenceOnRandomInput) {
  std::mt19937 rng(12345);
  std::vector<TypeResult> fast;
  for (int round = 0; round < 3000; ++round) {
    std::vector<MatcherTypeSpec> types(1 + rng() % 3);
    for (auto& t : types) {
      int n = 1 + rng() % 4;
      for (int i = 0; i < n; ++i) {
        std::string k = random_text(rng, 1 + rng() % 3);
        t.keywords.push_back(k);
      }
      if (rng() % 2) t.disqualifiers.push_back(random_text(rng, 1 + rng() % 2));
      if (rng() % 3 == 0) { t.has_sources = true; t.sources = {"news"}; }
      if (rng() % 3 == 0) t.source_settings.push_back({"reddit", rng() % 2 == 0, {random_text(rng, 2)}});
    }
    MatcherOptions options;
    options.snippet_radius = rng() % 8;
    Issues issues;
    auto m = Matcher::compile(types, options, &issues);
    if (!m) continue;  // e.g. a keyword of separators only
    for (int d = 0; d < 5; ++d) {
      std::string title = random_text(rng, rng() % 6), text = random_text(rng, rng() % 40);
      const char* sources[] = {"news", "reddit", "", "hn"};
      MatchDoc doc{sources[rng() % 4], title, text};
      m->match(doc, &fast);
      ASSERT_EQ(render(fast, true), render(reference_match(types, options, doc), true))
          << "title=" << title << " text=" << text << " kw0=" << types[0].keywords[0];
    }
  }
}

// Long texts cross the fast path's 64-byte blocks at every offset: words, punctuation and
// multi-byte characters straddle block ends, and keywords are cut from the text itself.
TEST(Matcher, FastEqualsReferenceOnLongTextsAcrossBlocks) {
  const char* const pieces[] = {
      "new", "data", "node", "js", "series", "b", "AI", "ai", "said", "x", "xx", "abcdefghij",
      "abcdefghijklmnopqrst", "ab1", " ", "  ", "-", " - ", "\n", ".", "..", ".NET", "+", "++",
      "#", ",", "'", "(", ")", "\xC3\xA9", "caf\xC3\xA9", "\xE4\xBA\xBA\xE5\xB7\xA5",
      "\xF0\x9F\x9A\x80", "\xE2\x84\xAA", "k", "K", "\xD0\xBC\xD0\xB8\xD1\x80", "\xFF", "_", "1", "2024"};
  const size_t n_pieces = sizeof(pieces) / sizeof(pieces[0]);
  std::mt19937 rng(777);
  std::vector<TypeResult> fast;
  for (int round = 0; round < 400; ++round) {
    std::string text;
    const size_t target = 60 + rng() % 900;
    while (text.size() < target) text += pieces[rng() % n_pieces];
    std::vector<MatcherTypeSpec> types(1 + rng() % 3);
    for (auto& t : types) {
      for (int i = 0, k = 1 + rng() % 12; i < k; ++i) {
        std::string kw;
        if (rng() % 3) {  // a slice of the text, cut at random bytes (may be invalid UTF-8)
          size_t a = rng() % text.size(), len = 1 + rng() % 24;
          kw = text.substr(a, len);
        } else {
          for (int j = 0, m = 1 + rng() % 3; j < m; ++j) kw += pieces[rng() % n_pieces];
        }
        (rng() % 5 == 0 ? t.disqualifiers : t.keywords).push_back(kw);
      }
      if (t.keywords.empty()) t.keywords.push_back("x");
    }
    Issues issues;
    auto m = Matcher::compile(types, {}, &issues);
    if (!m) continue;  // e.g. a keyword of separators only
    for (size_t cut : {size_t{0}, size_t{1}, size_t{7}, size_t{63}}) {
      const std::string title = text.substr(0, cut % (text.size() + 1)), body = text.substr(cut % text.size());
      MatchDoc doc{"", title, body};
      m->match(doc, &fast);
      ASSERT_EQ(render(fast, true), render(reference_match(types, MatcherOptions{}, doc), true))
          << "round " << round << " text=" << doc.text;
    }
  }
}

// The block scan's vector classifier (SSE2 here, SIMD128 in WebAssembly) against its
// portable definition, on blocks of every kind of byte and every kind of punctuation set.
TEST(Matcher, BlockClassifierEqualsItsPortableDefinition) {
  std::mt19937 rng(99);
  const uint8_t interesting[] = {0, 8, 9, 13, 14, ' ', '-', '.', '+', '#', '0', '9', '@', 'A', 'Z', '[', '`',
                                 'a', 'z', '{', 0x7F, 0x80, 0xC3, 0xFF};
  for (int round = 0; round < 20000; ++round) {
    uint8_t block[64];
    for (uint8_t& b : block)
      b = rng() % 2 ? interesting[rng() % sizeof(interesting)] : static_cast<uint8_t>(rng());
    matcher_internal::PunctSet ps;
    const int n = rng() % 6;
    ps.count = n < 5 ? n : 4;
    for (int i = 0; i < ps.count; ++i) ps.bytes[i] = interesting[rng() % sizeof(interesting)];
    ps.all = n == 5;
    const auto a = matcher_internal::classify64(block, ps);
    const auto b = matcher_internal::classify64_portable(block, ps);
    ASSERT_EQ(a.word, b.word) << round;
    ASSERT_EQ(a.high, b.high) << round;
    // The set holds punctuation only (never a letter, digit, separator or byte >= 0x80):
    // compare where that holds.
    uint64_t sep = 0;
    for (int i = 0; i < 64; ++i) sep |= static_cast<uint64_t>(matcher_internal::ascii_sep(block[i])) << i;
    const uint64_t other = ~(a.word | a.high | sep);
    ASSERT_EQ(a.punct & other, b.punct & other) << round;
  }
}

TEST(Matcher, BatchEqualsSingleMatches) {
  Issues issues;
  auto m = Matcher::compile_json(
      R"([{"label":"A","keywords":["acme","series b"],"disqualifiers":["rumor"],"sources":["news"]},
          {"label":"B","keywords":["acme"],"sources":null}])", "", &issues);
  ASSERT_TRUE(m);
  std::string bytes = "Acme newsAcme raised a Series-B🚀 acme rumor";
  // doc0: news, title "Acme news", text "Acme raised a Series-B"; doc1: no source, text "🚀 acme rumor"
  uint32_t table[10] = {static_cast<uint32_t>(m->source_index("news")), 0, 9, 9, 22,
                        99, 31, 0, 31, static_cast<uint32_t>(bytes.size() - 31)};
  std::vector<int32_t> out;
  ASSERT_EQ(m->match_batch(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), table, 0, 2, &out), 2);
  // doc 0: type 0 with 3 hits (title acme, text acme, text series b), type 1 with 2 hits.
  ASSERT_GE(out.size(), 12u);
  EXPECT_EQ(out[0], 0);
  EXPECT_EQ(out[1], 0);
  EXPECT_EQ(out[2], 1);
  EXPECT_EQ(out[3], 3);
  size_t next = 12 + 5 * 3;
  EXPECT_EQ(out[next], 0);
  EXPECT_EQ(out[next + 1], 1);
  next += 12 + 5 * out[next + 3];
  // doc 1 (no source): only type 1; "acme" after the rocket starts at UTF-16 offset 3.
  ASSERT_EQ(out.size(), next + 12 + 5);
  EXPECT_EQ(out[next], 1);
  EXPECT_EQ(out[next + 1], 1);
  EXPECT_EQ(out[next + 12 + 2], 3);
  EXPECT_EQ(out[next + 12 + 3], 7);
  uint32_t bad[5] = {0, 0, 9, 40, 100};
  out.clear();
  EXPECT_EQ(m->match_batch(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), bad, 0, 1, &out), -1);
  EXPECT_TRUE(out.empty());
}

TEST(Matcher, TablesJsonListsKeywordsAndSources) {
  Issues issues;
  auto m = Matcher::compile_json(
      R"([{"label":"A","keywords":["x\"y"],"sources":null,"disqualifiers":["w"],
           "source_settings":[{"source_id":"reddit","keywords_extra":["z"]}]}])", "", &issues);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->tables_json(), R"({"keywords":["x\"y","z","w"],"sources":["reddit"]})");
}

TEST(Matcher, InvalidUtf8NeverCrashes) {
  Issues issues;
  auto m = Matcher::compile_json(R"([{"label":"A","keywords":["ab","\u00e9"]}])", "", &issues);
  ASSERT_TRUE(m);
  std::string text = "\xE2\x82 ab \xF0\x9F\x98 \xC3 ab\xED\xA0\x80 \xC3\xA9";
  std::vector<TypeResult> out;
  m->match({"", "", text}, &out);
  std::vector<MatcherTypeSpec> types;
  MatcherOptions options;
  ASSERT_TRUE(parse_matcher_types(R"([{"label":"A","keywords":["ab","\u00e9"]}])", "", &types, &options, &issues));
  EXPECT_EQ(render(out, true), render(reference_match(types, options, {"", "", text}), true));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].hits.size(), 2u);
}


// --- bad input: linear work, bounded output ---------------------------------------------
// Work is counted, never timed (docs/decisions.md): WorkCounters::matcher_steps grows by at
// most 4 per byte of a field, plus 2, plus the patterns that occur in it (automaton.h).

uint64_t steps_bound(const MatchDoc& doc, size_t patterns) {
  return 4 * (doc.title.size() + doc.text.size()) + 4 + 2 * patterns;
}

struct Counted {
  std::vector<TypeResult> out;
  uint64_t steps;
};
Counted match_counted(Matcher& m, const MatchDoc& doc) {
  Counted c;
  const uint64_t before = work_counters().matcher_steps;
  EXPECT_TRUE(m.match(doc, &c.out));
  c.steps = work_counters().matcher_steps - before;
  return c;
}

TEST(Matcher, FoldingNeverChangesACharactersClass) {
  // The symbol stream (matcher/automaton.h) decides WB and SEP from the text's characters
  // and compares folded ones: that equals the reference only if a character and its fold
  // are alike regular word characters, separators and no-space characters.
  for (uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    ASSERT_EQ(unicode::char_class(cp), unicode::char_class(unicode::fold(cp))) << std::hex << cp;
  }
}

TEST(Matcher, PrefixChainsOfDotsAreLinear) {
  // 4 types x 50 keywords ".", "..", ... 200 dots: every position of a text of dots ends an
  // occurrence of every keyword. The trie walk of the head-word matcher took seconds and
  // then aborted on half a megabyte of this.
  std::vector<MatcherTypeSpec> types(4);
  for (size_t t = 0; t < 4; ++t)
    for (size_t k = 1; k <= 50; ++k) types[t].keywords.push_back(std::string(t * 50 + k, '.'));
  Issues issues;
  auto m = Matcher::compile(types, {}, &issues);
  ASSERT_TRUE(m);
  const std::string text(2u << 20, '.');
  const Counted c = match_counted(*m, {"", "", text});
  ASSERT_EQ(c.out.size(), 4u);
  for (size_t t = 0; t < 4; ++t) {
    ASSERT_EQ(c.out[t].hits.size(), 50u);
    for (const KeywordHit& h : c.out[t].hits) {
      const size_t len = h.keyword.size();
      EXPECT_EQ(h.start, 0u);
      EXPECT_EQ(h.end, len);
      EXPECT_EQ(h.count, text.size() - len + 1) << len;
    }
  }
  EXPECT_LE(c.steps, steps_bound({"", "", text}, 200));
}

TEST(Matcher, WordChainsAreLinear) {
  // "a", "a a", "a a a", ... up to 200 characters, over "a a a ..." (and hyphens, which are
  // separators too): every word ends an occurrence of every keyword.
  std::vector<MatcherTypeSpec> types(4);
  for (size_t t = 0; t < 4; ++t)
    for (size_t k = 1; k <= 25; ++k) {
      std::string kw = "a";
      for (size_t w = 1; w < t * 25 + k; ++w) kw += " a";
      types[t].keywords.push_back(kw);
    }
  Issues issues;
  auto m = Matcher::compile(types, {}, &issues);
  ASSERT_TRUE(m);
  std::string text;
  while (text.size() < (4u << 20)) text += "a - a ";
  const size_t words = text.size() / 3;
  const Counted c = match_counted(*m, {"", "", text});
  ASSERT_EQ(c.out.size(), 4u);
  for (const TypeResult& r : c.out)
    for (const KeywordHit& h : r.hits) EXPECT_EQ(h.count, words - (h.keyword.size() + 1) / 2 + 1);
  EXPECT_LE(c.steps, steps_bound({"", "", text}, 100));
}

TEST(Matcher, LongKeywordsAgainstRepetitiveTextAreLinear) {
  // One keyword of 200 characters against text that keeps almost matching it, in several
  // shapes: one long word, words and separators, punctuation, no-space script.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string(199, 'a') + "b", std::string(1u << 20, 'a')},
      {std::string(200, 'a'), "x " + std::string(1u << 20, 'a')},
      {[] { std::string k; while (k.size() < 198) k += "a "; return k + "b"; }(),
       [] { std::string t; while (t.size() < (2u << 20)) t += "a "; return t; }()},
      {std::string(199, '.') + "!", std::string(1u << 20, '.')},
      {[] { std::string k; for (int i = 0; i < 199; ++i) k += "\xE4\xBA\xBA"; return k + "\xE5\xB7\xA5"; }(),
       [] { std::string t; while (t.size() < (3u << 20)) t += "\xE4\xBA\xBA"; return t; }()},
      {[] { std::string k; while (k.size() < 200) k += "ab"; return k; }(),
       [] { std::string t; while (t.size() < (2u << 20)) t += "ab"; return t; }()},
  };
  for (const auto& [keyword, text] : cases) {
    std::vector<MatcherTypeSpec> types(1);
    types[0].keywords = {keyword, keyword.substr(0, 100)};
    Issues issues;
    auto m = Matcher::compile(types, {}, &issues);
    ASSERT_TRUE(m) << keyword;
    const Counted c = match_counted(*m, {"", "", text});
    EXPECT_LE(c.steps, steps_bound({"", "", text}, 2)) << keyword.substr(0, 20);
    // And the same results as the reference on a prefix short enough for it.
    const std::string head = text.substr(0, 5000);
    std::vector<TypeResult> fast;
    m->match({"", "", head}, &fast);
    EXPECT_EQ(render(fast, true), render(reference_match(types, {}, {"", "", head}), true));
  }
}

TEST(Matcher, SeparatorRunsAndHugeWordsAreLinear) {
  std::vector<MatcherTypeSpec> types(1);
  types[0].keywords = {"x y", std::string(200, 'x'), "x"};
  Issues issues;
  auto m = Matcher::compile(types, {}, &issues);
  ASSERT_TRUE(m);
  const std::string text = "x" + std::string(5u << 20, ' ') + "y " + std::string(5u << 20, 'x');
  const Counted c = match_counted(*m, {"", "", text});
  ASSERT_EQ(c.out.size(), 1u);
  ASSERT_EQ(c.out[0].hits.size(), 2u);  // "x" and "x y"; the long word is not 200 x's
  EXPECT_EQ(c.out[0].hits[0].keyword, "x");
  EXPECT_EQ(c.out[0].hits[1].keyword, "x y");
  EXPECT_EQ(c.out[0].hits[1].end, (5u << 20) + 2);
  EXPECT_LE(c.steps, steps_bound({"", "", text}, 2));
}

TEST(Matcher, TenMegabytesAgainstTheLargestPathologicalMatcherAreLinear) {
  // 20 types x 50 keywords sharing a 98-word prefix with the text: each "a" ended 98 trie
  // walks of the head-word matcher (seconds per 10 MB); the automaton feeds each symbol once.
  std::vector<MatcherTypeSpec> types(20);
  for (size_t t = 0; t < types.size(); ++t) {
    for (int k = 0; k < 50; ++k) {
      std::string kw;
      for (int w = 0; w < 98; ++w) kw += "a ";
      kw += std::to_string(t * 50 + k);
      types[t].keywords.push_back(kw);
    }
    types[t].keywords.back() = "a";
  }
  Issues issues;
  auto m = Matcher::compile(types, {}, &issues);
  ASSERT_TRUE(m);
  std::string text;
  text.reserve(10u << 20);
  while (text.size() < (10u << 20)) text += "a - ";
  const Counted c = match_counted(*m, {"", "", text});
  ASSERT_EQ(c.out.size(), 20u);
  EXPECT_EQ(c.out[0].hits[0].count, text.size() / 4);
  EXPECT_LE(c.steps, steps_bound({"", "", text}, 1000));
}

TEST(Matcher, TheLargestMatcherCompilesToOneStatePerSymbol) {
  // 20 types x (400 keywords + 50 disqualifiers), each 200 characters and distinct, with a
  // word boundary between every two: the most symbols the limits allow (401 per keyword).
  std::vector<MatcherTypeSpec> types(20);
  size_t n = 0;
  auto next = [&n] {
    std::string k;
    for (size_t v = n++; k.size() < 200;) {
      k += static_cast<char>('a' + v % 26);
      k += '.';
      v /= 26;
    }
    return k;
  };
  size_t symbols = 0;
  for (auto& t : types) {
    for (int i = 0; i < 50; ++i) t.keywords.push_back(next());
    for (int s = 0; s < 7; ++s) {
      MatcherSourceSetting setting{"source" + std::to_string(s), true, {}};
      for (int i = 0; i < 50; ++i) setting.keywords_extra.push_back(next());
      t.source_settings.push_back(setting);
    }
    for (int i = 0; i < 50; ++i) t.disqualifiers.push_back(next());
  }
  Issues issues;
  auto m = Matcher::compile(types, {}, &issues);
  ASSERT_TRUE(m) << (issues.empty() ? "" : issues[0].message);
  std::vector<uint32_t> syms;
  for (const auto& t : types) {
    for (const auto& k : t.keywords) symbols += (matcher_internal::keyword_symbols(k, &syms), syms.size());
    for (const auto& s : t.source_settings)
      for (const auto& k : s.keywords_extra) symbols += (matcher_internal::keyword_symbols(k, &syms), syms.size());
    for (const auto& k : t.disqualifiers) symbols += (matcher_internal::keyword_symbols(k, &syms), syms.size());
  }
  EXPECT_EQ(n, 9000u);
  EXPECT_GE(symbols, 9000u * 399);
  EXPECT_LE(m->automaton_states(), symbols + 1);
  std::vector<TypeResult> out;
  EXPECT_TRUE(m->match({"source3", "", types[7].source_settings[3].keywords_extra[5]}, &out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].type, 7u);
}

TEST(Matcher, BatchOutputIsBoundedPerCallAndResumes) {
  // 6,000 documents that each produce 4 x 50 hits: more records than one call may hold.
  std::vector<MatcherTypeSpec> types(4);
  for (size_t t = 0; t < 4; ++t)
    for (size_t k = 1; k <= 50; ++k) types[t].keywords.push_back(std::string(t * 50 + k, '.'));
  Issues issues;
  auto m = Matcher::compile(types, {}, &issues);
  ASSERT_TRUE(m);
  const size_t docs = 6000;
  const std::string bytes(300, '.');
  std::vector<uint32_t> table;
  for (size_t d = 0; d < docs; ++d) table.insert(table.end(), {0xFFFFFFFFu, 0, 0, 0, 300});
  std::vector<int32_t> out, all;
  size_t first = 0, calls = 0;
  while (first < docs) {
    out.clear();
    const ptrdiff_t next = m->match_batch(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(),
                                          table.data(), first, docs, &out);
    ASSERT_GT(next, static_cast<ptrdiff_t>(first));
    // Stops right after the document that reached the bound: at most one document over it.
    EXPECT_LT(out.size(), kMatcherMaxBatchOutputInts + 4 * (12 + 5 * 50));
    all.insert(all.end(), out.begin(), out.end());
    first = static_cast<size_t>(next);
    ++calls;
  }
  EXPECT_GT(calls, 1u);
  EXPECT_EQ(all.size(), docs * 4 * (12 + 5 * 50));
  // Every document's records are those of match().
  std::vector<TypeResult> one;
  ASSERT_TRUE(m->match({"", "", bytes}, &one));
  for (size_t d = 0, k = 0; d < docs; ++d)
    for (const TypeResult& r : one) {
      ASSERT_EQ(all[k], static_cast<int32_t>(d));
      ASSERT_EQ(all[k + 1], static_cast<int32_t>(r.type));
      ASSERT_EQ(all[k + 3], static_cast<int32_t>(r.hits.size()));
      for (size_t h = 0; h < r.hits.size(); ++h)
        ASSERT_EQ(all[k + 12 + 5 * h + 4], static_cast<int32_t>(r.hits[h].count));
      k += 12 + 5 * r.hits.size();
    }
}

TEST(Matcher, DocumentsOverTheLimitAreRefusedUnread) {
  Issues issues;
  auto m = Matcher::compile_json(R"([{"label":"A","keywords":["a"]}])", "", &issues);
  ASSERT_TRUE(m);
  // A view past the limit over a small buffer: refused on its size, never read.
  const char buffer[4] = "a a";
  const std::string_view huge(buffer, kMatcherMaxBatchBytes + 1);
  std::vector<TypeResult> out(3);
  const uint64_t before = work_counters().matcher_steps;
  EXPECT_FALSE(m->match({"", "", huge}, &out));
  EXPECT_FALSE(m->match({"", std::string_view(buffer, 2), std::string_view(buffer, kMatcherMaxBatchBytes - 1)}, &out));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(work_counters().matcher_steps, before);
  EXPECT_TRUE(m->match({"", "", std::string_view(buffer, 3)}, &out));
  EXPECT_EQ(out.size(), 1u);
}

TEST(Matcher, TooManySourcesAreRefused) {
  std::vector<MatcherTypeSpec> types(1);
  types[0].keywords = {"a"};
  types[0].has_sources = true;
  for (int i = 0; i < 51; ++i) types[0].sources.push_back("s" + std::to_string(i));
  for (int i = 0; i < 51; ++i) types[0].source_settings.push_back({"s" + std::to_string(i), true, {}});
  Issues issues;
  EXPECT_FALSE(Matcher::compile(types, {}, &issues));
  ASSERT_EQ(issues.size(), 2u);
  EXPECT_EQ(issues[0].field + " " + issues[0].code, "types[0].sources too_many");
  EXPECT_EQ(issues[1].field + " " + issues[1].code, "types[0].source_settings too_many");
}

}  // namespace
}  // namespace signalkit

// Keyword matcher: the shared golden cases (tests/fixtures/matcher/*.json, also read by
// Jest), the fast matcher against the reference on random input, and the limits.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "fixtures.h"
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


TEST(Matcher, TenMegabyteDocumentWithPathologicalKeywordsStaysWithinTheWalkBound) {
  // Keywords sharing a 98-word prefix over a text of that very word: every word starts a
  // trie walk of up to 200 code points. Bounded work: O(bytes x 200).
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
  std::vector<TypeResult> out;
  const uint64_t walked = work_counters().matcher_steps;
  m->match({"", "", text}, &out);
  ASSERT_EQ(out.size(), 20u);
  EXPECT_EQ(out[0].hits[0].count, text.size() / 4);
  // The bound matcher.h states, O(bytes x 200): each word starts one trie walk of at most
  // one keyword (200 code points; here about 98 bytes of walking per byte of text). A
  // walk that restarted from every byte it covered would be quadratic (10^13).
  EXPECT_LE(work_counters().matcher_steps - walked, uint64_t{200} * text.size());
}

TEST(Matcher, LongSeparatorRunsAndHugeWordsAreLinear) {
  std::vector<MatcherTypeSpec> types(1);
  types[0].keywords = {"x y", std::string(200, 'x')};
  Issues issues;
  auto m = Matcher::compile(types, {}, &issues);
  ASSERT_TRUE(m);
  std::string text = "x" + std::string(5u << 20, ' ') + "y " + std::string(5u << 20, 'x');
  std::vector<TypeResult> out;
  const uint64_t walked = work_counters().matcher_steps;
  m->match({"", "", text}, &out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].hits.size(), 1u);  // the long word is not 200 x's exactly
  // One walk crosses the 5 MB separator run, once; the 5 MB word is not a keyword's head.
  EXPECT_LE(work_counters().matcher_steps - walked, text.size());
}

}  // namespace
}  // namespace signalkit

// Hostile input through RequestValidator::validate: whatever arrives, the engine returns issues
// with the documented codes (docs/validation.md) and never crashes, aborts or hangs.
// The fuzzer (tests/fuzz/validate_fuzzer.cpp) explores at random; these are the shapes
// we know to be dangerous, pinned down with their exact verdicts.
#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "signalkit/request_validator.h"

namespace {

using signalkit::RequestValidator;
using signalkit::ValidationResult;

constexpr std::string_view kCreate = "puffle.signalType.create";
constexpr std::string_view kFeed = "puffle.signal.list";

// A body that is valid for puffle.signalType.create; `name` goes in as raw JSON text.
std::string create_body(std::string_view name_json = "\"Layoffs\"") {
  return std::string(R"({"name":)") + std::string(name_json) +
         R"(,"keywords":["layoffs"],"search_instructions":"Find layoff news.",)"
         R"("scoring_criteria":"Score higher for large layoffs.","sources":["news"]})";
}

RequestValidator& engine() {
  static RequestValidator e;
  return e;
}

// The promises every result keeps, whatever the input.
void expect_well_formed(const ValidationResult& r, std::string_view what) {
  EXPECT_FALSE(r.unknown_kind) << what;
  EXPECT_EQ(r.valid, r.issues.empty()) << what;
  for (const auto& i : r.issues) {
    EXPECT_FALSE(i.code.empty()) << what << ": issue on '" << i.field << "' has no code";
    EXPECT_FALSE(i.message.empty()) << what << ": issue " << i.code << " has no message";
  }
  // Messages may quote the input; the rendered list must still be valid UTF-8 JSON.
  EXPECT_TRUE(nlohmann::json::accept(signalkit::issues_to_json(r.issues))) << what;
}

// Exactly one issue, on `field`, with `code`.
void expect_single(const ValidationResult& r, std::string_view field, std::string_view code,
                   std::string_view what) {
  expect_well_formed(r, what);
  ASSERT_EQ(r.issues.size(), 1u) << what << ": " << signalkit::issues_to_json(r.issues);
  EXPECT_EQ(r.issues[0].field, field) << what;
  EXPECT_EQ(r.issues[0].code, code) << what << ": " << r.issues[0].message;
}

bool body_less(std::string_view kind) { return engine().schema_text(kind).empty(); }

TEST(Robustness, TheBaseBodyIsValid) {
  // Guards every test below that changes one thing about it.
  const auto r = engine().validate(kCreate, create_body());
  EXPECT_TRUE(r.valid) << signalkit::issues_to_json(r.issues);
}

TEST(Robustness, RandomBytesGiveIssuesForEveryKind) {
  std::mt19937 rng(20260101);
  std::uniform_int_distribution<int> byte(0, 255), len(1, 300);
  for (int n = 0; n < 1500; ++n) {
    std::string body(static_cast<size_t>(len(rng)), '\0');
    for (auto& c : body) c = static_cast<char>(byte(rng));
    // A leading '{' without a matching end can never be JSON.
    body[0] = '{';
    for (const auto& kind : engine().kinds()) {
      const auto r = engine().validate(kind, body);
      expect_well_formed(r, kind);
      EXPECT_FALSE(r.valid) << kind;
      if (body_less(kind)) continue;
      // One invalid_json for the body; path parameters (none given) may add their own.
      int json_issues = 0;
      for (const auto& i : r.issues) {
        if (i.field == "id" || i.field == "sourceId") continue;
        EXPECT_EQ(i.code, "invalid_json") << kind << " " << i.field;
        EXPECT_EQ(i.field, "") << kind;
        ++json_issues;
      }
      EXPECT_EQ(json_issues, 1) << kind;
    }
  }
}

TEST(Robustness, MutatedValidBodiesKeepTheResultWellFormed) {
  std::mt19937 rng(7);
  const std::string base = create_body();
  std::uniform_int_distribution<size_t> pos(0, base.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255), flips(1, 4);
  for (int n = 0; n < 5000; ++n) {
    std::string body = base;
    for (int f = flips(rng); f > 0; --f) body[pos(rng)] = static_cast<char>(byte(rng));
    const auto r = engine().validate(kCreate, body);
    expect_well_formed(r, body);
    if (!nlohmann::json::accept(body) && body.find("\\u") == std::string::npos) {
      ASSERT_FALSE(r.issues.empty()) << body;
      EXPECT_EQ(r.issues[0].code, "invalid_json") << body;
    }
  }
}

TEST(Robustness, TwoMebibyteBodyIsTooLarge) {
  const std::string big = R"({"name":")" + std::string(2u << 20, 'a') + R"("})";
  expect_single(engine().validate(kCreate, big), "", "too_large", "2 MiB string");
  // Size is checked before syntax: 2 MiB of garbage is too_large, not invalid_json.
  expect_single(engine().validate(kCreate, std::string(2u << 20, '\xff')), "", "too_large",
                "2 MiB of 0xFF");
}

TEST(Robustness, HundredThousandOpenBracketsAreTooDeep) {
  expect_single(engine().validate(kCreate, std::string(100000, '[')), "", "too_deep",
                "100k '['");
  expect_single(engine().validate(kCreate, std::string(100000, '[') + std::string(100000, ']')),
                "", "too_deep", "100k balanced brackets");
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += R"({"a":)";
  expect_single(engine().validate(kCreate, objects), "", "too_deep", "100k nested objects");
  expect_single(engine().validate(kCreate, R"({"keywords":)" + std::string(100000, '[')), "",
                "too_deep", "deep value inside a field");
  // The same text as context must not crash either (it is parsed with the same limits).
  expect_well_formed(engine().validate(kCreate, create_body(), std::string(100000, '[')),
                     "deep context");
}

TEST(Robustness, DepthLimitIsSixtyFourLevels) {
  // 64 nested arrays are parsed (and rejected for their type only); 65 are too_deep.
  const auto at_limit = engine().validate(kCreate, std::string(64, '[') + std::string(64, ']'));
  expect_well_formed(at_limit, "64 levels");
  for (const auto& i : at_limit.issues) EXPECT_NE(i.code, "too_deep");
  expect_single(engine().validate(kCreate, std::string(65, '[') + std::string(65, ']')), "",
                "too_deep", "65 levels");
}

TEST(Robustness, InvalidUtf8IsInvalidJson) {
  const char* const bad[] = {
      "\xff",              // never valid
      "\xc0\xaf",          // overlong '/'
      "\xe2\x82",          // truncated 3-byte sequence
      "\xed\xa0\x80",      // a UTF-16 surrogate encoded as UTF-8
      "\xf4\x90\x80\x80",  // above U+10FFFF
      "\x80",              // lone continuation byte
  };
  for (const char* b : bad) {
    const std::string name = std::string("\"Lay") + b + "offs\"";
    expect_single(engine().validate(kCreate, create_body(name)), "", "invalid_json", name);
    // In a key, and outside any string.
    expect_single(engine().validate(kCreate, std::string("{\"") + b + "\":1}"), "",
                  "invalid_json", "key");
    expect_single(engine().validate(kCreate, std::string("{") + b + "}"), "", "invalid_json",
                  "bare");
  }
}

TEST(Robustness, LoneSurrogateEscapesAreInvalidUnicode) {
  // Half a UTF-16 pair names no character: refused, never stored as U+FFFD in its place.
  for (const char* name : {R"("\ud800")", R"("\udfff")", R"("\ud800\u0041")", R"("a\udc00b")"}) {
    const auto r = engine().validate(kCreate, create_body(name));
    expect_well_formed(r, name);
    expect_single(r, "", "invalid_unicode", name);
  }
  // A proper pair is one code point; a surrogate escape cut short is malformed.
  EXPECT_TRUE(engine().validate(kCreate, create_body(R"("\ud83d\ude80")")).valid);
  expect_single(engine().validate(kCreate, create_body(R"("\ud8")")), "", "invalid_json",
                "short escape");
}

TEST(Robustness, HugeAndOddNumbersGetFieldIssues) {
  // limit: integer 1..100.
  const auto huge = engine().validate(kFeed, R"({"limit":1e400})");
  expect_well_formed(huge, "1e400");
  ASSERT_EQ(huge.issues.size(), 1u) << signalkit::issues_to_json(huge.issues);
  EXPECT_EQ(huge.issues[0].field, "limit");
  EXPECT_TRUE(huge.issues[0].code == "type" || huge.issues[0].code == "above_maximum")
      << huge.issues[0].code;

  const auto tiny = engine().validate(kFeed, R"({"limit":-1e400})");
  expect_well_formed(tiny, "-1e400");
  ASSERT_EQ(tiny.issues.size(), 1u) << signalkit::issues_to_json(tiny.issues);
  EXPECT_EQ(tiny.issues[0].field, "limit");
  EXPECT_TRUE(tiny.issues[0].code == "type" || tiny.issues[0].code == "below_minimum")
      << tiny.issues[0].code;

  expect_single(engine().validate(kFeed, R"({"limit":-0})"), "limit", "below_minimum", "-0");
  expect_single(engine().validate(kFeed, R"({"limit":-0.0})"), "limit", "below_minimum", "-0.0");
  expect_single(engine().validate(kFeed, R"({"limit":1e-400})"), "limit", "below_minimum",
                "1e-400 (underflows to 0)");
  EXPECT_TRUE(engine().validate(kFeed, R"({"limit":1e2})").valid);
  EXPECT_TRUE(engine().validate(kFeed, R"({"limit":1E+1})").valid);
  const std::string long_digits = R"({"limit":)" + std::string(5000, '9') + "}";
  const auto many = engine().validate(kFeed, long_digits);
  expect_well_formed(many, "5000 digits");
  ASSERT_EQ(many.issues.size(), 1u);
  EXPECT_EQ(many.issues[0].field, "limit");
}

TEST(Robustness, NanLikeTextIsInvalidJson) {
  for (const char* v : {"NaN", "-NaN", "nan", "Infinity", "-Infinity", "inf", "0x10", "+1", "01",
                        ".5", "1.", "1e", "1e+", "-", "--1", "1_000", "\"1\"\"", "undefined",
                        "True", "nul"}) {
    const std::string body = std::string(R"({"limit":)") + v + "}";
    expect_single(engine().validate(kFeed, body), "", "invalid_json", body);
  }
}

TEST(Robustness, InvalidJsonMessageGivesThePosition) {
  const auto r = engine().validate(kCreate, "{\n  \"name\": ,\n}");
  expect_single(r, "", "invalid_json", "missing value");
  ASSERT_FALSE(r.issues.empty());
  const std::string& m = r.issues[0].message;
  EXPECT_NE(m.find("line 2"), std::string::npos) << m;
  EXPECT_NE(m.find("column"), std::string::npos) << m;
}

TEST(Robustness, EmbeddedNulAndControlCharacters) {
  // A raw NUL or newline inside a string is not JSON; as \u0000 it is a valid character.
  expect_single(engine().validate(kCreate, create_body(std::string("\"a\0b\"", 5))), "",
                "invalid_json", "raw NUL");
  expect_single(engine().validate(kCreate, create_body("\"a\nb\"")), "", "invalid_json",
                "raw newline");
  EXPECT_TRUE(engine().validate(kCreate, create_body(R"("a\u0000b")")).valid);
  // Trailing bytes after the document.
  expect_single(engine().validate(kCreate, create_body() + "x"), "", "invalid_json", "trailer");
  expect_single(engine().validate(kCreate, create_body() + std::string(1, '\0')), "",
                "invalid_json", "NUL trailer");
}

TEST(Robustness, HostileContextIsAnIssueNotACrash) {
  const char* const contexts[] = {"{", "[]", "null", "\"x\"", "{\"types\":", "\xff",
                                  "{\"types\":[1,2,3]}", "{\"type\":[]}", "{\"params\":7}"};
  for (const auto& kind : engine().kinds()) {
    for (const char* ctx : contexts) {
      expect_well_formed(engine().validate(kind, body_less(kind) ? "" : "{}", ctx),
                         kind + std::string(" context ") + ctx);
    }
  }
}

TEST(Robustness, ReusingTheEngineGivesTheSameAnswers) {
  // The engine reuses buffers between calls: a big or broken call must not leak into the next.
  const auto first = engine().validate(kCreate, create_body(R"("")"));
  engine().validate(kCreate, std::string(100000, '['));
  engine().validate(kCreate, R"({"name":")" + std::string(2u << 20, 'a') + "\"}");
  engine().validate(kCreate, "\xff\xfe");
  const auto again = engine().validate(kCreate, create_body(R"("")"));
  EXPECT_EQ(signalkit::issues_to_json(first.issues), signalkit::issues_to_json(again.issues));
  EXPECT_FALSE(first.valid);
}

TEST(Robustness, UnknownKindIsFlaggedWithoutIssues) {
  using namespace std::string_view_literals;
  for (std::string_view kind : {""sv, "puffle"sv, "puffle.signalType.create "sv,
                                "PUFFLE.SIGNALTYPE.CREATE"sv, "saber.template.create\0x"sv}) {
    const auto r = engine().validate(kind, "{}");
    EXPECT_TRUE(r.unknown_kind) << kind;
    EXPECT_FALSE(r.valid) << kind;
    EXPECT_TRUE(r.issues.empty()) << kind;
  }
}

}  // namespace

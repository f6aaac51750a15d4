// The shared validation fixtures (tests/fixtures/validation/<kind>.json, also read by
// tests/js/validation.fixtures.test.js) through signalkit::RequestValidator::validate.
//
// Each case becomes one test, named after its kind and its name. A case's body is
//   "body"            a JSON value, serialised compactly in document order,
//   "bodyText"        the exact text to validate (malformed JSON, duplicate keys, escapes),
//   "bodyTextRepeat"  {prefix, repeat, times, suffix}: prefix + repeat×times + suffix,
//   none of these     no body ("").
// "context" (an object) is serialised the same way. The verdict is "valid": true, or
// "issues": [{field, code}], compared as a multiset: every issue, no extra one. Every
// issue must also carry a message.
#include <algorithm>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "fixtures.h"
#include "signalkit/request_validator.h"

namespace {

using fixtures::Json;
using FieldCode = std::pair<std::string, std::string>;

struct Case {
  std::string file;  // "puffle.signalType.create.json"
  std::string kind;
  std::string name;
  Json spec;                 // the case object, for the body/context/verdict
  std::string load_error;    // non-empty: the fixture itself is malformed
};

std::string fixture_dir() { return std::string(SK_FIXTURE_DIR) + "/validation"; }

std::vector<std::string> fixture_files() {
  std::vector<std::string> files;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(fixture_dir(), ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->path().extension() == ".json") files.push_back(it->path().filename().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<Case> load_cases() {
  std::vector<Case> cases;
  for (const auto& file : fixture_files()) {
    const Json doc = fixtures::parse(fixtures::read_text(fixture_dir() + "/" + file));
    const std::string stem = file.substr(0, file.size() - 5);
    if (!doc.is_object() || !doc.contains("kind") || !doc["kind"].is_string() ||
        !doc.contains("cases") || !doc["cases"].is_array()) {
      cases.push_back({file, stem, "file", Json(), "not a {kind, cases:[...]} JSON object"});
      continue;
    }
    const std::string kind = doc["kind"].get<std::string>();
    if (kind != stem) {
      cases.push_back({file, kind, "file", Json(), "kind differs from the file name"});
      continue;
    }
    for (const auto& c : doc["cases"]) {
      const bool named = c.is_object() && c.contains("name") && c["name"].is_string();
      cases.push_back({file, kind, named ? c["name"].get<std::string>() : "(unnamed)", c,
                       named ? "" : "a case without a name"});
    }
  }
  return cases;
}

const std::vector<Case>& all_cases() {
  static const std::vector<Case> cases = load_cases();
  return cases;
}

// Builds the request from a case; returns "" on success or what is wrong with the case.
std::string request_of(const Json& c, std::string& body, std::string& context) {
  body.clear();
  context.clear();
  const int forms = int(c.contains("body")) + int(c.contains("bodyText")) +
                    int(c.contains("bodyTextRepeat"));
  if (forms > 1) return "more than one of body, bodyText, bodyTextRepeat";
  if (c.contains("body")) {
    body = fixtures::text(c["body"]);
  } else if (c.contains("bodyText")) {
    if (!c["bodyText"].is_string()) return "bodyText is not a string";
    body = c["bodyText"].get<std::string>();
  } else if (c.contains("bodyTextRepeat")) {
    const Json& r = c["bodyTextRepeat"];
    if (!r.is_object() || !r.contains("repeat") || !r["repeat"].is_string() ||
        !r.contains("times") || !r["times"].is_number_unsigned())
      return "bodyTextRepeat needs {repeat: string, times: unsigned}";
    const auto part = [&](const char* k) {
      return r.contains(k) && r[k].is_string() ? r[k].get<std::string>() : std::string();
    };
    const std::string unit = r["repeat"].get<std::string>();
    const size_t times = r["times"].get<size_t>();
    if (unit.size() * times > (size_t{64} << 20)) return "bodyTextRepeat over 64 MiB";
    body = part("prefix");
    body.reserve(body.size() + unit.size() * times + 16);
    for (size_t i = 0; i < times; ++i) body += unit;
    body += part("suffix");
  }
  if (c.contains("context")) {
    if (c["context"].is_string()) context = c["context"].get<std::string>();
    else context = fixtures::text(c["context"]);
  }
  return "";
}

std::string describe(const std::vector<FieldCode>& v) {
  std::string s = "[";
  for (const auto& [field, code] : v) {
    if (s.size() > 1) s += ", ";
    s += "{" + field + " " + code + "}";
  }
  return s + "]";
}

// gtest names: [A-Za-z0-9_] only; the index keeps them unique.
std::string test_name(const Case& c, size_t index) {
  std::string out;
  for (char ch : c.kind + " " + c.name) {
    const bool word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    if (word) out += ch;
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  if (out.size() > 160) out.resize(160);
  if (!out.empty() && out.back() != '_') out += '_';
  return out + std::to_string(index);
}

signalkit::RequestValidator& engine() {
  static signalkit::RequestValidator e;
  return e;
}

class ValidationFixture : public ::testing::TestWithParam<size_t> {};

TEST_P(ValidationFixture, GivesExactlyTheExpectedIssues) {
  const Case& c = all_cases()[GetParam()];
  SCOPED_TRACE(c.file + ": " + c.name);
  ASSERT_EQ(c.load_error, "") << "malformed fixture";

  std::string body, context;
  const std::string bad = request_of(c.spec, body, context);
  ASSERT_EQ(bad, "") << "malformed case";

  std::vector<FieldCode> expected;
  const bool has_valid = c.spec.contains("valid");
  const bool has_issues = c.spec.contains("issues");
  ASSERT_NE(has_valid, has_issues) << "a case has exactly one of \"valid\": true and \"issues\"";
  if (has_valid) {
    ASSERT_TRUE(c.spec["valid"].is_boolean() && c.spec["valid"].get<bool>())
        << "\"valid\" may only be true; a rejected case lists its issues";
  } else {
    ASSERT_TRUE(c.spec["issues"].is_array() && !c.spec["issues"].empty()) << "issues: non-empty array";
    for (const auto& i : c.spec["issues"]) {
      ASSERT_TRUE(i.is_object() && i.contains("field") && i["field"].is_string() &&
                  i.contains("code") && i["code"].is_string())
          << "each expected issue is {field: string, code: string}";
      expected.emplace_back(i["field"].get<std::string>(), i["code"].get<std::string>());
    }
  }

  const signalkit::ValidationResult r = engine().validate(c.kind, body, context);
  ASSERT_FALSE(r.unknown_kind) << "the engine does not know kind " << c.kind;
  std::vector<FieldCode> actual;
  std::string messages;
  for (const auto& issue : r.issues) {
    actual.emplace_back(issue.field, issue.code);
    messages += "\n  " + issue.field + " " + issue.code + ": " + issue.message;
    EXPECT_FALSE(issue.message.empty()) << "issue " << issue.field << " " << issue.code
                                        << " has no message";
  }
  EXPECT_EQ(r.valid, r.issues.empty()) << "valid must mean: no issues";

  std::sort(expected.begin(), expected.end());
  std::sort(actual.begin(), actual.end());
  EXPECT_EQ(describe(actual), describe(expected)) << "engine said:" << (messages.empty() ? " valid" : messages);
}

std::vector<size_t> case_indices() {
  std::vector<size_t> v(all_cases().size());
  for (size_t i = 0; i < v.size(); ++i) v[i] = i;
  return v;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, ValidationFixture, ::testing::ValuesIn(case_indices()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return test_name(all_cases()[info.param], info.param);
                         });

TEST(ValidationFixtures, CoverEveryKindOfTheEngine) {
  const auto files = fixture_files();
  ASSERT_FALSE(files.empty()) << "no fixtures in " << fixture_dir();
  std::vector<std::string> fixture_kinds;
  for (const auto& f : files) fixture_kinds.push_back(f.substr(0, f.size() - 5));
  std::vector<std::string> kinds = engine().kinds();
  std::sort(kinds.begin(), kinds.end());
  EXPECT_EQ(fixture_kinds, kinds);
}

TEST(ValidationFixtures, EveryKindHasAnAcceptedAndARejectedCase) {
  std::vector<std::string> with_valid, with_issues;
  for (const auto& c : all_cases()) {
    if (!c.load_error.empty()) continue;
    (c.spec.contains("valid") ? with_valid : with_issues).push_back(c.kind);
  }
  for (const auto& kind : engine().kinds()) {
    EXPECT_TRUE(std::count(with_valid.begin(), with_valid.end(), kind) > 0)
        << kind << " has no accepted case";
    EXPECT_TRUE(std::count(with_issues.begin(), with_issues.end(), kind) > 0)
        << kind << " has no rejected case";
  }
}

}  // namespace

// Engine messages are API: tests/golden/messages.json holds the exact issues, reasons and
// results of representative calls, recorded through the JS API (tests/golden/generate.mjs)
// and checked here through the C++ API, so the two layers cannot drift apart. Where the
// JS layer turns an engine answer into a thrown error (bad options), the engine's issues
// are compared.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "fixtures.h"
#include "signalkit/criteria.h"
#include "signalkit/matcher.h"
#include "signalkit/request_validator.h"

namespace signalkit {
namespace {

using fixtures::Json;
// Results compare as JSON values: key order does not matter, array order does.
using Value = nlohmann::json;

Value value(const Json& j) { return Value::parse(fixtures::text(j)); }
Value value(const std::string& text) {
  Value v = Value::parse(fixtures::replace_lone_surrogates(text), nullptr, false);
  EXPECT_FALSE(v.is_discarded()) << text.substr(0, 300);
  return v;
}
std::string text_of(const Json& c, const char* key) {
  auto it = c.find(key);
  return it == c.end() || it->is_null() ? std::string() : fixtures::text(*it);
}

struct GoldenCase {
  std::string name;
  Json spec;
};
void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

std::vector<GoldenCase> load() {
  std::vector<GoldenCase> out;
  const Json doc = fixtures::parse(fixtures::read_text(std::string(SK_FIXTURE_DIR) + "/../golden/messages.json"));
  if (!doc.is_object()) {
    ADD_FAILURE() << "cannot read tests/golden/messages.json";
    return out;
  }
  for (const Json& c : doc.at("cases")) out.push_back({c.at("call").get<std::string>() + ": " + c.at("name").get<std::string>(), c});
  return out;
}

RequestValidator& validator() {
  static RequestValidator v;
  return v;
}

class GoldenMessages : public testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenMessages, AreExactlyTheRecordedOnes) {
  const Json& c = GetParam().spec;
  const std::string call = c.at("call").get<std::string>();
  CriteriaEvaluator ev;
  if (call == "validate") {
    const std::string body = c.contains("bodyText") ? c.at("bodyText").get<std::string>() : text_of(c, "body");
    auto r = validator().validate(c.at("kind").get<std::string>(), body, text_of(c, "context"));
    EXPECT_EQ(value(issues_to_json(r.issues)), value(c.at("issues")));
  } else if (call == "checkCriteria") {
    const Json& criteria = c.contains("criteria") ? c.at("criteria") : Json();
    const std::string criteria_text = criteria.is_string() ? criteria.get<std::string>() : text_of(c, "criteria");
    Value r = value(ev.check_json(c.at("answerType").get<std::string>(), criteria_text, text_of(c, "options")));
    if (c.contains("error")) {
      Value bad = Value::array();  // what the JS layer throws: the invalid_option issues
      for (const auto& i : r.at("issues"))
        if (i.at("code") == "invalid_option") bad.push_back(i);
      EXPECT_EQ(bad, value(c.at("error").at("issues")));
    } else {
      EXPECT_EQ(r, value(c.at("result")));
    }
  } else if (call == "evaluate") {
    Value r = value(ev.evaluate_json(fixtures::text(c.at("template")), text_of(c, "answer"), text_of(c, "options")));
    EXPECT_EQ(r, value(c.at("result")));
  } else if (call == "fitScore") {
    Value r = value(ev.fit_score_json(fixtures::text(c.at("items")), text_of(c, "options")));
    if (c.contains("error")) EXPECT_EQ(r.at("error").at("issues"), value(c.at("error").at("issues")));
    else EXPECT_EQ(r, value(c.at("result")));
  } else if (call == "compileMatcher") {
    Issues issues;
    auto m = Matcher::compile_json(fixtures::text(c.at("types")), text_of(c, "options"), &issues);
    EXPECT_EQ(m == nullptr, !issues.empty());
    EXPECT_EQ(value(issues_to_json(issues)), value(c.at("issues")));
  } else {
    ADD_FAILURE() << "unknown call " << call;
  }
}

std::string test_name(const testing::TestParamInfo<GoldenCase>& info) {
  std::string out;
  for (char ch : info.param.name) {
    bool word = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    if (word) out += ch;
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  return out + std::to_string(info.index);
}

INSTANTIATE_TEST_SUITE_P(Golden, GoldenMessages, testing::ValuesIn(load()), test_name);

}  // namespace
}  // namespace signalkit

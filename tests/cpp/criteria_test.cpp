// Qualification criteria: table-driven over tests/fixtures/criteria/*.json (the Jest suite
// reads the same files), plus the properties fixtures cannot express: the batch fast path
// agrees with evaluate, hostile inputs finish quickly, options are validated.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>

#include "signalkit/criteria.h"
#include "signalkit/json.h"

namespace signalkit {
namespace {

std::string fixture_dir() {
  if (const char* env = std::getenv("SK_FIXTURES")) return std::string(env) + "/criteria/";
#ifdef SK_FIXTURE_DIR
  return std::string(SK_FIXTURE_DIR) + "/criteria/";
#endif
  std::string f = __FILE__;
  return f.substr(0, f.rfind('/')) + "/../fixtures/criteria/";
}

std::string read_fixture(const std::string& name) {
  std::ifstream in(fixture_dir() + name, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Expected ⊆ actual: objects compare only the expected keys (an expected null also
// matches an absent key), arrays need equal length, scalars equal values.
bool subset(const json::Value& want, const json::Value& got, const std::string& path,
            std::string* why) {
  auto fail = [&](const std::string& what) {
    *why = path + ": " + what + " (want " + std::string(want.raw()) + ", got " +
           (got.valid() ? std::string(got.raw().substr(0, 300)) : "absent") + ")";
    return false;
  };
  if (want.is_null()) return !got.valid() || got.is_null() ? true : fail("not null");
  if (!got.valid()) return fail("absent");
  if (want.is_object()) {
    if (!got.is_object()) return fail("not an object");
    for (auto m : want.members())
      if (!subset(m.value, got.find(m.key), path + "." + std::string(m.key), why)) return false;
    return true;
  }
  if (want.is_array()) {
    if (!got.is_array() || got.size() != want.size()) return fail("array length");
    auto g = got.items().begin();
    size_t i = 0;
    for (json::Value w : want.items()) {
      if (!subset(w, *g, path + "[" + std::to_string(i++) + "]", why)) return false;
      ++g;
    }
    return true;
  }
  if (want.type() != got.type()) return fail("type");
  if (want.is_number() && want.as_number() != got.as_number()) return fail("number");
  if (want.is_string() && want.as_string() != got.as_string()) return fail("string");
  return true;
}

// [[field, code], ...] against the issues array.
void expect_issues(const json::Value& want, const json::Value& got, const std::string& name) {
  ASSERT_TRUE(got.is_array()) << name;
  std::string w, g;
  for (json::Value p : want.items()) {
    auto it = p.items().begin();
    w += std::string((*it).as_string()) + " ";
    ++it;
    w += std::string((*it).as_string()) + "\n";
  }
  for (json::Value i : got.items())
    g += std::string(i.find("field").as_string()) + " " + std::string(i.find("code").as_string()) + "\n";
  EXPECT_EQ(w, g) << name;
}

TEST(Criteria, CheckFixtures) {
  std::string text = read_fixture("check.json");
  json::Document doc;
  ASSERT_TRUE(doc.parse(text, 1 << 24)) << doc.error().message;
  CriteriaEvaluator ev;
  size_t n = 0;
  for (json::Value c : doc.root().find("cases").items()) {
    std::string name(c.find("name").as_string());
    json::Value ct = c.find("criteriaText");
    std::string criteria(ct.is_string() ? ct.as_string() : c.find("criteria").raw());
    json::Value opts = c.find("options");
    std::string out = ev.check_json(c.find("answerType").as_string(), criteria,
                                    opts.valid() ? opts.raw() : "");
    json::Document r;
    ASSERT_TRUE(r.parse(out)) << name << ": " << out;
    json::Value want = c.find("issues");
    EXPECT_EQ(r.root().find("valid").as_bool(), want.size() == 0) << name;
    expect_issues(want, r.root().find("issues"), name);
    for (json::Value m : c.find("messageIncludes").items()) {
      std::string msg(r.root().find("issues").items().begin().operator*().find("message").as_string());
      EXPECT_NE(msg.find(m.as_string()), std::string::npos) << name << ": " << msg;
    }
    ++n;
  }
  EXPECT_GT(n, 30u);
}

TEST(Criteria, EvaluateFixtures) {
  std::string text = read_fixture("evaluate.json");
  json::Document doc;
  ASSERT_TRUE(doc.parse(text, 1 << 24)) << doc.error().message;
  json::Value templates = doc.root().find("templates");
  CriteriaEvaluator ev;
  size_t n = 0;
  for (json::Value c : doc.root().find("cases").items()) {
    std::string name(c.find("name").as_string());
    json::Value t = c.find("template");
    if (t.is_string()) t = templates.find(t.as_string());
    ASSERT_TRUE(t.is_object()) << name;
    json::Value a = c.find("answer"), opts = c.find("options");
    std::string out = ev.evaluate_json(t.raw(), a.valid() ? a.raw() : "",
                                       opts.valid() ? opts.raw() : "");
    json::Document r;
    ASSERT_TRUE(r.parse(out)) << name << ": " << out;
    json::Value expect = c.find("expect");
    for (auto m : expect.members()) {
      if (m.key == "reasonIncludes") {
        std::string reason(r.root().find("reason").as_string());
        EXPECT_NE(reason.find(m.value.as_string()), std::string::npos)
            << name << ": reason " << reason;
        continue;
      }
      std::string why;
      EXPECT_TRUE(subset(m.value, r.root().find(m.key), std::string(m.key), &why))
          << name << ": " << why << "\n" << out;
    }
    json::Value issues = c.find("issues");
    if (issues.valid()) expect_issues(issues, r.root().find("issues"), name);
    ++n;
  }
  EXPECT_GT(n, 100u);
}

TEST(Criteria, FitScoreFixtures) {
  std::string text = read_fixture("fitscore.json");
  json::Document doc;
  ASSERT_TRUE(doc.parse(text, 1 << 24)) << doc.error().message;
  CriteriaEvaluator ev;
  for (json::Value c : doc.root().find("cases").items()) {
    std::string name(c.find("name").as_string());
    json::Value opts = c.find("options");
    std::string out = ev.fit_score_json(c.find("items").raw(), opts.valid() ? opts.raw() : "");
    json::Document r;
    ASSERT_TRUE(r.parse(out)) << name << ": " << out;
    std::string why;
    EXPECT_TRUE(subset(c.find("expect"), r.root(), "result", &why)) << name << ": " << why
                                                                    << "\n" << out;
  }
}

const char* kFiveRanges =
    R"({"answerType":"number","qualificationCriteria":{"ranges":[
      {"rangeStart":null,"rangeEnd":10,"answerQualification":"disqualified"},
      {"rangeStart":10,"rangeEnd":50,"answerQualification":"poor"},
      {"rangeStart":50,"rangeEnd":200,"answerQualification":"neutral"},
      {"rangeStart":250,"rangeEnd":1000,"answerQualification":"good"},
      {"rangeStart":1000,"rangeEnd":5000,"answerQualification":"excellent"}]}})";

uint8_t code_of(const std::string& result_json) {
  json::Document r;
  r.parse(result_json);
  json::Value q = r.root().find("qualification");
  if (!q.is_string()) {
    return r.root().find("code").as_string() == "no_answer" ? kCodeNoAnswer : kCodeError;
  }
  Qualification qq = Qualification::kNeutral;
  parse_qualification(q.as_string(), &qq);
  return static_cast<uint8_t>(static_cast<uint8_t>(qq) |
                              (r.root().find("matched").as_bool() ? kCodeMatched : 0));
}

TEST(Criteria, BatchNumbersAgreeWithEvaluate) {
  CriteriaEvaluator ev;
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> d(-100, 6000);
  std::vector<double> xs = {10, 50, 200, 250, 1000, 5000, 9.999999, 5000.000001, -0.0,
                            std::nan(""), std::numeric_limits<double>::infinity(),
                            -std::numeric_limits<double>::infinity(), 1e308, -1e308};
  for (int i = 0; i < 2000; ++i) xs.push_back(std::round(d(rng) * (i % 2 ? 1 : 100)) / (i % 2 ? 1 : 100));
  for (const char* opts : {"", R"({"lastRangeInclusive":false})", R"({"unmatched":"poor"})",
                           R"({"allowOverlaps":true})"}) {
    double* buf = ev.number_buffer(xs.size());
    std::copy(xs.begin(), xs.end(), buf);
    ASSERT_EQ(ev.evaluate_numbers(kFiveRanges, opts, xs.size()), "");
    std::vector<uint8_t> batch(ev.codes(), ev.codes() + xs.size());
    for (size_t i = 0; i < xs.size(); ++i) {
      std::string answer = std::isfinite(xs[i]) ? std::to_string(xs[i]) : "1e999";
      char exact[40];
      std::snprintf(exact, sizeof exact, "%.17g", xs[i]);
      if (std::isfinite(xs[i])) answer = exact;
      EXPECT_EQ(int(batch[i]), int(code_of(ev.evaluate_json(kFiveRanges, answer, opts))))
          << "x=" << exact << " opts=" << opts;
    }
  }
}

TEST(Criteria, BatchNumbersManyRangesUseBinarySearch) {
  std::string t = R"({"answerType":"number","qualificationCriteria":{"ranges":[)";
  for (int i = 0; i < 100; ++i) {
    if (i) t += ',';
    t += "{\"rangeStart\":" + std::to_string(i * 10) + ",\"rangeEnd\":" + std::to_string(i * 10 + 5) +
         ",\"answerQualification\":\"" + (i % 2 ? "good" : "poor") + "\"}";
  }
  t += "]}}";
  CriteriaEvaluator ev;
  std::vector<double> xs;
  for (int i = -10; i < 1100; ++i) xs.push_back(i * 0.5);
  double* buf = ev.number_buffer(xs.size());
  std::copy(xs.begin(), xs.end(), buf);
  ASSERT_EQ(ev.evaluate_numbers(t, "", xs.size()), "");
  for (size_t i = 0; i < xs.size(); ++i) {
    char exact[40];
    std::snprintf(exact, sizeof exact, "%.17g", xs[i]);
    EXPECT_EQ(int(ev.codes()[i]), int(code_of(ev.evaluate_json(t, exact, "")))) << exact;
  }
  // The top end of the last range (995) is inclusive.
  EXPECT_EQ(code_of(ev.evaluate_json(t, "995", "")),
            static_cast<uint8_t>(Qualification::kGood) | kCodeMatched);
}

TEST(Criteria, BatchAnswersAgreeWithEvaluate) {
  CriteriaEvaluator ev;
  std::string answers = R"(["1.2k", "~300", null, "", "abc", 7, "5000", "1e999", true, "1,000"])";
  ASSERT_EQ(ev.evaluate_answers(kFiveRanges, answers, ""), "");
  json::Document doc;
  ASSERT_TRUE(doc.parse(answers));
  size_t i = 0;
  for (json::Value a : doc.root().items()) {
    EXPECT_EQ(int(ev.codes()[i]), int(code_of(ev.evaluate_json(kFiveRanges, a.raw(), ""))))
        << a.raw();
    ++i;
  }
  EXPECT_EQ(ev.count(), 10u);
  EXPECT_EQ(ev.values()[0], 1200);
  EXPECT_TRUE(std::isnan(ev.values()[4]));
}

TEST(Criteria, NulSeparatedTextBatchAgreesWithEvaluate) {
  CriteriaEvaluator ev;
  const char* templates[] = {
      kFiveRanges,
      R"({"answerType":"boolean","qualificationCriteria":{"yes":"good"}})",
      R"({"answerType":"list","qualificationCriteria":{"choices":{"a":{"answerQualification":"good"},"b":{"answerQualification":"disqualified","label":"Bee"}}}})",
      R"({"answerType":"currency","qualificationCriteria":{"ranges":[{"rangeStart":0,"rangeEnd":1000,"answerQualification":"poor"}]}})",
      R"({"answerType":"json_schema","outputSchema":{"type":"object"}})",
      R"({"answerType":"open_text"})"};
  std::vector<std::string> answers = {"1.2k", "~300", "", " ", "abc", "7", "5000", "1e999", "Yes",
                                      "no.", "a, bee", "$5", "{\"x\":1}", "{}", "-0", "12,345",
                                      "\xE2\x82\xAC" "999"};
  std::string joined;
  for (size_t i = 0; i < answers.size(); ++i) {
    if (i) joined += '\0';
    joined += answers[i];
  }
  for (const char* t : templates) {
    char* buf = ev.text_buffer(joined.size());
    std::copy(joined.begin(), joined.end(), buf);
    ASSERT_EQ(ev.evaluate_texts(t, "", joined.size(), answers.size() + 1), "");
    ASSERT_EQ(ev.count(), answers.size() + 1);
    for (size_t i = 0; i < answers.size(); ++i) {
      std::string lit;
      append_json_string(lit, answers[i]);
      EXPECT_EQ(int(ev.codes()[i]), int(code_of(ev.evaluate_json(t, lit, "")))) << t << " " << lit;
    }
    EXPECT_EQ(ev.codes()[answers.size()], kCodeNoAnswer);  // count beyond the separators
  }
}

TEST(Criteria, BatchNumbersWithoutCriteriaAreNeutralUnmatched) {
  CriteriaEvaluator ev;
  for (const char* t : {R"({"answerType":"currency"})", R"({"answerType":"number","qualificationCriteria":{}})",
                        R"({"answerType":"open_text"})"}) {
    double* buf = ev.number_buffer(3);
    buf[0] = 5;
    buf[1] = -1e300;
    buf[2] = std::nan("");
    ASSERT_EQ(ev.evaluate_numbers(t, "", 3), "");
    EXPECT_EQ(ev.codes()[0], static_cast<uint8_t>(Qualification::kNeutral)) << t;
    EXPECT_EQ(ev.codes()[1], static_cast<uint8_t>(Qualification::kNeutral)) << t;
    EXPECT_EQ(ev.codes()[2], kCodeError) << t;
  }
  double* buf = ev.number_buffer(2);
  buf[0] = 1;
  buf[1] = 0;
  ASSERT_EQ(ev.evaluate_numbers(R"({"answerType":"boolean","qualificationCriteria":{"yes":"good"}})", "", 2), "");
  EXPECT_EQ(ev.codes()[0], kCodeError);  // a number is not a boolean answer
}

TEST(Criteria, InvalidTemplateInBatchIsOneErrorResult) {
  CriteriaEvaluator ev;
  double* buf = ev.number_buffer(3);
  buf[0] = buf[1] = buf[2] = 1;
  std::string r = ev.evaluate_numbers(
      R"({"answerType":"number","qualificationCriteria":{"ranges":[]}})", "", 3);
  EXPECT_NE(r.find("\"code\":\"invalid_criteria\""), std::string::npos) << r;
  EXPECT_EQ(ev.count(), 0u);
  r = ev.evaluate_numbers(kFiveRanges, "", 4);  // more than the buffer holds
  EXPECT_NE(r.find("invalid_batch"), std::string::npos) << r;
}

TEST(Criteria, OptionsAreValidated) {
  CriteriaOptions o;
  Issues issues;
  EXPECT_FALSE(parse_criteria_options(R"({"lastRangeInclusve":true,"unmatched":"meh",
      "weights":{"important":-1},"points":{"great":1},"listCombine":"all"})", &o, &issues));
  std::string got;
  for (auto& i : issues) got += i.field + " " + i.code + "\n";
  EXPECT_EQ(got,
            "lastRangeInclusve invalid_option\nunmatched invalid_option\n"
            "weights.important invalid_option\npoints.great invalid_option\n"
            "listCombine invalid_option\n");
  EXPECT_NE(issues[0].message.find("did you mean lastRangeInclusive?"), std::string::npos)
      << issues[0].message;
  CriteriaEvaluator ev;
  std::string r = ev.evaluate_json(kFiveRanges, "5", R"({"veto":1})");
  EXPECT_NE(r.find("\"code\":\"invalid_options\""), std::string::npos) << r;
  r = ev.fit_score_json("[]", R"({"nope":1})");
  EXPECT_NE(r.find("\"error\":{\"code\":\"invalid_options\""), std::string::npos) << r;
}

template <typename F>
double seconds(F f) {
  auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TEST(Criteria, HostileInputsFinishQuickly) {
  CriteriaEvaluator ev;
  // 10 MB answers of every kind.
  std::string big(10 << 20, '9');
  std::string big_json = "\"" + big + "\"";
  std::string list_json = "\"" + std::string(5 << 20, 'a') + std::string(1 << 20, ',') + "\"";
  for (const char* t :
       {kFiveRanges, R"({"answerType":"boolean","qualificationCriteria":{"yes":"good"}})",
        R"({"answerType":"list","qualificationCriteria":{"choices":{"a":{"answerQualification":"good"}}}})",
        R"({"answerType":"percentage"})", R"({"answerType":"currency"})",
        R"({"answerType":"json_schema","outputSchema":{"type":"string","pattern":"^(a|b)*$"}})"}) {
    double s = seconds([&] {
      std::string r = ev.evaluate_json(t, big_json, "");
      EXPECT_FALSE(r.empty());
      r = ev.evaluate_json(t, list_json, "");
      EXPECT_FALSE(r.empty());
    });
    EXPECT_LT(s, 5.0) << t;
  }
  // 14,000 overlapping ranges (just under the 1 MiB criteria limit): the check is n log n and stops at the issue cap.
  std::string many = R"({"ranges":[)";
  for (int i = 0; i < 14000; ++i) {
    if (i) many += ',';
    many += "{\"rangeStart\":" + std::to_string(i) + ",\"rangeEnd\":" + std::to_string(i + 100000) +
            ",\"answerQualification\":\"good\"}";
  }
  many += "]}";
  std::string r;
  double s = seconds([&] { r = ev.check_json("number", many, ""); });
  EXPECT_LT(s, 2.0);
  json::Document doc;
  ASSERT_TRUE(doc.parse(r, 1 << 24));
  EXPECT_EQ(doc.root().find("issues").size(), kMaxCriteriaIssues);
  // A huge list of choices and a huge list answer.
  std::string choices = R"({"answerType":"list","qualificationCriteria":{"choices":{)";
  for (int i = 0; i < 20000; ++i) {
    if (i) choices += ',';
    choices += "\"c" + std::to_string(i) + "\":{\"answerQualification\":\"" +
               (i == 19999 ? "disqualified" : "good") + "\"}";
  }
  choices += "}}}";
  std::string items = "\"";
  for (int i = 0; i < 200000; ++i) items += "C" + std::to_string(i % 20000) + ";";
  items += "\"";
  s = seconds([&] { r = ev.evaluate_json(choices, items, ""); });
  EXPECT_LT(s, 5.0);
  EXPECT_NE(r.find("\"qualification\":\"disqualified\""), std::string::npos) << r.substr(0, 200);
}

TEST(Criteria, ParseNumberReportsWhy) {
  double v;
  std::string cur, why;
  EXPECT_FALSE(parse_number_answer("12,34", NumberKind::kNumber, &v, &cur, &why));
  EXPECT_EQ(why,
            "\"12,34\" is not a number (',' is only a thousands separator, between groups of "
            "three digits); expected a form such as \"1,234.5\", \"1.2k\", \"12 million\", "
            "\"~500\" or \"500+\"");
  EXPECT_TRUE(parse_number_answer("\xC2\xA0 $1.2M \xE2\x80\xAF", NumberKind::kCurrency, &v, &cur, &why));
  EXPECT_EQ(v, 1200000);
  EXPECT_EQ(cur, "USD");
  std::vector<std::string_view> items;
  split_list_answer(" a ,, b;\n c \r\n", &items);
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[2], "c");
}

}  // namespace
}  // namespace signalkit

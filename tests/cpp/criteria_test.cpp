// Qualification criteria: table-driven over tests/fixtures/criteria/*.json (the Jest suite
// reads the same files), plus the properties fixtures cannot express: the batch fast path
// agrees with evaluate, hostile inputs are refused early or read once, options are validated.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <random>
#include <string>

#include "fixtures.h"
#include "signalkit/criteria.h"
#include "signalkit/work_counters.h"

namespace signalkit {
namespace {

using fixtures::Json;

// [[field, code], ...] against the issues array.
void expect_issues(const Json& want, const Json* got, const std::string& name) {
  ASSERT_TRUE(got && got->is_array()) << name;
  std::string w, g;
  for (const Json& p : want) w += p.at(0).get<std::string>() + " " + p.at(1).get<std::string>() + "\n";
  for (const Json& i : *got) g += fixtures::string_at(i, "field") + " " + fixtures::string_at(i, "code") + "\n";
  EXPECT_EQ(w, g) << name;
}

const Json* member(const Json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() ? nullptr : &*it;
}

TEST(Criteria, CheckFixtures) {
  const Json doc = fixtures::load("criteria/check.json");
  CriteriaEvaluator ev;
  size_t n = 0;
  for (const Json& c : doc.at("cases")) {
    const std::string name = c.at("name").get<std::string>();
    const Json* ct = member(c, "criteriaText");
    const Json* criteria = member(c, "criteria");
    const std::string criteria_text =
        ct && ct->is_string() ? ct->get<std::string>() : criteria ? fixtures::text(*criteria) : "";
    const Json* opts = member(c, "options");
    const std::string out = ev.check_json(c.at("answerType").get<std::string>(), criteria_text,
                                          opts ? fixtures::text(*opts) : "");
    const Json r = fixtures::parse(out);
    ASSERT_TRUE(r.is_object()) << name << ": " << out;
    const Json& want = c.at("issues");
    EXPECT_EQ(r.at("valid").get<bool>(), want.empty()) << name;
    expect_issues(want, member(r, "issues"), name);
    if (const Json* includes = member(c, "messageIncludes")) {
      for (const Json& m : *includes) {
        const std::string msg = r.at("issues").at(0).at("message").get<std::string>();
        EXPECT_NE(msg.find(m.get<std::string>()), std::string::npos) << name << ": " << msg;
      }
    }
    ++n;
  }
  EXPECT_GT(n, 30u);
}

TEST(Criteria, EvaluateFixtures) {
  const Json doc = fixtures::load("criteria/evaluate.json");
  const Json& templates = doc.at("templates");
  CriteriaEvaluator ev;
  size_t n = 0;
  for (const Json& c : doc.at("cases")) {
    const std::string name = c.at("name").get<std::string>();
    const Json* t = member(c, "template");
    if (t && t->is_string()) t = member(templates, t->get<std::string>().c_str());
    ASSERT_TRUE(t && t->is_object()) << name;
    const Json *a = member(c, "answer"), *opts = member(c, "options");
    const std::string out = ev.evaluate_json(fixtures::text(*t), a ? fixtures::text(*a) : "",
                                             opts ? fixtures::text(*opts) : "");
    const Json r = fixtures::parse(out);
    ASSERT_TRUE(r.is_object()) << name << ": " << out;
    for (auto m = c.at("expect").begin(); m != c.at("expect").end(); ++m) {
      if (m.key() == "reasonIncludes") {
        const std::string reason = fixtures::string_at(r, "reason");
        EXPECT_NE(reason.find(m.value().get<std::string>()), std::string::npos)
            << name << ": reason " << reason;
        continue;
      }
      std::string why;
      EXPECT_TRUE(fixtures::subset(m.value(), member(r, m.key().c_str()), m.key(), &why))
          << name << ": " << why << "\n" << out;
    }
    if (const Json* issues = member(c, "issues")) expect_issues(*issues, member(r, "issues"), name);
    ++n;
  }
  EXPECT_GT(n, 100u);
}

// compile() + evaluate_answer() (what the JS compileCriteria calls) render exactly what
// evaluate_json() gives, for every fixture: the compiled criteria are the cached ones.
TEST(Criteria, CompiledCriteriaAgreeWithEvaluateJson) {
  const Json doc = fixtures::load("criteria/evaluate.json");
  const Json& templates = doc.at("templates");
  CriteriaEvaluator ev;
  size_t compiled = 0, errors = 0;
  for (const Json& c : doc.at("cases")) {
    const std::string name = c.at("name").get<std::string>();
    const Json* t = member(c, "template");
    if (t && t->is_string()) t = member(templates, t->get<std::string>().c_str());
    ASSERT_TRUE(t) << name;
    const Json *a = member(c, "answer"), *opts = member(c, "options");
    const std::string tmpl = fixtures::text(*t), answer = a ? fixtures::text(*a) : "",
                      options = opts ? fixtures::text(*opts) : "";
    const std::string want = ev.evaluate_json(tmpl, answer, options);
    std::string error;
    std::unique_ptr<CompiledCriteria> cc = ev.compile(tmpl, options, &error);
    if (!cc) {
      EXPECT_EQ(error, want) << name;
      ++errors;
      continue;
    }
    EXPECT_EQ(evaluation_to_json(ev.evaluate_answer(*cc, answer)), want) << name;
    ++compiled;
  }
  EXPECT_GT(compiled, 100u);
  EXPECT_GT(errors, 0u);
}

TEST(Criteria, FitScoreFixtures) {
  const Json doc = fixtures::load("criteria/fitscore.json");
  CriteriaEvaluator ev;
  for (const Json& c : doc.at("cases")) {
    const std::string name = c.at("name").get<std::string>();
    const Json* opts = member(c, "options");
    const std::string out = ev.fit_score_json(fixtures::text(c.at("items")), opts ? fixtures::text(*opts) : "");
    const Json r = fixtures::parse(out);
    ASSERT_TRUE(r.is_object()) << name << ": " << out;
    std::string why;
    EXPECT_TRUE(fixtures::subset(c.at("expect"), &r, "result", &why)) << name << ": " << why
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
  const Json r = fixtures::parse(result_json);
  const Json* q = member(r, "qualification");
  if (!q || !q->is_string()) {
    return fixtures::string_at(r, "code") == "no_answer" ? kCodeNoAnswer : kCodeError;
  }
  Qualification qq = Qualification::kNeutral;
  parse_qualification(q->get<std::string>(), &qq);
  const Json* matched = member(r, "matched");
  return static_cast<uint8_t>(static_cast<uint8_t>(qq) |
                              (matched && matched->is_boolean() && matched->get<bool>() ? kCodeMatched : 0));
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
  // JSON texts, not a parsed array: 1e999 (a non-finite number) has no nlohmann value.
  const std::vector<std::string> items = {R"("1.2k")", R"("~300")", "null", R"("")", R"("abc")",
                                          "7", R"("5000")", R"("1e999")", "true", R"("1,000")"};
  std::string answers = "[";
  for (const auto& a : items) answers += (answers.size() > 1 ? "," : "") + a;
  answers += "]";
  ASSERT_EQ(ev.evaluate_answers(kFiveRanges, answers, ""), "");
  for (size_t i = 0; i < items.size(); ++i)
    EXPECT_EQ(int(ev.codes()[i]), int(code_of(ev.evaluate_json(kFiveRanges, items[i], "")))) << items[i];
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
    ASSERT_EQ(ev.evaluate_texts(t, "", joined, answers.size() + 1), "");
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

// Hostile inputs are proved cheap by what the engine did, not by a clock: numbers and
// booleans are refused by their length before any parsing, a pattern reads the text once,
// and the overlap check does n log n comparisons.
TEST(Criteria, HostileInputsAreRefusedEarlyOrReadOnce) {
  CriteriaEvaluator ev;
  // As large as one answer may be (kMaxAnswerBytes of JSON).
  const std::string big_json = "\"" + std::string(kMaxAnswerBytes - 2, '9') + "\"";
  const std::string list_text = std::string(kMaxAnswerBytes - (1 << 17) - 2, 'a') + std::string(1 << 17, ',');
  const std::string list_json = "\"" + list_text + "\"";
  auto reason_of = [](const std::string& r) { return fixtures::string_at(fixtures::parse(r), "reason"); };
  for (const char* t : {kFiveRanges, R"({"answerType":"percentage"})", R"({"answerType":"currency"})"}) {
    for (const std::string* answer : {&big_json, &list_json}) {
      std::string r = ev.evaluate_json(t, *answer, "");
      EXPECT_NE(reason_of(r).find("bytes long, too long to be"), std::string::npos) << t << ": " << r.substr(0, 300);
    }
  }
  const char* boolean = R"({"answerType":"boolean","qualificationCriteria":{"yes":"good"}})";
  EXPECT_NE(reason_of(ev.evaluate_json(boolean, big_json, "")).find("is not a boolean"), std::string::npos);
  // A list answer is split once: the 128 KiB of separators leave one long item, no choice.
  const char* list =
      R"({"answerType":"list","qualificationCriteria":{"choices":{"a":{"answerQualification":"good"}}}})";
  fixtures::Json listed = fixtures::parse(ev.evaluate_json(list, list_json, ""));
  EXPECT_EQ(listed.at("value").size(), 1u);
  EXPECT_EQ(listed.at("matched"), false);
  // A pattern reads the 1 MiB once (RE2 is linear in what it reads), within the schema
  // meter: RE2's price for 1 MiB (json_schema.h) is charged and the verdict is complete.
  const char* json_schema =
      R"({"answerType":"json_schema","outputSchema":{"type":"string","pattern":"^(a|b)*$"}})";
  const WorkCounters before = work_counters();
  fixtures::Json matched = fixtures::parse(ev.evaluate_json(json_schema, list_json, ""));
  EXPECT_EQ(matched.at("code"), "invalid_answer");
  EXPECT_NE(matched.at("issues").back().at("code"), "too_complex");
  EXPECT_EQ(work_counters().pattern_bytes - before.pattern_bytes, list_text.size());
  EXPECT_LE(work_counters().schema_steps - before.schema_steps, signalkit::kMaxSchemaSteps);

  // 14,000 overlapping ranges (just under the 1 MiB criteria limit): sorting and one sweep,
  // n log n comparisons (a pairwise check would be 98 million), and the issue cap.
  const size_t n = 14000;
  std::string many = R"({"ranges":[)";
  for (size_t i = 0; i < n; ++i) {
    if (i) many += ',';
    many += "{\"rangeStart\":" + std::to_string(i) + ",\"rangeEnd\":" + std::to_string(i + 100000) +
            ",\"answerQualification\":\"good\"}";
  }
  many += "]}";
  const uint64_t steps = work_counters().criteria_range_steps;
  std::string r = ev.check_json("number", many, "");
  EXPECT_LE(work_counters().criteria_range_steps - steps, 2 * n * 14 + n);  // log2(14,000) < 14
  EXPECT_EQ(fixtures::parse(r).at("issues").size(), kMaxCriteriaIssues);

  // A huge list of choices and a huge list answer: every choice found once.
  std::string choices = R"({"answerType":"list","qualificationCriteria":{"choices":{)";
  for (int i = 0; i < 20000; ++i) {
    if (i) choices += ',';
    choices += "\"c" + std::to_string(i) + "\":{\"answerQualification\":\"" +
               (i == 19999 ? "disqualified" : "good") + "\"}";
  }
  choices += "}}}";
  std::string items = "\"";
  for (int i = 0; i < 140000; ++i) items += "C" + std::to_string(i % 20000) + ";";  // < 1 MiB
  items += "\"";
  const uint64_t list_steps = work_counters().criteria_list_steps;
  fixtures::Json all = fixtures::parse(ev.evaluate_json(choices, items, ""));
  EXPECT_EQ(all.at("qualification"), "disqualified");
  EXPECT_EQ(all.at("matchedChoices").size(), 20000u);
  // Linear in the items: a lookup each, and one step per match to de-duplicate (searching
  // the matches so far would be 140,000 x 20,000 steps).
  EXPECT_LE(work_counters().criteria_list_steps - list_steps, 2u * 140000 + 16 * 17);

  // Past the limit, an answer is refused by its size before it is read.
  std::string r2 = ev.evaluate_json(list, "\"" + std::string(kMaxAnswerBytes, 'a') + "\"", "");
  EXPECT_NE(reason_of(r2).find("the limit is 1048576 bytes"), std::string::npos) << r2.substr(0, 300);
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

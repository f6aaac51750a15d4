// Message helpers: numbers, paths, blank detection and "did you mean" suggestions.
#include <gtest/gtest.h>

#include "common/text.h"
#include "common/whitespace.h"
#include "signalkit/criteria.h"
#include "signalkit/request_validator.h"

namespace signalkit {
namespace {

TEST(Text, NumberTextPrintsIntegersInPlainDigits) {  // regression: 10 was "1e+01"
  struct Case { double in; const char* out; } cases[] = {
      {10, "10"}, {100, "100"}, {1e6, "1000000"}, {-0.0, "0"}, {2.5, "2.5"},
      {0.1, "0.1"}, {123456789012345.0, "123456789012345"}, {1e300, "1e+300"},
  };
  for (const auto& c : cases) EXPECT_EQ(number_text(c.in), c.out) << c.in;
}

TEST(Text, LimitMessagesShowPlainNumbers) {
  RequestValidator engine;
  auto r = engine.validate("saber.template.list", R"({"limit": 1000})");
  ASSERT_EQ(r.issues.size(), 1u);
  EXPECT_EQ(r.issues[0].message, "limit must be at most 100, but it is 1000.");
}

TEST(Text, PathBracketsKeysThatAreNotIdentifiers) {
  std::string prefix = "qualificationCriteria";
  Path p(prefix);
  p.push_key("choices");
  p.push_key("Sales Cloud");
  p.push_key("label");
  EXPECT_EQ(p.str(), R"(qualificationCriteria.choices["Sales Cloud"].label)");
  Path root;
  EXPECT_EQ(root.subject(), "The body");
  root.push_key("keywords");
  root.push_index(3);
  EXPECT_EQ(root.str(), "keywords[3]");
}

TEST(Text, BlankMeansOnlyUnicodeWhiteSpace) {
  EXPECT_TRUE(whitespace::is_blank(""));
  EXPECT_TRUE(whitespace::is_blank(" \t\n"));
  EXPECT_TRUE(whitespace::is_blank("\xC2\xA0\xE3\x80\x80"));  // NBSP, ideographic space
  EXPECT_FALSE(whitespace::is_blank("\xE2\x80\x8B"));          // zero-width space is not White_Space
  EXPECT_FALSE(whitespace::is_blank(" a "));
}

TEST(Text, SuggestsCloseFieldNames) {
  std::vector<std::string> fields = {"name", "keywords", "search_instructions", "scoring_criteria"};
  EXPECT_EQ(suggest("nmae", fields), "name");
  EXPECT_EQ(suggest("searchInstructions", fields), "search_instructions");
  EXPECT_EQ(suggest("Keywords", fields), "keywords");
  EXPECT_EQ(suggest("zzzzzz", fields), "");
}

TEST(Whitespace, TheTwoSetsDifferInNextLineAndByteOrderMark) {
  for (uint32_t cp = 0; cp < 0x10000; ++cp) {
    if (cp == 0x85 || cp == 0xFEFF) continue;
    ASSERT_EQ(whitespace::is_ecma_space(cp), whitespace::is_unicode_white_space(cp)) << cp;
  }
  EXPECT_TRUE(whitespace::is_unicode_white_space(0x85));
  EXPECT_FALSE(whitespace::is_ecma_space(0x85));
  EXPECT_TRUE(whitespace::is_ecma_space(0xFEFF));
  EXPECT_FALSE(whitespace::is_unicode_white_space(0xFEFF));
}

TEST(Whitespace, TrimAndBlankAgreeWithJavaScript) {
  // What " \u00a0x\u2029\ufeff".trim() and /^\s*$/ give in JavaScript.
  EXPECT_EQ(trim_answer_text(" \xC2\xA0x\xE2\x80\xA9\xEF\xBB\xBF"), "x");
  EXPECT_EQ(trim_answer_text("\xC2\x85x\xC2\x85"), "\xC2\x85x\xC2\x85");  // U+0085 is not trimmed
  EXPECT_EQ(trim_answer_text("x\xE2\x80"), "x\xE2\x80");  // a cut sequence is not space
  EXPECT_TRUE(whitespace::is_blank(""));
  EXPECT_TRUE(whitespace::is_blank("\t\xE3\x80\x80\xE1\x9A\x80"));
  EXPECT_FALSE(whitespace::is_blank("\xC2\x85"));
}

}  // namespace
}  // namespace signalkit

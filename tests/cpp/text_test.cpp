// Message helpers: numbers, paths, blank detection and "did you mean" suggestions.
#include <gtest/gtest.h>

#include "signalkit/request_validator.h"
#include "common/text.h"

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
  EXPECT_TRUE(is_blank(""));
  EXPECT_TRUE(is_blank(" \t\n"));
  EXPECT_TRUE(is_blank("\xC2\xA0\xE3\x80\x80"));  // NBSP, ideographic space
  EXPECT_FALSE(is_blank("\xE2\x80\x8B"));          // zero-width space is not White_Space
  EXPECT_FALSE(is_blank(" a "));
}

TEST(Text, SuggestsCloseFieldNames) {
  std::vector<std::string> fields = {"name", "keywords", "search_instructions", "scoring_criteria"};
  EXPECT_EQ(suggest("nmae", fields), "name");
  EXPECT_EQ(suggest("searchInstructions", fields), "search_instructions");
  EXPECT_EQ(suggest("Keywords", fields), "keywords");
  EXPECT_EQ(suggest("zzzzzz", fields), "");
}

}  // namespace
}  // namespace signalkit

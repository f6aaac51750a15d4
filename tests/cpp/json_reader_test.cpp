// signalkit::json::Document, the engine's strict RFC 8259 tape reader: accepted and
// rejected texts (table-driven), limits, UTF-8, escapes, code-point lengths, positions,
// iteration and lookup.
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "signalkit/json.h"

namespace {

using signalkit::json::Document;
using signalkit::json::Type;
using signalkit::json::Value;

struct Bad {
  const char* name;
  std::string text;
  const char* code;    // expected ParseError::code
  size_t offset;       // expected ParseError::offset
};

// Every rejected text gives the expected code at the expected byte, the message names
// line/column/byte (invalid_json), and root() is invalid afterwards.
void expect_rejected(const std::vector<Bad>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Document doc;
    EXPECT_FALSE(doc.parse(c.text)) << "accepted: " << c.text;
    EXPECT_STREQ(doc.error().code_name(), c.code);
    EXPECT_EQ(doc.error().offset, c.offset) << doc.error().message;
    EXPECT_FALSE(doc.root().valid());
    EXPECT_FALSE(doc.error().message.empty());
    if (std::string(c.code) == "invalid_json") {
      EXPECT_NE(doc.error().message.find("(byte " + std::to_string(c.offset) + ")"), std::string::npos)
          << doc.error().message;
      EXPECT_NE(doc.error().message.find("line "), std::string::npos) << doc.error().message;
      EXPECT_NE(doc.error().message.find("column "), std::string::npos) << doc.error().message;
    }
  }
}

Document parsed(std::string_view text) {
  Document doc;
  EXPECT_TRUE(doc.parse(text)) << text << ": " << doc.error().message;
  return doc;
}

// --- accepted ------------------------------------------------------------------------

TEST(JsonReader, AcceptsEveryKindOfValueAtTheTop) {
  struct Good {
    std::string text;
    Type type;
  };
  const std::vector<Good> cases = {
      {"null", Type::kNull},       {"true", Type::kTrue},     {"false", Type::kFalse},
      {"0", Type::kNumber},        {"-0", Type::kNumber},     {"12", Type::kNumber},
      {"-12.5e+3", Type::kNumber}, {"1E2", Type::kNumber},    {"1e-2", Type::kNumber},
      {"0.5", Type::kNumber},      {"\"\"", Type::kString},   {"\"x\"", Type::kString},
      {"[]", Type::kArray},        {"{}", Type::kObject},     {"[[]]", Type::kArray},
      {"{\"a\":{}}", Type::kObject},
      // The four RFC 8259 whitespace characters, anywhere between tokens.
      {" \t\r\n[ \t\r\n1 \t\r\n, \t\r\n2 \t\r\n] \t\r\n", Type::kArray},
      {"{ \"a\" : 1 , \"b\" : [ ] }", Type::kObject},
      // DEL (0x7F) is not a control character for JSON.
      {std::string("\"a\x7F" "b\""), Type::kString},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Document doc;
    ASSERT_TRUE(doc.parse(c.text)) << doc.error().message;
    EXPECT_TRUE(doc.root().valid());
    EXPECT_EQ(doc.root().type(), c.type);
  }
}

TEST(JsonReader, ReadsNumbers) {
  struct Num {
    const char* text;
    double value;
    bool integer;
  };
  const std::vector<Num> cases = {
      {"0", 0, true},
      {"-0", 0, true},
      {"1.0", 1, true},
      {"1.5", 1.5, false},
      {"-12.5e+3", -12500, true},
      {"1e-2", 0.01, false},
      {"123456789012345", 123456789012345.0, true},
      {"9007199254740993", 9007199254740992.0, true},  // rounds like JSON.parse
      {"0.1", 0.1, false},
      {"1e308", 1e308, true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    Document doc = parsed(c.text);
    EXPECT_TRUE(doc.root().is_number());
    EXPECT_EQ(doc.root().as_number(), c.value);
    EXPECT_EQ(doc.root().is_integer(), c.integer);
    EXPECT_EQ(doc.root().raw(), c.text);
  }
  Document big = parsed("1e999");
  EXPECT_TRUE(std::isinf(big.root().as_number()));
  EXPECT_FALSE(big.root().is_integer());  // not finite
  Document tiny = parsed("-1e-999");
  EXPECT_EQ(tiny.root().as_number(), 0);
  EXPECT_TRUE(std::signbit(parsed("-0").root().as_number()));
}

// --- rejected: structure -----------------------------------------------------------

TEST(JsonReader, RejectsTrailingComma) {
  expect_rejected({
      {"array", "[1,]", "invalid_json", 3},
      {"object", "{\"a\":1,}", "invalid_json", 7},
      {"nested", "[[1],]", "invalid_json", 5},
      {"lone comma", "[,]", "invalid_json", 1},
      {"leading comma", "[,1]", "invalid_json", 1},
      {"double comma", "[1,,2]", "invalid_json", 3},
      {"empty object comma", "{,}", "invalid_json", 1},
  });
}

TEST(JsonReader, RejectsMalformedStructure) {
  expect_rejected({
      {"empty input", "", "invalid_json", 0},
      {"only whitespace", " \n\t ", "invalid_json", 4},
      {"unclosed array", "[1, 2", "invalid_json", 5},
      {"unclosed object", "{\"a\": 1", "invalid_json", 7},
      {"unclosed nested", "[{}", "invalid_json", 3},
      {"mismatched close", "[1}", "invalid_json", 2},
      {"mismatched close object", "{\"a\":1]", "invalid_json", 6},
      {"extra close", "[1]]", "invalid_json", 3},
      {"two values", "1 2", "invalid_json", 2},
      {"two documents", "{}{}", "invalid_json", 2},
      {"missing colon", "{\"a\" 1}", "invalid_json", 5},
      {"missing value", "{\"a\":}", "invalid_json", 5},
      {"unquoted key", "{a:1}", "invalid_json", 1},
      {"single-quoted key", "{'a':1}", "invalid_json", 1},
      {"number key", "{1:1}", "invalid_json", 1},
      {"key without value at end", "{\"a\"", "invalid_json", 4},
      {"missing comma", "[1 2]", "invalid_json", 3},
      {"missing comma object", "{\"a\":1 \"b\":2}", "invalid_json", 7},
      {"colon in array", "[1:2]", "invalid_json", 2},
      {"comment", "[1] // c", "invalid_json", 4},
      {"block comment", "/* c */ 1", "invalid_json", 0},
      {"NaN", "NaN", "invalid_json", 0},
      {"Infinity", "[Infinity]", "invalid_json", 1},
      {"single quotes", "'a'", "invalid_json", 0},
      {"True", "True", "invalid_json", 0},
      {"tru", "tru", "invalid_json", 0},
      {"nul at end", "[nul", "invalid_json", 1},
      {"truex", "truex", "invalid_json", 4},
      {"undefined", "undefined", "invalid_json", 0},
  });
}

TEST(JsonReader, RejectsMalformedNumbers) {
  expect_rejected({
      {"leading zero", "01", "invalid_json", 0},
      {"negative leading zero", "-01", "invalid_json", 0},
      {"leading zeros in array", "[00]", "invalid_json", 1},
      {"lone minus", "-", "invalid_json", 0},
      {"minus then space", "[- 1]", "invalid_json", 1},
      {"trailing dot", "1.", "invalid_json", 0},
      {"dot then exponent", "1.e5", "invalid_json", 0},
      {"leading dot", ".5", "invalid_json", 0},
      {"bare exponent", "1e", "invalid_json", 0},
      {"exponent sign only", "1e+", "invalid_json", 0},
      {"exponent sign only in array", "[1E-]", "invalid_json", 1},
      {"plus sign", "+1", "invalid_json", 0},
      {"hex", "0x10", "invalid_json", 1},
      {"double minus", "--1", "invalid_json", 0},
      {"two dots", "1.2.3", "invalid_json", 3},
      {"inner space", "[1 .5]", "invalid_json", 3},
  });
}

// --- rejected: strings, escapes and UTF-8 --------------------------------------------

TEST(JsonReader, RejectsControlCharactersAndBadEscapes) {
  expect_rejected({
      {"raw newline", "\"a\nb\"", "invalid_json", 2},
      {"raw tab", "\"a\tb\"", "invalid_json", 2},
      {"raw NUL", std::string("\"a\0b\"", 5), "invalid_json", 2},
      {"raw 0x1F after an escape", "\"\\n\x1F\"", "invalid_json", 3},
      {"unknown escape", "\"\\x41\"", "invalid_json", 1},
      {"escaped single quote", "\"\\'\"", "invalid_json", 1},
      {"escape at end", "\"\\", "invalid_json", 1},
      {"short \\u", "\"\\u12\"", "invalid_json", 1},
      {"\\u with non-hex", "\"\\u12G4\"", "invalid_json", 1},
      {"\\u at end", "\"\\u", "invalid_json", 1},
      {"\\U uppercase", "\"\\U0041\"", "invalid_json", 1},
      {"unclosed string", "\"abc", "invalid_json", 0},
      {"unclosed string after escape", "[\"a\\n", "invalid_json", 1},
      {"bad second half after high surrogate", "\"\\ud83d\\uZZZZ\"", "invalid_json", 7},
  });
}

TEST(JsonReader, RejectsInvalidUtf8) {
  expect_rejected({
      {"overlong slash C0 AF", "\"\xC0\xAF\"", "invalid_json", 1},
      {"overlong C1", "\"\xC1\x81\"", "invalid_json", 1},
      {"overlong 3-byte", "\"\xE0\x80\xAF\"", "invalid_json", 1},
      {"overlong 4-byte", "\"\xF0\x80\x80\xAF\"", "invalid_json", 1},
      {"surrogate D800 in UTF-8", "\"\xED\xA0\x80\"", "invalid_json", 1},
      {"surrogate DFFF in UTF-8", "\"a\xED\xBF\xBF\"", "invalid_json", 2},
      {"above U+10FFFF", "\"\xF4\x90\x80\x80\"", "invalid_json", 1},
      {"F5 lead", "\"\xF5\x80\x80\x80\"", "invalid_json", 1},
      {"FF byte", "\"\xFF\"", "invalid_json", 1},
      {"lone continuation", "\"\x80\"", "invalid_json", 1},
      {"missing continuation", "\"\xC3x\"", "invalid_json", 1},
      {"truncated 2-byte at end", "\"\xC3", "invalid_json", 1},
      {"truncated 3-byte at end", "\"\xE2\x82", "invalid_json", 1},
      {"truncated 4-byte at end", "\"\xF0\x9F\x98", "invalid_json", 1},
      {"truncated before quote", "\"\xE2\x82\"", "invalid_json", 1},
      {"invalid after an escape (slow path)", "\"\\n\xC0\xAF\"", "invalid_json", 3},
      {"invalid in a key", "{\"\xFF\":1}", "invalid_json", 2},
      {"non-ASCII outside strings", "[1,\xC3\xA9]", "invalid_json", 3},
  });
}

TEST(JsonReader, RejectsByteOrderMarkAndOtherWhitespace) {
  expect_rejected({
      {"UTF-8 BOM", "\xEF\xBB\xBF{}", "invalid_json", 0},
      {"form feed", "\f1", "invalid_json", 0},
      {"vertical tab", "[1,\v2]", "invalid_json", 3},
      {"no-break space", "[\xC2\xA0]", "invalid_json", 1},
      {"NUL after value", std::string("1\0", 2), "invalid_json", 1},
  });
}

TEST(JsonReader, DecodesEscapesAndSurrogates) {
  struct Str {
    const char* name;
    std::string text;
    std::string value;
    size_t code_points;
  };
  const std::vector<Str> cases = {
      {"plain", "\"abc\"", "abc", 3},
      {"empty", "\"\"", "", 0},
      {"all simple escapes", R"("\"\\\/\b\f\n\r\t")", "\"\\/\b\f\n\r\t", 8},
      {"\\u ASCII", R"("\u0041\u004a")", "AJ", 2},
      {"\\u NUL", R"("a\u0000b")", std::string("a\0b", 3), 3},
      {"\\u lower and upper hex", R"("\u00e9\u00E9")", "\xC3\xA9\xC3\xA9", 2},
      {"\\u BMP", R"("\u20AC")", "\xE2\x82\xAC", 1},
      {"surrogate pair", R"("\ud83d\ude00")", "\xF0\x9F\x98\x80", 1},
      {"surrogate pair upper hex", R"("\uD834\uDD1E")", "\xF0\x9D\x84\x9E", 1},
      {"raw UTF-8 2/3/4 bytes", "\"\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\"",
       "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80", 3},
      {"raw UTF-8 mixed with escapes", "\"\xC3\xA9\\n\xF0\x9F\x98\x80\"", "\xC3\xA9\n\xF0\x9F\x98\x80", 3},
      {"max code point", "\"\xF4\x8F\xBF\xBF\"", "\xF4\x8F\xBF\xBF", 1},
      {"U+FFFF", "\"\xEF\xBF\xBF\"", "\xEF\xBF\xBF", 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Document doc;
    ASSERT_TRUE(doc.parse(c.text)) << doc.error().message;
    EXPECT_EQ(doc.root().as_string(), c.value);
    EXPECT_EQ(doc.root().string_length(), c.code_points);
    EXPECT_EQ(doc.root().raw(), c.text);
  }
}

// An escaped lone surrogate names no character: it is refused (invalid_unicode) rather
// than read as U+FFFD, so no string other than the one sent is stored or compared.
TEST(JsonReader, LoneSurrogateEscapesAreInvalidUnicode) {
  struct Case {
    const char* name;
    std::string text;
    size_t offset;  // where the lone half starts
  };
  const std::vector<Case> cases = {
      {"lone high", R"("\ud800")", 1},
      {"lone low", R"("\udc00")", 1},
      {"high then letter", R"("\ud800x")", 1},
      {"high then high", R"("\ud800\ud800")", 1},
      {"high then high+low", R"("\ud800\ud83d\ude00")", 1},
      {"pair then lone low", R"("\ud83d\ude00\udc00")", 13},
      {"low then high", R"("\udc00\ud800")", 1},
      {"high then other escape", R"("\ud800\n")", 1},
      {"high then \\u non-surrogate", R"("\ud800\u0041")", 1},
      {"in a key", R"({"a\udfff": 1})", 3},
      {"upper-case hex", R"(["x", "\uDBFF"])", 7},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Document doc;
    ASSERT_FALSE(doc.parse(c.text));
    EXPECT_EQ(doc.error().code, signalkit::json::ParseErrorCode::kInvalidUnicode);
    EXPECT_STREQ(doc.error().code_name(), "invalid_unicode");
    EXPECT_EQ(doc.error().offset, c.offset);
    EXPECT_NE(doc.error().message.find("lone surrogate \\u"), std::string::npos) << doc.error().message;
    EXPECT_FALSE(doc.root().valid());
  }
  Document doc;
  ASSERT_FALSE(doc.parse(R"({"name": "\ud800"})"));
  EXPECT_EQ(doc.error().message,
            "The JSON is not valid Unicode: a lone surrogate \\ud800 in a string (half of a UTF-16 pair, "
            "not a character) at line 1, column 11 (byte 10).");
  // The same character as a pair, or as raw UTF-8, is fine.
  EXPECT_TRUE(doc.parse(R"("\ud83d\ude00")"));
  EXPECT_TRUE(doc.parse("\"\xF0\x9F\x98\x80\""));
}

TEST(JsonReader, EscapedKeysAreUnescaped) {
  Document doc = parsed(R"({"a\u0062":1,"\n":2,"\ud83d\ude00":3})");
  EXPECT_EQ(doc.root().find("ab").as_number(), 1);
  EXPECT_EQ(doc.root().find("\n").as_number(), 2);
  EXPECT_EQ(doc.root().find("\xF0\x9F\x98\x80").as_number(), 3);
  EXPECT_FALSE(doc.root().find("a\\u0062").valid());
}

// --- limits --------------------------------------------------------------------------

std::string nested(int depth, char open, char close, const std::string& inner = "") {
  return std::string(static_cast<size_t>(depth), open) + inner + std::string(static_cast<size_t>(depth), close);
}

TEST(JsonReader, DepthSixtyFourIsAcceptedSixtyFiveIsTooDeep) {
  Document doc;
  EXPECT_TRUE(doc.parse(nested(64, '[', ']'))) << doc.error().message;
  EXPECT_TRUE(doc.parse(nested(63, '[', ']', "{}")));

  std::string objects;
  for (int i = 0; i < 64; ++i) objects += "{\"a\":";
  EXPECT_TRUE(doc.parse(objects + "1" + std::string(64, '}'))) << doc.error().message;

  ASSERT_FALSE(doc.parse(nested(65, '[', ']')));
  EXPECT_STREQ(doc.error().code_name(), "too_deep");
  EXPECT_EQ(doc.error().offset, 64u);
  EXPECT_NE(doc.error().message.find("64"), std::string::npos);

  ASSERT_FALSE(doc.parse(objects + "{\"a\":1}" + std::string(64, '}')));
  EXPECT_STREQ(doc.error().code_name(), "too_deep");

  // A smaller caller limit applies; a larger one is capped at kMaxDepth.
  EXPECT_TRUE(doc.parse("[[1]]", signalkit::kMaxBodyBytes, 2));
  ASSERT_FALSE(doc.parse("[[[1]]]", signalkit::kMaxBodyBytes, 2));
  EXPECT_STREQ(doc.error().code_name(), "too_deep");
  ASSERT_FALSE(doc.parse(nested(65, '[', ']'), signalkit::kMaxBodyBytes, 1000));
  EXPECT_STREQ(doc.error().code_name(), "too_deep");
  EXPECT_TRUE(doc.parse("1", signalkit::kMaxBodyBytes, 0));
  EXPECT_FALSE(doc.parse("[]", signalkit::kMaxBodyBytes, 0));
}

TEST(JsonReader, HundredThousandOpenBracketsIsTooDeepNotACrash) {
  Document doc;
  ASSERT_FALSE(doc.parse(std::string(100000, '[')));
  EXPECT_STREQ(doc.error().code_name(), "too_deep");
  ASSERT_FALSE(doc.parse(std::string(100000, '{')));
  EXPECT_STREQ(doc.error().code_name(), "invalid_json");  // '{' needs a key before the next '{'
  std::string objects;
  for (int i = 0; i < 20000; ++i) objects += "{\"a\":";
  ASSERT_FALSE(doc.parse(objects));
  EXPECT_STREQ(doc.error().code_name(), "too_deep");
}

TEST(JsonReader, SizeLimit) {
  Document doc;
  std::string at_limit = "\"" + std::string(signalkit::kMaxBodyBytes - 2, 'a') + "\"";
  ASSERT_EQ(at_limit.size(), signalkit::kMaxBodyBytes);
  EXPECT_TRUE(doc.parse(at_limit)) << doc.error().message;
  EXPECT_EQ(doc.root().string_length(), signalkit::kMaxBodyBytes - 2);

  std::string over = " " + at_limit;
  ASSERT_FALSE(doc.parse(over));
  EXPECT_STREQ(doc.error().code_name(), "too_large");
  EXPECT_NE(doc.error().message.find(std::to_string(signalkit::kMaxBodyBytes + 1)), std::string::npos);
  EXPECT_FALSE(doc.root().valid());

  // A caller limit.
  EXPECT_TRUE(doc.parse("[1]", 3));
  ASSERT_FALSE(doc.parse("[1] ", 3));
  EXPECT_STREQ(doc.error().code_name(), "too_large");
}

// --- positions, raw text, errors -----------------------------------------------------

TEST(JsonReader, ErrorMessageNamesLineColumnAndByte) {
  Document doc;
  ASSERT_FALSE(doc.parse("{\n  \"a\": 1,\n  \"b\": tru\n}"));
  EXPECT_STREQ(doc.error().code_name(), "invalid_json");
  EXPECT_EQ(doc.error().offset, 19u);
  EXPECT_NE(doc.error().message.find("line 3, column 8 (byte 19)"), std::string::npos) << doc.error().message;

  // Columns count code points, not bytes: "é" is two bytes, one column.
  ASSERT_FALSE(doc.parse("[\"\xC3\xA9\", x]"));
  EXPECT_EQ(doc.error().offset, 7u);
  EXPECT_NE(doc.error().message.find("line 1, column 7 (byte 7)"), std::string::npos) << doc.error().message;

  // The offending character is named.
  ASSERT_FALSE(doc.parse("[1;2]"));
  EXPECT_NE(doc.error().message.find("';'"), std::string::npos) << doc.error().message;
  ASSERT_FALSE(doc.parse("[1,\x01]"));
  EXPECT_NE(doc.error().message.find("0x01"), std::string::npos) << doc.error().message;
  ASSERT_FALSE(doc.parse("[1"));
  EXPECT_NE(doc.error().message.find("end of input"), std::string::npos) << doc.error().message;
}

TEST(JsonReader, RawAndOffsetGiveTheExactSource) {
  const std::string text = " { \"n\" : -1.50e2 , \"s\" : \"a\\tb\" , \"a\" : [ true , null ] , \"o\" : { } } ";
  Document doc = parsed(text);
  Value root = doc.root();
  EXPECT_EQ(root.offset(), 1u);
  EXPECT_EQ(root.raw(), text.substr(1, text.size() - 2));
  EXPECT_EQ(root.find("n").raw(), "-1.50e2");
  EXPECT_EQ(root.find("n").offset(), text.find("-1.50e2"));
  EXPECT_EQ(root.find("n").as_number(), -150);
  EXPECT_EQ(root.find("s").raw(), "\"a\\tb\"");
  EXPECT_EQ(root.find("s").as_string(), "a\tb");
  EXPECT_EQ(root.find("a").raw(), "[ true , null ]");
  EXPECT_EQ(root.find("o").raw(), "{ }");
  EXPECT_EQ(root.find("o").offset(), text.find("{ }"));
  std::vector<std::string_view> raws;
  for (auto item : root.find("a").items()) raws.push_back(item.raw());
  EXPECT_EQ(raws, (std::vector<std::string_view>{"true", "null"}));
  std::vector<size_t> key_offsets;
  for (auto m : root.members()) key_offsets.push_back(m.key_offset);
  EXPECT_EQ(key_offsets, (std::vector<size_t>{text.find("\"n\""), text.find("\"s\""), text.find("\"a\""),
                                              text.find("\"o\"")}));
}

// --- iteration and lookup ------------------------------------------------------------

TEST(JsonReader, IteratesItemsAndMembersIncludingEmptyAndNested) {
  Document doc = parsed(R"({"e":[],"o":{},"a":[1,[2,[3]],{"x":[]},"s"],"d":{"k":1,"k":2,"j":{"k":3}}})");
  Value root = doc.root();
  EXPECT_EQ(root.size(), 4u);

  Value e = root.find("e");
  EXPECT_TRUE(e.is_array());
  EXPECT_EQ(e.size(), 0u);
  int n = 0;
  for (auto item : e.items()) { (void)item; ++n; }
  for (auto m : e.members()) { (void)m; ++n; }  // not an object: empty range
  EXPECT_EQ(n, 0);

  Value o = root.find("o");
  EXPECT_TRUE(o.is_object());
  EXPECT_EQ(o.size(), 0u);
  for (auto m : o.members()) { (void)m; ++n; }
  for (auto item : o.items()) { (void)item; ++n; }  // not an array: empty range
  EXPECT_EQ(n, 0);

  // Items skip over nested subtrees.
  std::vector<Type> types;
  for (auto item : root.find("a").items()) types.push_back(item.type());
  EXPECT_EQ(types, (std::vector<Type>{Type::kNumber, Type::kArray, Type::kObject, Type::kString}));
  EXPECT_EQ(root.find("a").size(), 4u);

  // Duplicates are kept in document order; find() returns the first.
  std::vector<std::pair<std::string_view, double>> members;
  for (auto m : root.find("d").members())
    members.emplace_back(m.key, m.value.is_number() ? m.value.as_number() : -1);
  EXPECT_EQ(members, (std::vector<std::pair<std::string_view, double>>{{"k", 1}, {"k", 2}, {"j", -1}}));
  EXPECT_EQ(root.find("d").size(), 3u);
  EXPECT_EQ(root.find("d").find("k").as_number(), 1);
  EXPECT_EQ(root.find("d").find("j").find("k").as_number(), 3);

  // Member keys in document order.
  std::vector<std::string_view> keys;
  for (auto m : root.members()) keys.push_back(m.key);
  EXPECT_EQ(keys, (std::vector<std::string_view>{"e", "o", "a", "d"}));
}

TEST(JsonReader, FindAndAccessorsOnMissingOrWrongTypes) {
  Document doc = parsed(R"({"a":"1","b":true,"c":null})");
  Value root = doc.root();
  EXPECT_FALSE(root.find("missing").valid());
  EXPECT_FALSE(root.find("").valid());
  EXPECT_TRUE(root.find("c").valid());
  EXPECT_TRUE(root.find("c").is_null());
  EXPECT_FALSE(root.find("a").find("x").valid());  // find on a string
  EXPECT_FALSE(root.find("missing").find("x").valid());
  EXPECT_EQ(root.find("a").as_number(), 0);       // not a number
  EXPECT_FALSE(root.find("a").is_integer());
  EXPECT_EQ(root.find("b").as_string(), "");     // not a string
  EXPECT_EQ(root.find("b").string_length(), 0u);
  EXPECT_TRUE(root.find("b").as_bool());
  EXPECT_TRUE(root.find("b").is_bool());
  EXPECT_EQ(root.find("a").size(), 0u);
  Value invalid;
  EXPECT_FALSE(invalid.valid());
  EXPECT_EQ(invalid.size(), 0u);
  EXPECT_EQ(invalid.raw(), "");
  EXPECT_EQ(invalid.as_string(), "");
  EXPECT_FALSE(invalid.as_bool());
  int n = 0;
  for (auto item : invalid.items()) { (void)item; ++n; }
  for (auto m : invalid.members()) { (void)m; ++n; }
  EXPECT_EQ(n, 0);
  EXPECT_STREQ(signalkit::json::type_name(Type::kTrue), "boolean");
  EXPECT_STREQ(signalkit::json::type_name(Type::kObject), "object");
}

TEST(JsonReader, DocumentIsReusableAndFailureClearsTheTape) {
  Document doc;
  ASSERT_TRUE(doc.parse(R"(["a\nb", {"k": "\u00e9"}])"));
  EXPECT_EQ(doc.root().size(), 2u);
  ASSERT_FALSE(doc.parse("[1,"));
  EXPECT_FALSE(doc.root().valid());
  ASSERT_TRUE(doc.parse(R"({"x":"\t"})"));
  EXPECT_EQ(doc.root().find("x").as_string(), "\t");
  EXPECT_EQ(doc.error().code, signalkit::json::ParseErrorCode::kNone);
  EXPECT_TRUE(doc.error().message.empty());
}

TEST(JsonReader, ManyMembersAndLongStrings) {
  std::string text = "{";
  for (int i = 0; i < 5000; ++i) text += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":[" + std::to_string(i) + "]";
  text += "}";
  Document doc = parsed(text);
  EXPECT_EQ(doc.root().size(), 5000u);
  EXPECT_EQ(doc.root().find("k4999").size(), 1u);
  double sum = 0;
  for (auto m : doc.root().members())
    for (auto item : m.value.items()) sum += item.as_number();
  EXPECT_EQ(sum, 4999.0 * 5000 / 2);

  std::string escapes = "\"";
  for (int i = 0; i < 10000; ++i) escapes += "\\u00e9";
  escapes += "\"";
  Document e = parsed(escapes);
  EXPECT_EQ(e.root().string_length(), 10000u);
  EXPECT_EQ(e.root().as_string().size(), 20000u);
}

}  // namespace

// The engine's one UTF-8 decoder and encoder (wasm/src/common/utf8.h): what a code point
// is, and that every invalid byte reads as one U+FFFD, as TextDecoder reads it.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/utf8.h"

namespace signalkit {
namespace {

const uint8_t* bytes(std::string_view s) { return reinterpret_cast<const uint8_t*>(s.data()); }

TEST(Utf8, DecodesValidSequencesAndReplacesEachInvalidByte) {
  struct Case { const char* name; std::string in; uint32_t cp; int len; } cases[] = {
      {"ascii", "A", 0x41, 1},
      {"two bytes", "\xC3\xA9", 0xE9, 2},
      {"three bytes", "\xE2\x80\xAF", 0x202F, 3},
      {"four bytes", "\xF0\x9F\x9A\x80", 0x1F680, 4},
      {"lone continuation", "\x80", 0xFFFD, 1},
      {"overlong C0", "\xC0\x80", 0xFFFD, 1},
      {"overlong E0", "\xE0\x80\x80", 0xFFFD, 1},
      {"surrogate", "\xED\xA0\x80", 0xFFFD, 1},
      {"beyond U+10FFFF", "\xF4\x90\x80\x80", 0xFFFD, 1},
      {"truncated", "\xE2\x80", 0xFFFD, 1},
      {"bad continuation", "\xC3\x41", 0xFFFD, 1},
      {"F5", "\xF5\x80\x80\x80", 0xFFFD, 1},
  };
  for (const auto& c : cases) {
    int len = 0;
    EXPECT_EQ(utf8::decode(bytes(c.in), bytes(c.in) + c.in.size(), &len), c.cp) << c.name;
    EXPECT_EQ(len, c.len) << c.name;
    EXPECT_EQ(utf8::valid_length(bytes(c.in), bytes(c.in) + c.in.size()),
              c.cp == 0xFFFD ? 0u : static_cast<size_t>(c.len)) << c.name;
  }
  std::string fffd = "\xEF\xBF\xBD";  // U+FFFD itself is valid
  EXPECT_EQ(utf8::valid_length(bytes(fffd), bytes(fffd) + 3), 3u);
}

TEST(Utf8, EncodeRoundTripsEveryScalarValue) {
  for (uint32_t cp = 0; cp <= 0x10FFFF; cp += (cp < 0x11000 ? 1 : 97)) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    std::string s;
    utf8::append(s, cp);
    int len = 0;
    ASSERT_EQ(utf8::decode(bytes(s), bytes(s) + s.size(), &len), cp);
    ASSERT_EQ(static_cast<size_t>(len), s.size());
  }
}

TEST(Utf8, CountsCutsAndStepsBackByCodePoints) {
  const std::string s = "a\xC3\xA9\xE4\xBA\xBA\xF0\x9F\x9A\x80z";  // a é 人 🚀 z
  EXPECT_EQ(utf8::code_points(s), 5u);
  EXPECT_EQ(utf8::code_points("\x80\x80x"), 3u);
  EXPECT_EQ(utf8::prefix_bytes(s, 0), 0u);
  EXPECT_EQ(utf8::prefix_bytes(s, 2), 3u);
  EXPECT_EQ(utf8::prefix_bytes(s, 4), 10u);
  EXPECT_EQ(utf8::prefix_bytes(s, 99), s.size());
  EXPECT_EQ(utf8::floor_boundary(s, 2), 1u);   // inside é: back to its start
  EXPECT_EQ(utf8::floor_boundary(s, 8), 6u);   // inside 🚀
  EXPECT_EQ(utf8::floor_boundary(s, 99), s.size());
  const uint8_t* end = bytes(s) + s.size();
  const uint8_t* p = utf8::prev_start(bytes(s), end - 1);
  EXPECT_EQ(p - bytes(s), 6);  // the start of 🚀
  const std::string bad = "a\x80";
  EXPECT_EQ(utf8::prev_start(bytes(bad), bytes(bad) + 2) - bytes(bad), 1);
}

}  // namespace
}  // namespace signalkit

// Internal text helpers shared by the engine's parts: field paths, value quoting for
// messages, Unicode whitespace, and "did you mean" suggestions.
#ifndef SIGNALKIT_SRC_TEXT_H_
#define SIGNALKIT_SRC_TEXT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "signalkit/json.h"

namespace signalkit {

// A path into a JSON document, built as validation descends and rendered only when an
// issue is reported: `keywords[3]`, `qualificationCriteria.choices["Sales Cloud"]`.
class Path {
 public:
  explicit Path(std::string prefix = "") : prefix_(std::move(prefix)) {}
  void push_key(std::string_view key) { segs_.push_back(Seg{key, 0, true}); }
  void push_index(size_t i) { segs_.push_back(Seg{{}, i, false}); }
  void pop() { segs_.pop_back(); }
  bool empty() const { return prefix_.empty() && segs_.empty(); }
  std::string str() const;
  // The path for messages: the path itself, or "The body" at the root.
  std::string subject() const;

 private:
  struct Seg {
    std::string_view key;
    size_t index;
    bool is_key;
  };
  std::string prefix_;
  std::vector<Seg> segs_;
};

// Appends `key` to a path string as `.key` or `["key"]` as needed.
void append_path_key(std::string& path, std::string_view key);

// A JSON value shortened for a message: strings quoted and cut at ~40 code points,
// containers summarised ("an array of 3 items").
std::string describe_value(const json::Value& v);
// "a string", "an array", "null", "a number", ...
std::string a_type_name(const json::Value& v);

// True when `s` (valid UTF-8) is empty or only Unicode White_Space (JavaScript's `\s`).
bool is_blank(std::string_view s);

// The closest of `candidates` to `name` (edit distance ≤ 2 or a third of the length,
// ignoring case, `_` and `-`; or one containing the other), or "" when none is close.
std::string suggest(std::string_view name, const std::vector<std::string>& candidates);

// "1,048,576" style thousands separators for messages.
std::string with_commas(uint64_t n);
// Shortest round-trip text for a number in messages ("100", "2.5", "1e+300").
std::string number_text(double d);

}  // namespace signalkit

#endif  // SIGNALKIT_SRC_TEXT_H_

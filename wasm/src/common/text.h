// Internal text helpers shared by the engine's parts: field paths, value quoting for
// messages, number formatting and "did you mean" suggestions.
#ifndef SIGNALKIT_SRC_COMMON_TEXT_H_
#define SIGNALKIT_SRC_COMMON_TEXT_H_

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
  // `prefix` must outlive the Path (it is a field name the caller owns).
  explicit Path(std::string_view prefix = "") : prefix_(prefix) {}
  void push_key(std::string_view key) { push(Seg{key.data(), key.size(), true}); }
  void push_index(size_t i) { push(Seg{nullptr, i, false}); }
  void pop() {
    if (overflow_ > 0) --overflow_;
    else if (size_ > 0) --size_;
  }
  bool empty() const { return prefix_.empty() && size_ == 0; }
  std::string str() const;
  // The path for messages: the path itself, or "The body" at the root.
  std::string subject() const;

 private:
  struct Seg {  // trivial, so the inline array costs nothing to construct
    const char* key;
    size_t size_or_index;  // key length, or the array index
    bool is_key;
  };
  // Inline storage: building a path must not allocate on the hot path. Instances nest at
  // most kMaxDepth levels, so deeper pushes only come from hostile recursive schemas;
  // they are counted but not rendered.
  static constexpr size_t kCapacity = 96;
  void push(const Seg& s) {
    if (size_ < kCapacity) segs_[size_++] = s;
    else ++overflow_;
  }
  std::string_view prefix_;
  Seg segs_[kCapacity];
  size_t size_ = 0;
  size_t overflow_ = 0;
};

// Appends `key` to a path string as `.key` or `["key"]` as needed.
void append_path_key(std::string& path, std::string_view key);

// A JSON value shortened for a message: strings quoted and cut at ~40 code points,
// containers summarised ("an array of 3 items").
std::string describe_value(const json::Value& v);
// "a string", "an array", "null", "a number", ...
std::string a_type_name(const json::Value& v);

// The closest of `candidates` to `name` (edit distance ≤ 2 or a third of the length,
// ignoring case, `_` and `-`; or one containing the other), or "" when none is close.
std::string suggest(std::string_view name, const std::vector<std::string>& candidates);

// "1,048,576" style thousands separators for messages.
std::string with_commas(uint64_t n);
// Shortest round-trip text for a number in messages ("100", "2.5", "1e+300").
std::string number_text(double d);
// Appends `d` as a JSON number (number_text), or null when it is not finite.
void append_json_number(std::string& out, double d);

}  // namespace signalkit

#endif  // SIGNALKIT_SRC_COMMON_TEXT_H_

// Structure-aware inputs for the fuzzers: a few bytes of "recipe" build a large JSON
// document (strings near the limits, bodies near and past 1 MiB, nesting near 64, arrays
// and objects at and past the API's caps), so that code which only runs on large inputs is
// reachable from inputs libFuzzer mutates cheaply (its own inputs stay under -max_len).
//
// Every choice reads one byte; an exhausted recipe reads zeros, so any byte string is a
// recipe and a longer one refines a shorter one. Sizes come from tables of the values that
// matter (0, 1, the caps and one past them, powers of two around the limits).
#ifndef SIGNALKIT_TESTS_FUZZ_GENERATE_H_
#define SIGNALKIT_TESTS_FUZZ_GENERATE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "signalkit/limits.h"

namespace fuzzgen {

class Recipe {
 public:
  Recipe(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
  template <typename T, size_t N>
  const T& pick(const T (&table)[N]) { return table[byte() % N]; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

// Counts worth reaching: the API's caps (20 types, 50 keywords and disqualifiers, 100 items
// per page, 400 keywords per type, 1,000 schema issues), one past each, and large ones.
inline constexpr size_t kCounts[] = {0, 1, 2, 3, 7, 19, 20, 21, 49, 50, 51, 99, 100, 101,
                                     399, 400, 401, 999, 1000, 1001, 4096, 20000, 65536, 200000};
// String lengths in bytes: the schemas' maxLength values and one past, and the body limit.
inline constexpr size_t kLengths[] = {0, 1, 2, 15, 16, 100, 101, 200, 201, 255, 256, 257,
                                      500, 501, 1000, 2000, 65536, signalkit::kMaxBodyBytes - 64,
                                      signalkit::kMaxBodyBytes - 8, signalkit::kMaxBodyBytes,
                                      signalkit::kMaxBodyBytes + 1, signalkit::kMaxAnswerBytes + 16};
// Nesting depths around the limit of 64 (a body's own object is one level).
inline constexpr int kDepths[] = {1, 2, 32, 62, 63, 64, 65, 66, 100, 1000};
// What a string is made of (each unit is one character as read).
inline constexpr std::string_view kUnits[] = {
    "a", " ", "\\n", "\\t", "\xC3\xA9", "\\u00e9", "\\ud83d\\ude00", "\xF0\x9F\x98\x80",
    "\\ud800", "\\udc00x", "\\\"", "\\\\", ".", "0", "k", "\xE2\x80\xAF", "%", ",", ";",
    "Yes", "1,234", "~1.2k", "$3M", "45%"};
inline constexpr std::string_view kNumbers[] = {
    "0", "-0", "1", "-1", "0.5", "10", "20", "21", "50", "51", "99", "100", "101", "1e308",
    "1e999", "-1e999", "1e-400", "123456789012345678901234567890", "4.9e-324", "2.5e2",
    "9007199254740993", "-9007199254740993", "1.0"};
// Keys of the request bodies, the criteria and JSON Schema: the fields the rules look at.
inline constexpr std::string_view kKeys[] = {
    "name", "keywords", "description", "search_instructions", "scoring_criteria", "sources",
    "enabled", "disqualifiers", "config", "qualificationCriteria", "ranges", "rangeStart",
    "rangeEnd", "answerQualification", "choices", "label", "answerType", "weight",
    "outputSchema", "question", "limit", "offset", "includeDeleted", "keywords_extra",
    "prompt_override", "feedback", "since", "until", "source", "cursor", "sort", "group_by",
    "entity_id", "signal_type", "type", "properties", "items", "required", "pattern", "enum",
    "$ref", "anyOf", "allOf", "definitions", "params", "id", "types", "template", "yes", "no",
    "__proto__", "", " ", "a.b", "k\xC3\xA9y"};
inline constexpr std::string_view kEnums[] = {
    "news", "reddit", "hacker_news", "x_twitter", "linkedin_posts", "linkedin_jobs",
    "g2_capterra", "podcasts", "number", "percentage", "currency", "boolean", "list",
    "open_text", "json_schema", "url", "contacts_generation", "important", "nice_to_have",
    "not_important", "disqualified", "poor", "neutral", "good", "excellent", "positive",
    "negative", "score", "entity", "2026-01-01T00:00:00Z", "3c90c3cc-0d44-4b50-8888-8dd25736052a"};

// Builds JSON text from a recipe, within a size budget (repetition stops at it).
class JsonBuilder {
 public:
  JsonBuilder(Recipe& r, size_t budget) : r_(r), budget_(budget) {}

  // Any JSON value.
  std::string value(int depth = 0) {
    if (depth > 1100) return "0";
    switch (r_.byte() % 9) {
      case 0: return string();
      case 1: return std::string(r_.pick(kNumbers));
      case 2: return r_.byte() & 1 ? "null" : (r_.byte() & 1 ? "true" : "false");
      case 3: return array(depth);
      case 4: return object(depth);
      case 5: return nested(depth);
      case 6: return quoted(r_.pick(kEnums));
      case 7: return list_of_strings(depth);
      default: return object(depth);
    }
  }

  // A string of some length made of some units (its text is JSON: quoted, escaped).
  std::string string() {
    const size_t len = r_.pick(kLengths);
    const std::string_view unit = r_.pick(kUnits);
    std::string out = "\"";
    while (out.size() < len + 1 && out.size() < budget_) out.append(unit);
    out += '"';
    return out;
  }

  // `n` copies of one item, or of a few items taking turns, within the budget.
  std::string array(int depth) {
    const size_t n = r_.pick(kCounts);
    std::vector<std::string> items;
    const size_t kinds = 1 + r_.byte() % 3;
    for (size_t k = 0; k < kinds; ++k) items.push_back(value(depth + 1));
    std::string out = "[";
    for (size_t i = 0; i < n && out.size() < budget_; ++i) {
      if (i) out += ',';
      out += items[i % kinds];
    }
    out += ']';
    return out;
  }

  // Members named from the key table (repeats are duplicate keys), then "k<i>" members.
  std::string object(int depth) {
    const size_t named = r_.byte() % 8;
    const size_t extra = r_.byte() & 1 ? r_.pick(kCounts) : 0;
    std::string out = "{";
    for (size_t i = 0; i < named && out.size() < budget_; ++i) {
      if (i) out += ',';
      out += quoted(r_.pick(kKeys)) + ":" + value(depth + 1);
    }
    if (extra) {
      const std::string v = value(depth + 1);
      for (size_t i = 0; i < extra && out.size() < budget_; ++i) {
        if (named || i) out += ',';
        out += "\"k" + std::to_string(i) + "\":" + v;
      }
    }
    out += '}';
    return out;
  }

  // A value wrapped in arrays or objects to a depth around the limit.
  std::string nested(int depth) {
    const int levels = r_.pick(kDepths);
    const bool objects = r_.byte() & 1;
    std::string inner = r_.byte() & 1 ? "1" : string();
    std::string out;
    for (int i = 0; i < levels; ++i) out += objects ? "{\"a\":" : "[";
    out += inner;
    for (int i = 0; i < levels; ++i) out += objects ? '}' : ']';
    return out;
  }

  // An array of strings (keywords, sources, disqualifiers: lists with caps).
  std::string list_of_strings(int) {
    const size_t n = r_.pick(kCounts);
    std::string out = "[";
    const std::string item = r_.byte() & 1 ? string() : quoted(r_.pick(kEnums));
    for (size_t i = 0; i < n && out.size() < budget_; ++i) {
      if (i) out += ',';
      out += r_.byte() % 4 == 0 ? quoted(std::string(r_.pick(kEnums)) + std::to_string(i)) : item;
    }
    out += ']';
    return out;
  }

  // Qualification criteria of each shape, with many ranges or choices and edge numbers.
  std::string criteria() {
    switch (r_.byte() % 4) {
      case 0: {  // ranges: increasing, touching, overlapping or reversed; null bounds
        const size_t n = r_.pick(kCounts);
        const uint8_t style = r_.byte();
        std::string out = "{\"ranges\":[";
        for (size_t i = 0; i < n && out.size() < budget_; ++i) {
          if (i) out += ',';
          long lo = static_cast<long>(i) * 10, hi = lo + (style & 1 ? 10 : 15);
          if (style & 2) std::swap(lo, hi);
          out += "{\"rangeStart\":" + (i == 0 && (style & 4) ? std::string("null") : std::to_string(lo)) +
                 ",\"rangeEnd\":" + (i + 1 == n && (style & 8) ? std::string(r_.pick(kNumbers)) : std::to_string(hi)) +
                 ",\"answerQualification\":" + quoted(kEnums[20 + (i + style) % 5]) + "}";
        }
        return out + "]}";
      }
      case 1: {  // choices, many, with labels; some keys differing only in case or space
        const size_t n = r_.pick(kCounts);
        const uint8_t style = r_.byte();
        std::string out = "{\"choices\":{";
        for (size_t i = 0; i < n && out.size() < budget_; ++i) {
          if (i) out += ',';
          out += "\"" + std::string(style & 1 ? "C" : "c") + std::to_string(style & 2 ? i % 7 : i) +
                 "\":{\"answerQualification\":" + quoted(kEnums[20 + i % 5]) +
                 (style & 4 ? ",\"label\":\"L" + std::to_string(i) + "\"" : "") + "}";
        }
        return out + "}}";
      }
      case 2: return "{\"yes\":" + quoted(r_.pick(kEnums)) + ",\"no\":" + quoted(r_.pick(kEnums)) + "}";
      default: return value(1);
    }
  }

  // A research answer: a list text with many items, a long number text, or any value.
  std::string answer() {
    switch (r_.byte() % 4) {
      case 0: {  // "C1; c2, C3\n…": many items, repeats, separators only
        const size_t n = r_.pick(kCounts);
        const uint8_t style = r_.byte();
        std::string out = "\"";
        for (size_t i = 0; i < n && out.size() < budget_; ++i) {
          if (i) out += style & 1 ? ", " : ";";
          out += (style & 2 ? "C" : "c") + std::to_string(style & 4 ? i % 13 : i);
        }
        return out + "\"";
      }
      case 1: return string();
      case 2: return std::string(r_.pick(kNumbers));
      default: return value(0);
    }
  }

  static std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

 private:
  Recipe& r_;
  size_t budget_;
};

// How deeply `json` nests arrays and objects (strings skipped).
inline int nesting_depth(std::string_view json) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// What the generated inputs reached, printed when the fuzzer exits (scripts/build-fuzz.sh
// shows it): proof that a run got to the limits, not only near the seeds.
struct Reach {
  const char* name;
  uint64_t generated = 0, over_size = 0, over_depth = 0;
  size_t largest = 0;
  int deepest = 0;
  void saw(size_t bytes, int depth, size_t size_limit, int depth_limit) {
    ++generated;
    if (bytes > largest) largest = bytes;
    if (depth > deepest) deepest = depth;
    if (bytes > size_limit) ++over_size;
    if (depth > depth_limit) ++over_depth;
  }
};

}  // namespace fuzzgen

#endif  // SIGNALKIT_TESTS_FUZZ_GENERATE_H_

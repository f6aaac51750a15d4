// The shared fixtures (tests/fixtures/, also read by the Jest suite), read with
// nlohmann/json rather than the engine's own reader: a bug in the reader must not be able
// to bend the expectations it is tested against. Engine inputs are re-serialised from the
// parsed fixture (text()), and engine outputs are parsed back with nlohmann (parse()).
#ifndef SIGNALKIT_TESTS_CPP_FIXTURES_H_
#define SIGNALKIT_TESTS_CPP_FIXTURES_H_

#include <fstream>
#include <iterator>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#ifndef SK_FIXTURE_DIR
#error "SK_FIXTURE_DIR must name tests/fixtures (set by CMakeLists.txt)"
#endif

namespace fixtures {

// Keeps the fixture's key order, as JSON.parse does in the Jest suite.
using Json = nlohmann::ordered_json;

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// JSON.parse gives JavaScript a lone surrogate escape ("\ud83d") as a lone UTF-16 unit,
// which TextEncoder sends to the engine as U+FFFD; nlohmann rejects such escapes, so they
// are rewritten to \ufffd first. Escaped backslashes ("\\ud83d" is text) are left alone.
inline std::string replace_lone_surrogates(const std::string& text) {
  auto surrogate_at = [&](size_t i, unsigned lo, unsigned hi) {
    if (i + 6 > text.size() || text[i] != '\\' || text[i + 1] != 'u') return false;
    unsigned v = 0;
    for (size_t k = i + 2; k < i + 6; ++k) {
      char c = text[k];
      int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (h < 0) return false;
      v = v << 4 | static_cast<unsigned>(h);
    }
    return v >= lo && v <= hi;
  };
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out.push_back(text[i]);
      continue;
    }
    if (surrogate_at(i, 0xD800, 0xDBFF) && surrogate_at(i + 6, 0xDC00, 0xDFFF)) {
      out.append(text, i, 12);  // a proper pair
      i += 11;
    } else if (surrogate_at(i, 0xD800, 0xDFFF)) {
      out += "\\ufffd";
      i += 5;
    } else {
      out.append(text, i, 2);  // any other escape, "\\\\" included
      ++i;
    }
  }
  return out;
}

// Parses JSON text (a fixture file or an engine result); a discarded value on error.
inline Json parse(const std::string& text) {
  return Json::parse(replace_lone_surrogates(text), nullptr, /*allow_exceptions=*/false);
}

// tests/fixtures/<relative>, parsed; fails the calling test when unreadable.
inline Json load(const std::string& relative) {
  const std::string text = read_text(std::string(SK_FIXTURE_DIR) + "/" + relative);
  Json j = parse(text);
  if (text.empty() || j.is_discarded()) ADD_FAILURE() << "cannot read fixture " << relative;
  return j;
}

// Compact JSON text of a fixture value: what JSON.stringify gives the engine in Jest.
inline std::string text(const Json& j) {
  return j.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
}

// The string at `key`, or "" when absent or not a string.
inline std::string string_at(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Expected ⊆ actual: objects compare only the expected keys (an expected null also
// matches an absent key), arrays need equal length, numbers compare by value, everything
// else by equality. On a mismatch `why` names the path and both values.
inline bool subset(const Json& want, const Json* got, const std::string& path, std::string* why) {
  auto fail = [&](const std::string& what) {
    *why = path + ": " + what + " (want " + text(want) + ", got " +
           (got ? text(*got).substr(0, 300) : std::string("absent")) + ")";
    return false;
  };
  if (want.is_null()) return !got || got->is_null() ? true : fail("not null");
  if (!got) return fail("absent");
  if (want.is_object()) {
    if (!got->is_object()) return fail("not an object");
    for (auto it = want.begin(); it != want.end(); ++it) {
      auto g = got->find(it.key());
      if (!subset(it.value(), g == got->end() ? nullptr : &*g, path + "." + it.key(), why))
        return false;
    }
    return true;
  }
  if (want.is_array()) {
    if (!got->is_array() || got->size() != want.size()) return fail("array length");
    for (size_t i = 0; i < want.size(); ++i)
      if (!subset(want[i], &(*got)[i], path + "[" + std::to_string(i) + "]", why)) return false;
    return true;
  }
  if (want.is_number()) {
    if (!got->is_number() || want.get<double>() != got->get<double>()) return fail("number");
    return true;
  }
  return want == *got ? true : fail("value");
}

}  // namespace fixtures

#endif  // SIGNALKIT_TESTS_CPP_FIXTURES_H_

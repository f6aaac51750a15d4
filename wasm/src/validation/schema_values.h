// JSON Schema's values: owned copies of enum/const operands, equality, canonical text and
// how values appear in messages.
#ifndef SIGNALKIT_SRC_VALIDATION_SCHEMA_VALUES_H_
#define SIGNALKIT_SRC_VALIDATION_SCHEMA_VALUES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "signalkit/json.h"

namespace signalkit::schema_internal {

// An owned copy of a JSON value (enum/const operands outlive the schema's Document).
struct Owned {
  json::Type type = json::Type::kNull;
  double number = 0;
  std::string str;
  std::vector<Owned> items;
  std::vector<std::pair<std::string, Owned>> members;  // sorted by key
};

Owned own(const json::Value& v);

// JSON Schema equality (numbers by value, objects regardless of key order). `work` counts
// the values visited and the 64-byte blocks of strings compared, for the meter.
bool equal(const Owned& a, const json::Value& b, uint64_t& work);

// Canonical text of a value (sorted keys, numbers as their bits) so that equal values give
// equal strings: uniqueItems sorts these instead of comparing every pair.
void canonical(const json::Value& v, std::string& out);

// At most ~`max` bytes of `s` (cut at a UTF-8 boundary) for messages: enum values and
// patterns come from the schema and may be huge.
std::string shorten(const std::string& s, size_t max = 60);

// An owned value as messages show it ("null", 2.5, "text", "an array").
std::string owned_text(const Owned& o);

}  // namespace signalkit::schema_internal

#endif  // SIGNALKIT_SRC_VALIDATION_SCHEMA_VALUES_H_

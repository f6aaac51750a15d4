// JSON Schema's values: owned copies of enum/const operands, equality, hashes under that equality and
// how values appear in messages.
#ifndef SIGNALKIT_SRC_VALIDATION_SCHEMA_VALUES_H_
#define SIGNALKIT_SRC_VALIDATION_SCHEMA_VALUES_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
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

// `work` counts the cost of the copy in units of ~25 ns (allocations per value and member,
// 16-byte blocks of strings, sorting members), for the compile meter.
Owned own(const json::Value& v, uint64_t& work);

// JSON Schema equality (numbers by value, objects regardless of key order). `work` counts
// the values visited, the 64-byte blocks of strings compared and the comparisons of
// member lookups, for the meter.
bool equal(const Owned& a, const json::Value& b, uint64_t& work);

// The most `work` equal(o, v, work) can count for any v: comparing stops at the first
// difference, so this bounds a comparison's cost before it is made.
uint64_t compare_cost(const Owned& o);

// The same equality between two values of documents (uniqueItems compares items whose
// hashes collide). Objects are compared as sorted member lists.
bool equal(const json::Value& a, const json::Value& b, uint64_t& work);

// A hash under that equality: equal values hash alike (numbers by value, -0 as 0, object
// members in any order), so uniqueItems and enum compare only values whose hashes match
// instead of every pair. Not a defence against crafted collisions: those cost metered
// comparisons, never a wrong answer. `work` counts the values visited and the 8-byte
// blocks of strings and keys hashed.
uint64_t hash_value(const json::Value& v, uint64_t& work);
uint64_t hash_owned(const Owned& o);
// The hash of a string's bytes that the two above use (8 bytes a step).
uint64_t hash_text(std::string_view s);

// ⌈log2 n⌉: the comparisons of a binary search among n (0 for n <= 1).
uint64_t log2_ceil(uint64_t n);

// At most ~`max` bytes of `s` (cut at a UTF-8 boundary) for messages: enum values and
// patterns come from the schema and may be huge.
std::string shorten(const std::string& s, size_t max = 60);

// An owned value as messages show it ("null", 2.5, "text", "an array").
std::string owned_text(const Owned& o);

}  // namespace signalkit::schema_internal

#endif  // SIGNALKIT_SRC_VALIDATION_SCHEMA_VALUES_H_

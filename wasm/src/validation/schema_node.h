// A compiled JSON Schema: one Node per (sub-)schema, what the compiler builds
// (schema_compiler.cpp) and the evaluator walks (schema_evaluator.cpp).
//
// A Node keeps only what every schema has inline; each group of keywords (values, numbers,
// strings, arrays, objects, combinators) lives in its own block, allocated only when the
// schema uses one of them: a 1 MiB schema can hold 300,000 sub-schemas, most of them `{}`,
// `true` or a single `type`, and each must stay small.
#ifndef SIGNALKIT_SRC_VALIDATION_SCHEMA_NODE_H_
#define SIGNALKIT_SRC_VALIDATION_SCHEMA_NODE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "signalkit/json.h"
#include "signalkit/json_schema.h"
#include "validation/ecma_regex.h"
#include "validation/formats.h"
#include "validation/schema_values.h"

namespace signalkit {
namespace schema_internal {

// Keys longer than this get no "did you mean" (edit distance is quadratic).
inline constexpr size_t kMaxSuggestKey = 64;

enum TypeBit : uint8_t {
  kTNull = 1, kTBoolean = 2, kTObject = 4, kTArray = 8, kTNumber = 16, kTString = 32, kTInteger = 64
};

// Patterns with a meaning of their own: the schemas stay standard (ajv accepts them) and
// the engine reports the rule by name.
enum class PatternKind { kGeneric, kNotBlank, kNoDot };

struct Node;

// A compiled `pattern` or `patternProperties` key: RE2's program, run by search_regex
// (ecma_regex.h), which also prices each match.
struct Pattern {
  ProgPtr prog;
};

struct ValueRules {  // enum, const
  bool has_enum = false;
  std::vector<Owned> enum_values;
  // For enums of more than kEnumScan values: (hash_owned, index) sorted, so a value is
  // compared only with the values that share its hash.
  std::vector<std::pair<uint64_t, uint32_t>> enum_index;
  std::vector<uint64_t> enum_costs;  // compare_cost of each value (what comparing may cost)
  bool has_const = false;
  Owned const_value;
  uint64_t const_cost = 0;
};
inline constexpr size_t kEnumScan = 8;

struct NumberRules {
  double multiple_of = 0;
  bool has_max = false, has_min = false, has_xmax = false, has_xmin = false;
  double max = 0, min = 0, xmax = 0, xmin = 0;
};

struct StringRules {
  int64_t max_length = -1, min_length = -1;
  Pattern pattern;
  std::string pattern_src;
  PatternKind pattern_kind = PatternKind::kGeneric;
  Format format = Format::kNone;
};

struct ArrayRules {
  Node* items = nullptr;
  bool has_tuple = false;
  std::vector<Node*> tuple;
  Node* additional_items = nullptr;
  int64_t max_items = -1, min_items = -1;
  bool unique_items = false;
  Node* contains = nullptr;
};

struct ObjectRules {
  int64_t max_props = -1, min_props = -1;
  std::vector<std::string> required;
  std::vector<int> required_index;  // index of each required name in `properties`, or -1
  std::vector<std::pair<std::string, Node*>> properties;
  // Each name's index in `properties` (its first occurrence), for schemas of more than
  // kPropertyScan properties; views the names in `properties`.
  std::unordered_map<std::string_view, int> property_index;
  std::vector<std::string> property_keys;  // for "did you mean"
  size_t property_key_bytes = 0;            // their total length (what suggesting costs)
  std::vector<std::pair<Pattern, Node*>> pattern_properties;
  Node* additional_properties = nullptr;  // nullptr: anything goes
  std::vector<std::pair<std::string, std::vector<std::string>>> dep_required;
  std::vector<std::pair<std::string, Node*>> dep_schemas;
  Node* property_names = nullptr;
  // Whether a member of the value needs a look (see eval_object).
  bool per_member() const {
    return !properties.empty() || !pattern_properties.empty() || additional_properties || property_names;
  }
  // The index in `properties` of `key`, or -1.
  int property(std::string_view key) const {
    if (!property_index.empty()) {
      auto it = property_index.find(key);
      return it == property_index.end() ? -1 : it->second;
    }
    for (size_t j = 0; j < properties.size(); ++j)
      if (properties[j].first == key) return static_cast<int>(j);
    return -1;
  }
};
inline constexpr size_t kPropertyScan = 8;

struct Combinators {
  std::vector<Node*> all_of, any_of, one_of;
  Node *not_ = nullptr, *if_ = nullptr, *then_ = nullptr, *else_ = nullptr;
};

struct Node {
  bool is_bool = false;
  bool bool_value = true;
  uint8_t types = 0;
  Node* ref = nullptr;  // a resolved $ref: the node stands for its target
  std::unique_ptr<ValueRules> values;
  std::unique_ptr<NumberRules> number;
  std::unique_ptr<StringRules> string;
  std::unique_ptr<ArrayRules> array;
  std::unique_ptr<ObjectRules> object;
  std::unique_ptr<Combinators> logic;
};

// "an object, an array or null": the `type` keyword's bits for messages.
std::string types_text(uint8_t types);
bool type_matches(uint8_t types, const json::Value& v);
// "1 item", "3 items".
std::string plural(int64_t n, const char* one, const char* many);

}  // namespace schema_internal

struct JsonSchema::Impl {
  std::vector<std::unique_ptr<schema_internal::Node>> nodes;
  schema_internal::Node* root = nullptr;
  size_t memory = 0;  // estimated bytes held (schema_cache keeps a total under its limit)
};

}  // namespace signalkit

#endif  // SIGNALKIT_SRC_VALIDATION_SCHEMA_NODE_H_

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
#include <utility>
#include <vector>

#include "re2/re2.h"
#include "signalkit/json.h"
#include "signalkit/json_schema.h"
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

// A compiled `pattern` or `patternProperties` key: RE2's program and what one match of a
// byte costs in evaluation steps (see pattern_charge in schema_evaluator.cpp).
struct Pattern {
  std::unique_ptr<RE2> re;
  uint32_t cost_per_64_bytes = 1;
};

struct ValueRules {  // enum, const
  bool has_enum = false;
  std::vector<Owned> enum_values;
  bool has_const = false;
  Owned const_value;
};

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
  std::vector<std::string> property_keys;  // for "did you mean"
  std::vector<std::pair<Pattern, Node*>> pattern_properties;
  Node* additional_properties = nullptr;  // nullptr: anything goes
  std::vector<std::pair<std::string, std::vector<std::string>>> dep_required;
  std::vector<std::pair<std::string, Node*>> dep_schemas;
  Node* property_names = nullptr;
  // Whether a member of the value needs a look (see eval_object).
  bool per_member() const {
    return !properties.empty() || !pattern_properties.empty() || additional_properties || property_names;
  }
};

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

// A compiled JSON Schema: one Node per (sub-)schema, what the compiler builds
// (schema_compiler.cpp) and the evaluator walks (schema_evaluator.cpp).
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

struct Node {
  bool is_bool = false;
  bool bool_value = true;
  uint8_t types = 0;
  bool has_enum = false;
  std::vector<Owned> enum_values;
  bool has_const = false;
  Owned const_value;
  double multiple_of = 0;
  bool has_max = false, has_min = false, has_xmax = false, has_xmin = false;
  double max = 0, min = 0, xmax = 0, xmin = 0;
  int64_t max_length = -1, min_length = -1;
  std::unique_ptr<RE2> pattern;
  std::string pattern_src;
  PatternKind pattern_kind = PatternKind::kGeneric;
  std::string format;
  Node* items = nullptr;
  bool has_tuple = false;
  std::vector<Node*> tuple;
  Node* additional_items = nullptr;
  int64_t max_items = -1, min_items = -1;
  bool unique_items = false;
  Node* contains = nullptr;
  int64_t max_props = -1, min_props = -1;
  std::vector<std::string> required;
  std::vector<int> required_index;  // index of each required name in `properties`, or -1
  std::vector<std::pair<std::string, Node*>> properties;
  std::vector<std::string> property_keys;  // for "did you mean"
  std::vector<std::pair<std::unique_ptr<RE2>, Node*>> pattern_properties;
  Node* additional_properties = nullptr;  // nullptr: anything goes
  std::vector<std::pair<std::string, std::vector<std::string>>> dep_required;
  std::vector<std::pair<std::string, Node*>> dep_schemas;
  Node* property_names = nullptr;
  Node *if_ = nullptr, *then_ = nullptr, *else_ = nullptr, *not_ = nullptr;
  std::vector<Node*> all_of, any_of, one_of;
  bool has_ref = false;
  std::string ref_text;
  Node* ref = nullptr;
  std::string where;  // path inside the schema, for compile errors
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
};

}  // namespace signalkit

#endif  // SIGNALKIT_SRC_VALIDATION_SCHEMA_NODE_H_

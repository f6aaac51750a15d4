// signalkit — compiled JSON Schema (draft-07) validation.
//
// Used for the embedded request schemas and for schemas users supply (a Puffle type's
// `config_schema`, a Saber template's `outputSchema`). Compile once, validate many times.
// Patterns run on RE2 (linear time: a hostile `pattern` cannot hang the engine); a pattern
// RE2 cannot compile (backreferences, lookaround) makes the schema invalid.
//
//   signalkit::Issues problems;
//   auto schema = signalkit::JsonSchema::compile(schema_value, &problems);   // nullptr if invalid
//   signalkit::Issues issues;
//   schema->validate(instance_value, "config", &issues);   // fields like "config.roles[2]"
//
// Supported: all of draft-07. Keywords: type, enum, const, multipleOf, maximum,
// exclusiveMaximum, minimum, exclusiveMinimum, maxLength, minLength, pattern, items (schema
// or array), additionalItems, maxItems, minItems, uniqueItems, contains, maxProperties,
// minProperties, required, properties, patternProperties, additionalProperties,
// dependencies, propertyNames, if/then/else, allOf, anyOf, oneOf, not, format (every
// draft-07 format, and uuid; unknown formats are annotations), definitions, $id (base URIs,
// nested and relative, urn:, and "#name" identifiers) and $ref (resolved as URIs; its
// siblings are ignored, as draft-07 says). The draft-07 meta-schema is built in as a $ref
// target; other remote $refs are `invalid_schema` (no network). content* keywords are
// annotations. Lengths count Unicode code points.
//
// Cost: compiling is metered (kMaxSchemaCompileWork, kMaxPatternProgram,
// kMaxSchemaRegexMemory; each piece of work charged before it is done) and so is the
// schema's shape: a $ref chain deeper than
// kMaxSchemaDepth or combinators that apply more than kMaxSchemaSteps schemas to one value
// are refused at compile with `too_complex` (naming the field), so an accepted schema can
// answer. Evaluation is metered too (see validate()).
#ifndef SIGNALKIT_JSON_SCHEMA_H_
#define SIGNALKIT_JSON_SCHEMA_H_

#include <memory>
#include <string>
#include <string_view>

#include "signalkit/issues.h"
#include "signalkit/json.h"
#include "signalkit/limits.h"

namespace signalkit {

class JsonSchema {
 public:
  ~JsonSchema();
  // Compiles `schema`. On an invalid schema returns nullptr and appends `invalid_schema`
  // issues (at most kMaxSchemaCompileIssues) whose field is `field_prefix` + the path inside
  // the schema (e.g. "outputSchema.type"), or one `too_complex` issue when the schema is
  // over its cost limits (limits.h).
  // `entry` is a local JSON pointer ("#/definitions/rangeCriteria") to validate against a
  // sub-schema while local $refs still resolve against the whole document; "" is the root.
  static std::unique_ptr<JsonSchema> compile(const json::Value& schema, Issues* issues,
                                             const std::string& field_prefix = "",
                                             std::string_view entry = "");
  // Appends one issue per violation (at most kMaxSchemaIssues = 1,000 per call, then
  // `too_complex` if the evaluation was cut short); fields are `prefix` + the path inside
  // `instance`. Returns true when `instance` is valid. Never throws; recursion is bounded
  // by kMaxSchemaDepth. Cost: metered at kMaxSchemaSteps = 1,000,000 steps of ~25 ns (an
  // evaluation is one; an issue, a comparison, a hash, a pattern match or a format check
  // are priced from their size before they run: docs/validation.md), beyond which the
  // verdict is `too_complex` and nothing more is done.
  bool validate(const json::Value& instance, const std::string& prefix, Issues* out) const;
  // Estimated bytes the compiled schema holds (nodes, copied values, RE2 programs and
  // their DFA caches at their limit): what caches of compiled schemas count.
  size_t memory() const;

  struct Impl;
  // The compiled form (validation/schema_node.h), for the engine's own one-pass checks.
  const Impl& internals() const { return *impl_; }

 private:
  explicit JsonSchema(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace signalkit

#endif  // SIGNALKIT_JSON_SCHEMA_H_

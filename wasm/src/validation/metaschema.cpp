// The draft-07 meta-schema (http://json-schema.org/draft-07/schema#), the one document a
// $ref may name by an absolute URI without a network: schemas that validate schemas use it.
// The text is ajv's copy (node_modules/ajv/dist/refs/json-schema-draft-07.json), embedded
// minified at build time (cmake/embed_schemas.cmake); tests/cpp/json_schema_test.cpp checks
// it against that file, and tests/js/json_schema.differential.test.js checks that
// validating against it agrees with ajv on every schema of the shared cases and the suite.
#include "validation/metaschema.h"

#include "validation/embedded_schemas.h"

namespace signalkit::schema_internal {

std::string_view draft07_metaschema() { return embedded::find("json-schema-draft-07"); }

}  // namespace signalkit::schema_internal

// The schemas/ folder and the draft-07 meta-schema (from ajv's npm package, minified),
// embedded at build time by cmake/embed_schemas.cmake.
#ifndef SIGNALKIT_SRC_VALIDATION_EMBEDDED_SCHEMAS_H_
#define SIGNALKIT_SRC_VALIDATION_EMBEDDED_SCHEMAS_H_

#include <cstddef>
#include <string_view>

namespace signalkit::embedded {

struct SchemaFile {
  const char* name;  // file name without ".json", e.g. "puffle.signalType.create", "json-schema-draft-07"
  const char* text;  // the file's bytes, NUL-terminated
  size_t size;       // bytes, without the NUL
};

extern const SchemaFile kSchemaFiles[];
extern const size_t kSchemaFileCount;

// The text of the file named `name` (as in SchemaFile::name), or "" if there is none.
std::string_view find(std::string_view name);

}  // namespace signalkit::embedded

#endif  // SIGNALKIT_SRC_VALIDATION_EMBEDDED_SCHEMAS_H_

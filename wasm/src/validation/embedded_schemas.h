// The schemas/ folder, embedded at build time by cmake/embed_schemas.cmake.
#ifndef SIGNALKIT_SRC_VALIDATION_EMBEDDED_SCHEMAS_H_
#define SIGNALKIT_SRC_VALIDATION_EMBEDDED_SCHEMAS_H_

#include <cstddef>

namespace signalkit::embedded {

struct SchemaFile {
  const char* name;  // file name without ".json", e.g. "puffle.signalType.create"
  const char* text;  // the file's bytes, NUL-terminated
  size_t size;       // bytes, without the NUL
};

extern const SchemaFile kSchemaFiles[];
extern const size_t kSchemaFileCount;

}  // namespace signalkit::embedded

#endif  // SIGNALKIT_SRC_VALIDATION_EMBEDDED_SCHEMAS_H_

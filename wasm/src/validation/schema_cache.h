// The engine's one cache of compiled user schemas (a Puffle type's config_schema, a Saber
// template's outputSchema): requests and answers reuse a handful of schemas many times,
// and compiling one costs far more than validating against it.
#ifndef SIGNALKIT_SRC_VALIDATION_SCHEMA_CACHE_H_
#define SIGNALKIT_SRC_VALIDATION_SCHEMA_CACHE_H_

#include <cstddef>
#include <memory>
#include <string>

#include "signalkit/issues.h"
#include "signalkit/json.h"
#include "signalkit/json_schema.h"

namespace signalkit::schema_cache {

// Schemas kept, least recently used first out: at most kCapacity of them, holding at most
// kMaxBytes together (JsonSchema::memory(), which counts each pattern's RE2 memory at its
// limit, plus the text), so that a stream of large hostile schemas cannot grow the heap
// without bound.
inline constexpr size_t kCapacity = 64;
inline constexpr size_t kMaxBytes = 128u << 20;

// The compiled form of `schema` (any JSON value; compiled from it, and its text copied as
// the key, so the value's document may go away), or nullptr with `invalid_schema` (or one
// `too_complex`) issues whose fields start with `field_prefix`. Keyed by a hash of the
// schema's exact text and the text itself. A refusal is kept too (keyed by the prefix as
// well, since its issues name fields): asking again for a schema that was refused costs a
// hash of its text, not another compile up to its budget. Not thread-safe (the engine is
// single-threaded).
std::shared_ptr<const JsonSchema> get(const json::Value& schema, const std::string& field_prefix,
                                      Issues* issues);

}  // namespace signalkit::schema_cache

#endif  // SIGNALKIT_SRC_VALIDATION_SCHEMA_CACHE_H_

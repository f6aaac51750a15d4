// The draft-07 meta-schema, built in: `{"$ref": "http://json-schema.org/draft-07/schema#"}`
// (and pointers into it) resolve without a network.
#ifndef SIGNALKIT_SRC_VALIDATION_METASCHEMA_H_
#define SIGNALKIT_SRC_VALIDATION_METASCHEMA_H_

#include <string_view>

namespace signalkit::schema_internal {

// Its `$id` without the empty fragment: the URI a reference must resolve to.
inline constexpr std::string_view kDraft07MetaschemaUri = "http://json-schema.org/draft-07/schema";

// The meta-schema's JSON text (static storage).
std::string_view draft07_metaschema();

}  // namespace signalkit::schema_internal

#endif  // SIGNALKIT_SRC_VALIDATION_METASCHEMA_H_

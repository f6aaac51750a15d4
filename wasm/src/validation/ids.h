// Identifier rules, defined once: the request kinds check path parameters with them, the
// JSON Schema formats and messages use them, and a test holds the request schemas'
// `pattern` for Puffle ids to kPuffleIdPattern.
#ifndef SIGNALKIT_SRC_VALIDATION_IDS_H_
#define SIGNALKIT_SRC_VALIDATION_IDS_H_

#include <string_view>

namespace signalkit::ids {

// Puffle's id pattern as the request schemas spell it (schemas/puffle.signal.list.json):
// versions 1–8 with the RFC 4122 variant, or the nil/max UUIDs.
inline constexpr const char* kPuffleIdPattern =
    "^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}|"
    "00000000-0000-0000-0000-000000000000|ffffffff-ffff-ffff-ffff-ffffffffffff)$";

// How messages describe the form of both id kinds.
inline constexpr const char* kUuidForm = "a UUID such as 3c90c3cc-0d44-4b50-8888-8dd25736052a";

// 8-4-4-4-12 hexadecimal digits (JSON Schema's "uuid" format; Saber ids).
bool is_uuid_shape(std::string_view s);

// kPuffleIdPattern, without a regular expression.
bool is_puffle_id(std::string_view s);

}  // namespace signalkit::ids

#endif  // SIGNALKIT_SRC_VALIDATION_IDS_H_

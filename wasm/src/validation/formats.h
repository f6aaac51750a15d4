// JSON Schema `format`s (draft-07, plus `uuid`), checked as the specification's RFCs
// define them; an unknown format is an annotation, as draft-07 allows.
#ifndef SIGNALKIT_SRC_VALIDATION_FORMATS_H_
#define SIGNALKIT_SRC_VALIDATION_FORMATS_H_

#include <string_view>

namespace signalkit::schema_internal {

enum class Format {
  kNone,  // unknown: an annotation
  kDateTime, kDate, kTime,
  kEmail, kIdnEmail, kHostname, kIdnHostname, kIpv4, kIpv6,
  kUri, kUriReference, kIri, kIriReference, kUriTemplate,
  kJsonPointer, kRelativeJsonPointer, kRegex, kUuid,
};

Format parse_format(std::string_view name);

// A description of the expected form when `value` fails `format` ("a date such as
// 2026-01-31"), else nullptr.
const char* check_format(Format format, std::string_view value);

}  // namespace signalkit::schema_internal

#endif  // SIGNALKIT_SRC_VALIDATION_FORMATS_H_

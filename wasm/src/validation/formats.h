// JSON Schema `format`s (draft-07, plus `uuid`), checked as the specification's RFCs
// define them; an unknown format is an annotation, as draft-07 allows.
#ifndef SIGNALKIT_SRC_VALIDATION_FORMATS_H_
#define SIGNALKIT_SRC_VALIDATION_FORMATS_H_

#include <cstdint>
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

// Checking a string's format, metered like the rest of evaluation (units of ~25 ns of the
// wasm build): the checks read the string a few times, 2 bytes a unit; `regex` parses it
// (ecma_regex.h, check_ecma_regex).
struct FormatCheck {
  const char* form = nullptr;  // when `value` fails: the expected form ("a date such as 2026-01-31")
  bool too_complex = false;    // checking would cost more than `work_left`: not checked
  uint64_t work = 0;           // units spent
};
FormatCheck check_format(Format format, std::string_view value, uint64_t work_left);

}  // namespace signalkit::schema_internal

#endif  // SIGNALKIT_SRC_VALIDATION_FORMATS_H_

// JSON Schema `format`s the engine checks (date-time, date, time, email, uri, uuid); the
// others are annotations, as draft-07 allows.
#ifndef SIGNALKIT_SRC_VALIDATION_FORMATS_H_
#define SIGNALKIT_SRC_VALIDATION_FORMATS_H_

#include <string>
#include <string_view>

namespace signalkit::schema_internal {

// A description of the expected form when `value` fails `format` ("a date such as
// 2026-01-31"), else nullptr (also for formats that are not checked).
const char* check_format(const std::string& format, std::string_view value);

}  // namespace signalkit::schema_internal

#endif  // SIGNALKIT_SRC_VALIDATION_FORMATS_H_

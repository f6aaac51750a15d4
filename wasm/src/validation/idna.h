// Internationalised host names (IDNA2008: RFC 5890-5893) and Punycode (RFC 3492), for the
// `hostname` (A-labels) and `idn-hostname` formats.
//
// Derived properties (RFC 5892) come from RE2's Unicode tables (general categories,
// scripts, case folding) plus the RFC's exception lists; NFKC is not available, so
// compatibility characters outside the usual compatibility blocks (fullwidth forms,
// presentation forms, mathematical letters, ...) are not recognised as unstable.
#ifndef SIGNALKIT_SRC_VALIDATION_IDNA_H_
#define SIGNALKIT_SRC_VALIDATION_IDNA_H_

#include <string_view>

namespace signalkit::schema_internal::idna {

// A host name of ASCII labels (RFC 1123), where "xn--" labels must be valid A-labels.
bool is_hostname(std::string_view s);

// A host name whose labels may be U-labels (separated by ".", U+3002, U+FF0E or U+FF61).
bool is_idn_hostname(std::string_view s);

}  // namespace signalkit::schema_internal::idna

#endif  // SIGNALKIT_SRC_VALIDATION_IDNA_H_

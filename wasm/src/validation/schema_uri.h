// URI references for `$id` and `$ref` (RFC 3986): resolving a reference against a base
// URI and splitting off the fragment. No network and no normalisation beyond RFC 3986
// §5.2 (dot segments): identifiers are compared as the resolved strings.
#ifndef SIGNALKIT_SRC_VALIDATION_SCHEMA_URI_H_
#define SIGNALKIT_SRC_VALIDATION_SCHEMA_URI_H_

#include <string>
#include <string_view>

namespace signalkit::schema_internal {

// RFC 3986 §5.2.2: `ref` resolved against `base` ("" is a valid, empty base: a relative
// reference then stays relative, which is how a schema without `$id` names its parts).
std::string resolve_uri(std::string_view base, std::string_view ref);

// "abs#frag" -> abs and frag (without '#'); `has_fragment` tells "x#" from "x".
struct UriParts {
  std::string_view absolute;
  std::string_view fragment;
  bool has_fragment = false;
};
UriParts split_fragment(std::string_view uri);

// %XX decoded (a fragment's JSON pointer or anchor name); other bytes unchanged.
std::string percent_decode(std::string_view s);

}  // namespace signalkit::schema_internal

#endif  // SIGNALKIT_SRC_VALIDATION_SCHEMA_URI_H_

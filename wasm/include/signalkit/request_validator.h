// signalkit — request validation for the Puffle and Saber APIs: one validation kind per
// API operation (`<provider>.<resource>.<operation>`), each an embedded JSON Schema for the
// body plus the rules a schema cannot say (path parameters, context, cross-field rules).
//
//   signalkit::RequestValidator validator;          // compiles each kind's schema on first use
//   auto r = validator.validate("puffle.signalType.create",
//                            R"({"name":"Layoffs","keywords":["layoff"], ...})",
//                            R"({"types":[...]})");
//   if (!r.valid) for (auto& i : r.issues) std::cout << i.field << ' ' << i.code;
//
// Kinds, fields, codes and context are documented in docs/validation.md. A validator is
// not thread-safe (it reuses parse buffers between calls); use one per thread.
#ifndef SIGNALKIT_REQUEST_VALIDATOR_H_
#define SIGNALKIT_REQUEST_VALIDATOR_H_

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "signalkit/issues.h"
#include "signalkit/limits.h"

namespace signalkit {

struct ValidationResult {
  bool valid = false;
  bool unknown_kind = false;  // `kind` is not one of kinds(); issues is empty then
  Issues issues;
};

class RequestValidator {
 public:
  RequestValidator();
  ~RequestValidator();
  RequestValidator(const RequestValidator&) = delete;
  RequestValidator& operator=(const RequestValidator&) = delete;

  // Validates one request. `body` is the JSON text to be sent; "" means no body (the
  // body-less kinds require that). `context` is "" or a JSON object with the optional
  // members `params`, `type`, `types`, `template` (docs/validation.md). Never throws.
  // Cost: one pass over `body` plus the context; no allocation in steady state for a
  // valid body.
  ValidationResult validate(std::string_view kind, std::string_view body,
                            std::string_view context = {});
  // The same for kinds()[kind_index] (what the wasm entry point passes: no lookup by name);
  // an index past the end is an unknown kind.
  ValidationResult validate_kind_at(size_t kind_index, std::string_view body,
                                    std::string_view context = {});

  // Every validation kind, sorted.
  const std::vector<std::string>& kinds() const;

  // The draft-07 JSON Schema text embedded for `kind`, or "" for body-less kinds and
  // unknown kinds.
  std::string_view schema_text(std::string_view kind) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace signalkit

#endif  // SIGNALKIT_REQUEST_VALIDATOR_H_

// The rules of the validation kinds that JSON Schema cannot say: path parameters, the
// context (what the caller knows about existing types and templates), cross-field rules
// and repeated keys. Each appends issues to `out`. Internal to validation/.
#ifndef SIGNALKIT_SRC_VALIDATION_REQUEST_RULES_H_
#define SIGNALKIT_SRC_VALIDATION_REQUEST_RULES_H_

#include <array>
#include <cstddef>
#include <memory>
#include <string_view>

#include "common/text.h"
#include "signalkit/criteria.h"
#include "signalkit/issues.h"
#include "signalkit/json.h"
#include "signalkit/json_schema.h"
#include "validation/fast_path.h"
#include "validation/request_kinds.h"

namespace signalkit::request_internal {

// Keys repeated within one object, anywhere in the document.
void check_duplicate_keys(const json::Value& v, Path& path, Issues& out);

// The path parameters in the context's `params` (id, sourceId).
void check_params(Params params, const json::Value& given, Issues& out);

// The context's members and their shapes; false when it is not usable at all.
bool check_context(const json::Value& ctx, Issues& out);

// Kinds that send no body: none may be given; built-in types cannot be deleted and only
// built-in types can be reset.
void check_bodyless(const KindSpec& spec, std::string_view body, const json::Value& ctx, Issues& out);

void rules_puffle_create(const json::Value& body, const json::Value& ctx, Issues& out);
void rules_puffle_update(const json::Value& body, const json::Value& ctx, Issues& out);
void rules_source_update(const json::Value& body, Issues& out);
void rules_feed_query(const json::Value& body, Issues& out);
// Saber company signals: a template or an inline question (never both); the list's dates in order.
void rules_company_signal_create(const json::Value& body, Issues& out);
void rules_company_signal_query(const json::Value& body, Issues& out);

// The template schema's criteria shapes, indexed by CriteriaShape (kNone has none).
using ShapeSchemas = std::array<std::unique_ptr<JsonSchema>, 4>;
void rules_saber(bool create, const json::Value& body, const json::Value& ctx,
                 const ShapeSchemas& shapes, Issues& out);

// The kind's rules for a body without context that the fast path proved valid against its
// schema (validation/fast_path.h): true when they add no issue, false when they would or
// when only the general path can tell. `scratch` holds the criteria's bounds.
bool rules_pass_fast(const KindSpec& spec, const FastBody& body, const ShapeSchemas& shapes,
                     FastScalars& scratch);

}  // namespace signalkit::request_internal

#endif  // SIGNALKIT_SRC_VALIDATION_REQUEST_RULES_H_

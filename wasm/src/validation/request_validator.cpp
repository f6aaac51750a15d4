// RequestValidator: one kind's checks in order — context, path parameters, body (read,
// repeated keys, the kind's schema), then the kind's own rules (request_rules.cpp).
#include "signalkit/request_validator.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "common/text.h"
#include "signalkit/criteria.h"
#include "signalkit/json.h"
#include "signalkit/json_schema.h"
#include "validation/embedded_schemas.h"
#include "validation/fast_path.h"
#include "validation/request_kinds.h"
#include "validation/request_rules.h"

namespace signalkit {

using json::Value;
using namespace request_internal;

struct RequestValidator::Impl {
  std::vector<std::string> names;
  // Per kind (all_kinds() order), compiled on first use so that loading the engine stays cheap:
  // the body schema and, for Saber templates, the criteria shapes.
  struct Compiled {
    bool done = false;
    std::unique_ptr<JsonSchema> body;
    ShapeSchemas shapes;
  };
  std::vector<Compiled> compiled;
  json::Document body_doc, ctx_doc;
  FastBody fast_body;
  FastScalars fast_scalars;

  Impl() : compiled(all_kinds().size()) {
    for (const auto& k : all_kinds()) names.emplace_back(k.name);
  }

  const Compiled& compiled_for(size_t kind_index) {
    Compiled& c = compiled[kind_index];
    if (c.done) return c;
    c.done = true;
    std::string_view text = embedded::find(all_kinds()[kind_index].name);
    if (text.empty()) return c;
    // Embedded schemas are ours and tested natively; a broken one leaves the kind without
    // a schema, which the test suite catches (every body kind must have one).
    json::Document doc;
    if (!doc.parse(text)) return c;
    Issues ignored;
    c.body = JsonSchema::compile(doc.root(), &ignored);
    const std::pair<CriteriaShape, const char*> defs[] = {{CriteriaShape::kRanges, "rangeCriteria"},
                                                          {CriteriaShape::kBoolean, "booleanCriteria"},
                                                          {CriteriaShape::kChoices, "listCriteria"}};
    for (const auto& [shape, def] : defs) {
      if (!doc.root().find("definitions").find(def).valid()) continue;
      c.shapes[static_cast<size_t>(shape)] = JsonSchema::compile(
          doc.root(), &ignored, "qualificationCriteria", std::string("#/definitions/") + def);
    }
    return c;
  }

  // Reads and checks the context; false (with an issue) when it is not usable.
  bool read_context(std::string_view context, Value* ctx, Issues& out) {
    if (!ctx_doc.parse(context, kMaxContextBytes)) {
      out.push_back(Issue{"context", "invalid_context", "The context is not usable: " + ctx_doc.error().message});
      return false;
    }
    *ctx = ctx_doc.root();
    return check_context(*ctx, out);
  }

  // A body kind: a missing body, an unreadable one, or its schema and rules.
  void check_body(size_t kind_index, const KindSpec& spec, std::string_view body, const Value& ctx,
                  Issues& out) {
    if (body.empty() || (spec.body == Body::kOptional && body == "null")) {
      if (spec.body == Body::kRequired) out.push_back(Issue{"", "required", "A request body (a JSON object) is required."});
      return;
    }
    const Compiled& c = compiled_for(kind_index);
    // Most bodies are valid: a one-pass proof spares them the document and the walks.
    // Anything it cannot prove takes the general path below, which says what is wrong.
    if (!ctx.valid() && c.body && proves_valid(*c.body, body, &fast_body) &&
        rules_pass_fast(spec, fast_body, c.shapes, fast_scalars))
      return;
    if (!body_doc.parse(body)) {
      const auto& e = body_doc.error();
      out.push_back(Issue{"", e.code_name(), e.message});
      return;
    }
    Value root = body_doc.root();
    Path path;
    check_duplicate_keys(root, path, out);
    static const std::string kNoPrefix;
    if (c.body) c.body->validate(root, kNoPrefix, &out);
    switch (spec.rules) {
      case Rules::kPuffleCreate: rules_puffle_create(root, ctx, out); break;
      case Rules::kPuffleUpdate: rules_puffle_update(root, ctx, out); break;
      case Rules::kSourceUpdate: rules_source_update(root, out); break;
      case Rules::kFeedQuery: rules_feed_query(root, out); break;
      case Rules::kSaberCreate: rules_saber(true, root, ctx, c.shapes, out); break;
      case Rules::kSaberUpdate: rules_saber(false, root, ctx, c.shapes, out); break;
      case Rules::kCompanySignalCreate: rules_company_signal_create(root, out); break;
      case Rules::kCompanySignalQuery: rules_company_signal_query(root, out); break;
      default: break;
    }
  }
};

RequestValidator::RequestValidator() : impl_(std::make_unique<Impl>()) {}
RequestValidator::~RequestValidator() = default;

const std::vector<std::string>& RequestValidator::kinds() const { return impl_->names; }

std::string_view RequestValidator::schema_text(std::string_view kind) const {
  size_t index;
  return find_kind(kind, &index) ? embedded::find(kind) : std::string_view();
}

ValidationResult RequestValidator::validate(std::string_view kind, std::string_view body, std::string_view context) {
  size_t kind_index;
  if (!find_kind(kind, &kind_index)) kind_index = all_kinds().size();
  return validate_kind_at(kind_index, body, context);
}

ValidationResult RequestValidator::validate_kind_at(size_t kind_index, std::string_view body,
                                                    std::string_view context) {
  ValidationResult result;
  if (kind_index >= all_kinds().size()) {
    result.unknown_kind = true;
    return result;
  }
  const KindSpec* spec = &all_kinds()[kind_index];
  Impl& im = *impl_;
  Issues& out = result.issues;
  Value ctx;
  if (!context.empty() && !im.read_context(context, &ctx, out)) {
    im.ctx_doc.release();
    return result;
  }
  check_params(spec->params, ctx.find("params"), out);
  if (spec->body == Body::kNone) check_bodyless(*spec, body, ctx, out);
  else im.check_body(kind_index, *spec, body, ctx, out);
  result.valid = out.empty();
  // The issues own their text: the documents can give back what a large body took.
  im.body_doc.release();
  im.ctx_doc.release();
  return result;
}

}  // namespace signalkit

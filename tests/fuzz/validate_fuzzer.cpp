// libFuzzer target for RequestValidator::validate, the entry point that sees untrusted text.
//
// Input layout: byte 0 picks the kind (index into RequestValidator::kinds(), modulo their count;
// 0xFF = every kind, 0xFE = an unknown kind); the rest is `body`, up to the first NUL, then
// `context`. 0xFD builds the input instead (generate.h): byte 1 picks the kind and the rest
// is a recipe for a large body (near and past 1 MiB, nested near 64, arrays at the caps)
// and, half the time, a context (a type list at and past the cap of 20). Beyond "no crash,
// no sanitizer report, no hang", every call must keep the API's promises: valid ==
// issues.empty(), each issue has a code and a message, the issue list renders as JSON, the
// same call twice gives the same answer (the engine reuses buffers between calls), a body
// without context gets what the general path gives it (the fast path proves only what the
// general path accepts); a generated body past the size or depth limit gets exactly that
// one issue.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate.h"
#include "signalkit/limits.h"
#include "signalkit/request_validator.h"

namespace {

signalkit::RequestValidator& engine() {
  static signalkit::RequestValidator* e = new signalkit::RequestValidator();  // schemas compiled once
  return *e;
}

[[noreturn]] void fail(const char* what, std::string_view kind, const signalkit::Issue* i) {
  std::fprintf(stderr, "validate_fuzzer: %s (kind %.*s", what, static_cast<int>(kind.size()),
               kind.data());
  if (i) std::fprintf(stderr, ", issue field='%s' code='%s' message='%s'", i->field.c_str(),
                      i->code.c_str(), i->message.c_str());
  std::fprintf(stderr, ")\n");
  std::abort();
}

bool same(const signalkit::ValidationResult& a, const signalkit::ValidationResult& b) {
  if (a.valid != b.valid || a.unknown_kind != b.unknown_kind) return false;
  if (a.issues.size() != b.issues.size()) return false;
  for (size_t i = 0; i < a.issues.size(); ++i) {
    const auto &x = a.issues[i], &y = b.issues[i];
    if (x.field != y.field || x.code != y.code || x.message != y.message) return false;
  }
  return true;
}

void check(std::string_view kind, std::string_view body, std::string_view context) {
  const signalkit::ValidationResult r = engine().validate(kind, body, context);
  if (r.unknown_kind) fail("a kind from kinds() reported as unknown", kind, nullptr);
  if (r.valid != r.issues.empty()) fail("valid disagrees with the issue list", kind, nullptr);
  for (const auto& issue : r.issues) {
    if (issue.code.empty()) fail("issue without a code", kind, &issue);
    if (issue.message.empty()) fail("issue without a message", kind, &issue);
  }
  const auto rendered = nlohmann::json::parse(signalkit::issues_to_json(r.issues), nullptr, false);
  if (!rendered.is_array() || rendered.size() != r.issues.size())
    fail("issues_to_json is not a JSON array of the issues", kind, nullptr);
  if (!same(r, engine().validate(kind, body, context)))
    fail("the same call twice gave different results", kind, nullptr);
  // Without context a body may be proved valid in one pass (validation/fast_path.h); an
  // empty context object changes no rule but always takes the general path: the two agree.
  if (context.empty() && !same(r, engine().validate(kind, body, "{}")))
    fail("the fast path and the general path disagree", kind, nullptr);
}

fuzzgen::Reach g_reach{"validate_fuzzer"};

void print_reach() {
  const auto& r = g_reach;
  std::fprintf(stderr,
               "%s: generated %llu inputs, the largest %zu bytes (%llu past the 1 MiB limit), the "
               "deepest %d levels (%llu past 64)\n",
               r.name, static_cast<unsigned long long>(r.generated), r.largest,
               static_cast<unsigned long long>(r.over_size), r.deepest,
               static_cast<unsigned long long>(r.over_depth));
}

// A generated body: what check() promises, plus the limits' single issue.
void check_generated(std::string_view kind, const uint8_t* recipe_bytes, size_t size) {
  fuzzgen::Recipe recipe(recipe_bytes, size);
  fuzzgen::JsonBuilder build(recipe, signalkit::kMaxBodyBytes + 4096);
  const std::string body = build.value(0);
  std::string context;
  if (recipe.byte() & 1) {
    fuzzgen::JsonBuilder ctx(recipe, 2u << 20);
    context = "{\"types\":" + ctx.array(1) + "}";
  }
  const int depth = fuzzgen::nesting_depth(body);
  g_reach.saw(body.size(), depth, signalkit::kMaxBodyBytes, signalkit::kMaxDepth);
  check(kind, body, context);
  // The limits' issues are about bodies the kind reads (body-less kinds: unexpected_body).
  if (!context.empty() || body.empty() || engine().schema_text(kind).empty()) return;
  const signalkit::ValidationResult r = engine().validate(kind, body, "");
  const bool too_large = body.size() > signalkit::kMaxBodyBytes;
  if (!too_large && depth <= signalkit::kMaxDepth) return;
  // Past a limit, the body is not read further: one issue about it, the limit's (or the
  // lone surrogate the reader met before the depth), beside any about the missing path id.
  std::vector<const signalkit::Issue*> about_body;
  for (const auto& i : r.issues)
    if (i.field != "id" && i.field != "sourceId") about_body.push_back(&i);
  if (about_body.size() != 1) fail("a body past a limit must get exactly one issue", kind, nullptr);
  const std::string& code = about_body[0]->code;
  if (too_large ? code != "too_large" : (code != "too_deep" && code != "invalid_unicode"))
    fail("a body past a limit must get the limit's issue", kind, about_body[0]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const int registered = std::atexit(print_reach);
  (void)registered;
  const auto& kinds = engine().kinds();
  if (kinds.empty()) fail("the engine has no kinds", "", nullptr);
  if (data[0] == 0xFD) {
    check_generated(kinds[(size > 1 ? data[1] : 0) % kinds.size()], data + 2, size > 2 ? size - 2 : 0);
    return 0;
  }
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  const size_t nul = rest.find('\0');
  const std::string_view body = rest.substr(0, nul);
  const std::string_view context = nul == std::string_view::npos ? "" : rest.substr(nul + 1);

  if (data[0] == 0xFE) {
    const auto r = engine().validate("no.such.kind", body, context);
    if (!r.unknown_kind || r.valid || !r.issues.empty())
      fail("an unknown kind must give unknown_kind and no issues", "no.such.kind", nullptr);
  } else if (data[0] == 0xFF) {
    for (const auto& kind : kinds) check(kind, body, context);
  } else {
    check(kinds[data[0] % kinds.size()], body, context);
  }
  return 0;
}

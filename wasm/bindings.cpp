// The embind boundary — the only file that includes emscripten headers.
//
// What crosses, and why (docs/boundary.md): JavaScript writes request text as UTF-8 straight
// into buffers the engine owns (TextEncoder.encodeInto into the wasm heap), then makes one
// call with integers; the engine answers with an integer and, only when there is something
// to report, a JSON string the wrapper parses once. No per-field crossings, no embind
// object graphs, so validating a valid body costs one call.
#include <emscripten/bind.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "signalkit/engine.h"
#include "signalkit/issues.h"

namespace {

signalkit::Engine& engine() {
  static signalkit::Engine* e = new signalkit::Engine();  // lives as long as the instance
  return *e;
}

// Input slots: 0 = body, 1 = context. Reused between calls; grown on demand.
std::vector<char> g_slots[2];
std::string g_last_issues = "[]";

// Makes slot `slot` hold at least `bytes` bytes and returns its address in the heap.
uintptr_t input_buffer(int slot, uint32_t bytes) {
  if (slot < 0 || slot > 1) return 0;
  auto& buf = g_slots[slot];
  if (buf.size() < bytes + 1) buf.resize(bytes + 1);
  return reinterpret_cast<uintptr_t>(buf.data());
}

// Validates kinds()[kind_index] on the first `body_len` bytes of slot 0 (body) and the
// first `ctx_len` bytes of slot 1 (context). Returns the issue count (0 = valid), or -1
// for an unknown kind index. The issues are kept for last_issues().
int validate(int kind_index, uint32_t body_len, uint32_t ctx_len) {
  auto& e = engine();
  const auto& kinds = e.kinds();
  if (kind_index < 0 || static_cast<size_t>(kind_index) >= kinds.size()) return -1;
  if (body_len > g_slots[0].size() || ctx_len > g_slots[1].size()) return -1;
  std::string_view body(g_slots[0].data(), body_len);
  std::string_view ctx(ctx_len ? g_slots[1].data() : nullptr, ctx_len);
  auto r = e.validate(kinds[static_cast<size_t>(kind_index)], body, ctx);
  if (r.issues.empty()) return 0;
  g_last_issues = signalkit::issues_to_json(r.issues);
  return static_cast<int>(r.issues.size());
}

std::string last_issues() { return g_last_issues; }

std::string kinds_json() {
  std::string out = "[";
  const auto& kinds = engine().kinds();
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (i) out.push_back(',');
    signalkit::append_json_string(out, kinds[i]);
  }
  out.push_back(']');
  return out;
}

std::string schema_text(std::string kind) { return std::string(engine().schema_text(kind)); }

}  // namespace

EMSCRIPTEN_BINDINGS(signalkit_validation) {
  emscripten::function("inputBuffer", &input_buffer);
  emscripten::function("validate", &validate);
  emscripten::function("lastIssues", &last_issues);
  emscripten::function("kinds", &kinds_json);
  emscripten::function("schemaText", &schema_text);
}

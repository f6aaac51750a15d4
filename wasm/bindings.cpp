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

#include "signalkit/criteria.h"
#include "signalkit/request_validator.h"
#include "signalkit/issues.h"

namespace {

signalkit::RequestValidator& validator() {
  static auto* v = new signalkit::RequestValidator();  // lives as long as the instance
  return *v;
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
  auto& e = validator();
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
  const auto& kinds = validator().kinds();
  for (size_t i = 0; i < kinds.size(); ++i) {
    if (i) out.push_back(',');
    signalkit::append_json_string(out, kinds[i]);
  }
  out.push_back(']');
  return out;
}

std::string schema_text(std::string kind) { return std::string(validator().schema_text(kind)); }

}  // namespace

EMSCRIPTEN_BINDINGS(signalkit_validation) {
  emscripten::function("inputBuffer", &input_buffer);
  emscripten::function("validate", &validate);
  emscripten::function("lastIssues", &last_issues);
  emscripten::function("kinds", &kinds_json);
  emscripten::function("schemaText", &schema_text);
}

// --- criteria ---
// Qualification criteria (signalkit/criteria.h). Single calls write their text arguments
// as UTF-8 into one buffer (criteriaInputBuffer + criteriaCall); the numeric batch crosses
// as a Float64Array written straight into an evaluator-owned buffer, string batches as
// one NUL-separated UTF-8 text, other batches as one JSON text; results come back as
// views of evaluator-owned memory that the wrapper copies before the next call.
namespace {

signalkit::CriteriaEvaluator& criteria() {
  static signalkit::CriteriaEvaluator* c = new signalkit::CriteriaEvaluator();
  return *c;
}

// A Float64Array over room for `n` numbers (empty when n is too large); valid until the
// next engine call.
emscripten::val criteria_number_buffer(uint32_t n) {
  double* p = criteria().number_buffer(n);
  return emscripten::val(emscripten::typed_memory_view(p ? n : 0, p));
}

// "" on success, else an error result's JSON.
std::string criteria_evaluate_numbers(std::string tmpl, std::string options, uint32_t n) {
  return criteria().evaluate_numbers(tmpl, options, n);
}

std::string criteria_evaluate_answers(std::string tmpl, std::string answers, std::string options) {
  return criteria().evaluate_answers(tmpl, answers, options);
}

// A Uint8Array over room for `bytes` bytes of NUL-separated answers (empty when too
// large); valid until the next engine call.
emscripten::val criteria_text_buffer(uint32_t bytes) {
  char* p = criteria().text_buffer(bytes);
  return emscripten::val(emscripten::typed_memory_view(p ? bytes : 0, reinterpret_cast<uint8_t*>(p)));
}

std::string criteria_evaluate_texts(std::string tmpl, std::string options, uint32_t bytes,
                                    uint32_t count) {
  return criteria().evaluate_texts(tmpl, options, bytes, count);
}

emscripten::val criteria_codes() {
  return emscripten::val(emscripten::typed_memory_view(criteria().count(), criteria().codes()));
}

emscripten::val criteria_values() {
  return emscripten::val(emscripten::typed_memory_view(criteria().count(), criteria().values()));
}

// The single calls' arguments arrive as UTF-8 written by TextEncoder.encodeInto into one
// buffer (a, b, c back to back): embind's own string conversion walks every character in
// JS, which costs more than the evaluation itself.
std::vector<char> g_criteria_input;

emscripten::val criteria_input_buffer(uint32_t bytes) {
  if (bytes > signalkit::kMaxBatchBytes) bytes = 0;
  if (g_criteria_input.size() < bytes + 1) g_criteria_input.resize(bytes + 1);
  return emscripten::val(emscripten::typed_memory_view(
      bytes, reinterpret_cast<uint8_t*>(g_criteria_input.data())));
}

std::string g_criteria_result;

// op 0: check(answerType, criteria, options); 1: evaluate(template, answer, options);
// 2: fitScore(items, options). Returns a Uint8Array view of the JSON result (empty for
// bad lengths), valid until the next call: the wrapper decodes it with TextDecoder at
// once, which is far cheaper than embind's std::string return.
emscripten::val criteria_call(int op, uint32_t a, uint32_t b, uint32_t c) {
  g_criteria_result.clear();
  if (static_cast<uint64_t>(a) + b + c + 1 <= g_criteria_input.size()) {
    std::string_view all(g_criteria_input.data(), static_cast<size_t>(a) + b + c);
    std::string_view x = all.substr(0, a), y = all.substr(a, b), z = all.substr(a + b, c);
    switch (op) {
      case 0: g_criteria_result = criteria().check_json(x, y, z); break;
      case 1: g_criteria_result = criteria().evaluate_json(x, y, z); break;
      case 2: g_criteria_result = criteria().fit_score_json(x, y); break;
      default: break;
    }
  }
  return emscripten::val(emscripten::typed_memory_view(
      g_criteria_result.size(), reinterpret_cast<const uint8_t*>(g_criteria_result.data())));
}

}  // namespace

EMSCRIPTEN_BINDINGS(signalkit_criteria) {
  emscripten::function("criteriaNumberBuffer", &criteria_number_buffer);
  emscripten::function("criteriaEvaluateNumbers", &criteria_evaluate_numbers);
  emscripten::function("criteriaEvaluateAnswers", &criteria_evaluate_answers);
  emscripten::function("criteriaTextBuffer", &criteria_text_buffer);
  emscripten::function("criteriaEvaluateTexts", &criteria_evaluate_texts);
  emscripten::function("criteriaCodes", &criteria_codes);
  emscripten::function("criteriaValues", &criteria_values);
  emscripten::function("criteriaInputBuffer", &criteria_input_buffer);
  emscripten::function("criteriaCall", &criteria_call);
}

// --- matcher ---
// Keyword matchers (signalkit/matcher.h) live in a handle table; JS holds integer handles
// and closes them. Compile: types and options cross as two JSON strings; the answer is a
// handle (> 0) or 0 with the issues in matcherLast(). Match: JS writes every title and
// text as UTF-8 into one engine-owned byte buffer and 5 uint32 per document into an
// engine-owned table (TextEncoder.encodeInto / HEAPU32.set, no per-document crossing), then
// one call matches the whole batch; matcherOutput() is an Int32Array view of the result
// records, valid until the next matcher call (the wrapper decodes it at once).
#include <malloc.h>

#include "signalkit/matcher.h"

namespace {

struct MatcherTable {
  std::vector<std::unique_ptr<signalkit::Matcher>> slots;  // handle = index + 1
  std::vector<uint32_t> free_slots;
  int live = 0;
  std::vector<uint8_t> bytes;
  std::vector<uint32_t> table;
  std::vector<int32_t> out;
  std::string last;  // issues JSON after a failed compile, tables JSON after a good one
};

MatcherTable& matchers() {
  static MatcherTable* t = new MatcherTable();
  return *t;
}

signalkit::Matcher* matcher_at(int handle) {
  auto& t = matchers();
  if (handle <= 0 || static_cast<size_t>(handle) > t.slots.size()) return nullptr;
  return t.slots[static_cast<size_t>(handle) - 1].get();
}

int matcher_compile(std::string types_json, std::string options_json) {
  auto& t = matchers();
  signalkit::Issues issues;
  auto m = signalkit::Matcher::compile_json(types_json, options_json, &issues);
  if (!m) {
    t.last = signalkit::issues_to_json(issues);
    return 0;
  }
  t.last = m->tables_json();
  uint32_t slot;
  if (!t.free_slots.empty()) {
    slot = t.free_slots.back();
    t.free_slots.pop_back();
    t.slots[slot] = std::move(m);
  } else {
    slot = static_cast<uint32_t>(t.slots.size());
    t.slots.push_back(std::move(m));
  }
  ++t.live;
  return static_cast<int>(slot + 1);
}

std::string matcher_last() { return matchers().last; }

// 1 when the handle was open and is now closed, 0 when it was not open.
int matcher_close(int handle) {
  auto& t = matchers();
  if (!matcher_at(handle)) return 0;
  t.slots[static_cast<size_t>(handle) - 1].reset();
  t.free_slots.push_back(static_cast<uint32_t>(handle - 1));
  --t.live;
  return 1;
}

// Room for `n` bytes of document text, keeping what is already written (the wrapper grows
// it while encoding). Returns the buffer's address, or 0 above 1 GiB: the wrapper splits
// larger batches, and a failed allocation would abort the instance (no exceptions).
uintptr_t matcher_bytes(uint32_t n) {
  if (n > signalkit::kMatcherMaxBatchBytes) return 0;
  auto& b = matchers().bytes;
  if (b.size() < n) b.resize(n);
  return reinterpret_cast<uintptr_t>(b.data());
}

// Room for the table of `docs` documents (5 uint32 each); returns its address.
uintptr_t matcher_table(uint32_t docs) {
  if (docs > signalkit::kMatcherMaxBatchDocs) return 0;  // the wrapper sends at most 2^20 per call
  auto& tb = matchers().table;
  size_t need = static_cast<size_t>(docs) * 5;
  if (tb.size() < need) tb.resize(need);
  return reinterpret_cast<uintptr_t>(tb.data());
}

// Matches `docs` documents; returns the number of int32 written (see matcher_output), or
// -1 when the handle is not open or a range lies outside the buffers.
int matcher_match(int handle, uint32_t bytes_len, uint32_t docs) {
  auto& t = matchers();
  t.out.clear();
  signalkit::Matcher* m = matcher_at(handle);
  if (!m || bytes_len > t.bytes.size() || static_cast<size_t>(docs) * 5 > t.table.size() ||
      !m->match_batch(t.bytes.data(), bytes_len, t.table.data(), docs, &t.out)) {
    t.out.clear();
    return -1;
  }
  return static_cast<int>(t.out.size());
}

// The records of the last matcher_match(), as an Int32Array view of engine memory.
emscripten::val matcher_output() {
  auto& t = matchers();
  return emscripten::val(emscripten::typed_memory_view(t.out.size(), t.out.data()));
}

int matcher_live_count() { return matchers().live; }

// Bytes of the heap currently allocated (dlmalloc's in-use total): the leak tests compare it
// before and after compiling, matching and closing.
double matcher_heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(signalkit_matcher) {
  emscripten::function("matcherCompile", &matcher_compile);
  emscripten::function("matcherLast", &matcher_last);
  emscripten::function("matcherClose", &matcher_close);
  emscripten::function("matcherBytes", &matcher_bytes);
  emscripten::function("matcherTable", &matcher_table);
  emscripten::function("matcherMatch", &matcher_match);
  emscripten::function("matcherOutput", &matcher_output);
  emscripten::function("matcherLiveCount", &matcher_live_count);
  emscripten::function("matcherHeapInUse", &matcher_heap_in_use);
}

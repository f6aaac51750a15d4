// The embind boundary — the only file that includes emscripten headers.
//
// One crossing style for every capability (docs/boundary.md has the why and the numbers):
// - Inputs: JavaScript writes a call's text arguments as UTF-8, back to back, straight
//   into the one input buffer the engine owns (TextEncoder.encodeInto into the heap at the
//   address inputBuffer() returns), and passes their byte lengths. Typed batches go the same
//   way into buffers of their own (criteriaNumberBuffer, matcherTable).
// - Calls: one named entry point per operation; integers in, one integer out.
// - Outputs: JSON text lands in the one result buffer and is read through resultText(), a
//   Uint8Array view the wrapper decodes with TextDecoder at once; binary results are typed
//   views (criteriaCodes, criteriaValues, matcherOutput). Every view is valid until the
//   next call into the engine.
// Nothing crosses as an embind std::string or object graph: embind converts strings one
// character at a time in JavaScript, which cost more than the engine's own work.
#include <emscripten/bind.h>
#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "signalkit/criteria.h"
#include "signalkit/issues.h"
#include "signalkit/limits.h"
#include "signalkit/matcher.h"
#include "signalkit/request_validator.h"
#include "signalkit/work_counters.h"

namespace {

using emscripten::typed_memory_view;
using emscripten::val;

// --- the buffers ------------------------------------------------------------------------

std::vector<char> g_input;  // the one input buffer; only grows
std::string g_result;       // the one result text

// Room for `bytes` bytes of arguments, keeping what is already written (the matcher's
// wrapper grows it while encoding). Returns its address, or 0 above kMaxInputBytes (a
// failed allocation would abort the instance: no exceptions).
uintptr_t input_buffer(uint32_t bytes) {
  if (bytes > signalkit::kMaxInputBytes) return 0;
  if (g_input.size() < static_cast<size_t>(bytes) + 1) g_input.resize(static_cast<size_t>(bytes) + 1);
  return reinterpret_cast<uintptr_t>(g_input.data());
}

// Frees the input buffer (the wrapper does so after a call that grew it past
// kKeepScratchBytes); the next input_buffer() allocates it again.
void release_input() { std::vector<char>().swap(g_input); }

// The arguments of one call: consecutive texts at the start of the input buffer.
struct Args {
  std::string_view text[4];
  bool ok = false;
};
Args args(std::initializer_list<uint32_t> lengths) {
  Args a;
  size_t at = 0, k = 0;
  for (uint32_t len : lengths) {
    if (at + len > g_input.size()) return a;
    a.text[k++] = std::string_view(g_input.data() + at, len);
    at += len;
  }
  a.ok = true;
  return a;
}

// Stores a result text; returns its length for the entry point to answer with.
int result(std::string text) {
  g_result = std::move(text);
  return static_cast<int>(g_result.size());
}

val result_text() {
  return val(typed_memory_view(g_result.size(), reinterpret_cast<const uint8_t*>(g_result.data())));
}

// {"maxBodyBytes":…}: the limits the wrapper checks before copying (signalkit/limits.h).
int limits() {
  using namespace signalkit;
  std::string out = "{";
  auto add = [&out](const char* name, uint64_t v) {
    out += (out.size() > 1 ? ",\"" : "\"") + std::string(name) + "\":" + std::to_string(v);
  };
  add("maxBodyBytes", kMaxBodyBytes);
  add("maxDepth", static_cast<uint64_t>(kMaxDepth));
  add("maxContextBytes", kMaxContextBytes);
  add("maxAnswerBytes", kMaxAnswerBytes);
  add("maxBatchBytes", kMaxBatchBytes);
  add("maxBatchCount", kMaxBatchCount);
  add("matcherMaxBatchBytes", kMatcherMaxBatchBytes);
  add("matcherMaxDocumentUnits", kMatcherMaxDocumentUnits);
  add("maxInputBytes", kMaxInputBytes);
  add("keepScratchBytes", kKeepScratchBytes);
  return result(out + "}");
}

// Cumulative work (signalkit/work_counters.h), for tests that prove boundedness.
int work_counters() { return result(signalkit::work_counters_json()); }

// --- request validation (signalkit/request_validator.h) ---------------------------------

signalkit::RequestValidator& validator() {
  static auto* v = new signalkit::RequestValidator();  // lives as long as the instance
  return *v;
}

// Every kind, sorted, as a JSON array.
int kinds() {
  std::string out = "[";
  for (const auto& k : validator().kinds()) {
    if (out.size() > 1) out.push_back(',');
    signalkit::append_json_string(out, k);
  }
  return result(out + "]");
}

// The schema text of kinds()[kind_index] ("" for body-less kinds); -1 for a bad index.
int schema_text(int kind_index) {
  const auto& kinds = validator().kinds();
  if (kind_index < 0 || static_cast<size_t>(kind_index) >= kinds.size()) return -1;
  return result(std::string(validator().schema_text(kinds[static_cast<size_t>(kind_index)])));
}

// Validates kinds()[kind_index]; the input holds the context's bytes, then the body's.
// Returns the issue count (0 = valid; the issues' JSON is the result text), or -1 for a
// bad index or lengths.
int validate(int kind_index, uint32_t context_len, uint32_t body_len) {
  auto& v = validator();
  const auto& kinds = v.kinds();
  Args a = args({context_len, body_len});
  if (kind_index < 0 || static_cast<size_t>(kind_index) >= kinds.size() || !a.ok) return -1;
  auto r = v.validate(kinds[static_cast<size_t>(kind_index)], a.text[1], a.text[0]);
  if (r.issues.empty()) return 0;
  result(signalkit::issues_to_json(r.issues));
  return static_cast<int>(r.issues.size());
}

// --- qualification criteria (signalkit/criteria.h) --------------------------------------

signalkit::CriteriaEvaluator& criteria() {
  static auto* c = new signalkit::CriteriaEvaluator();
  return *c;
}

// The single calls answer with their result's JSON (its length; -1 for bad lengths).
int criteria_check(uint32_t type_len, uint32_t criteria_len, uint32_t options_len) {
  Args a = args({type_len, criteria_len, options_len});
  return a.ok ? result(criteria().check_json(a.text[0], a.text[1], a.text[2])) : -1;
}

int criteria_evaluate(uint32_t template_len, uint32_t answer_len, uint32_t options_len) {
  Args a = args({template_len, answer_len, options_len});
  return a.ok ? result(criteria().evaluate_json(a.text[0], a.text[1], a.text[2])) : -1;
}

int criteria_fit_score(uint32_t items_len, uint32_t options_len) {
  Args a = args({items_len, options_len});
  return a.ok ? result(criteria().fit_score_json(a.text[0], a.text[1])) : -1;
}

// The batches answer 0 with codes()/values() filled, or the length of the error result's
// JSON (template or options unusable), or -1 for bad lengths.
int batch_status(std::string error) { return error.empty() ? 0 : result(std::move(error)); }

// Room for `n` numbers (their address), or 0 above kMaxBatchCount.
uintptr_t criteria_number_buffer(uint32_t n) {
  return reinterpret_cast<uintptr_t>(criteria().number_buffer(n));
}

int criteria_evaluate_numbers(uint32_t template_len, uint32_t options_len, uint32_t n) {
  Args a = args({template_len, options_len});
  return a.ok ? batch_status(criteria().evaluate_numbers(a.text[0], a.text[1], n)) : -1;
}

// The input holds the template, the options, then the answers as NUL-separated UTF-8.
int criteria_evaluate_texts(uint32_t template_len, uint32_t options_len, uint32_t texts_len,
                            uint32_t count) {
  Args a = args({template_len, options_len, texts_len});
  return a.ok ? batch_status(criteria().evaluate_texts(a.text[0], a.text[1], a.text[2], count)) : -1;
}

int criteria_evaluate_answers(uint32_t template_len, uint32_t answers_len, uint32_t options_len) {
  Args a = args({template_len, answers_len, options_len});
  return a.ok ? batch_status(criteria().evaluate_answers(a.text[0], a.text[1], a.text[2])) : -1;
}

val criteria_codes() { return val(typed_memory_view(criteria().count(), criteria().codes())); }
val criteria_values() { return val(typed_memory_view(criteria().count(), criteria().values())); }

// --- keyword matching (signalkit/matcher.h) ----------------------------------------------
// Compiled matchers live in a handle table; JavaScript holds integer handles and closes them.

struct MatcherTable {
  std::vector<std::unique_ptr<signalkit::Matcher>> slots;  // handle = index + 1
  std::vector<uint32_t> free_slots;
  int live = 0;
  std::vector<uint32_t> table;
  std::vector<int32_t> out;
};

MatcherTable& matchers() {
  static auto* t = new MatcherTable();
  return *t;
}

signalkit::Matcher* matcher_at(int handle) {
  auto& t = matchers();
  if (handle <= 0 || static_cast<size_t>(handle) > t.slots.size()) return nullptr;
  return t.slots[static_cast<size_t>(handle) - 1].get();
}

// Compiles the types JSON and options JSON in the input. Returns a handle (> 0; the result
// text is the tables JSON, Matcher::tables_json) or 0 (the result text is the issues' JSON).
int matcher_compile(uint32_t types_len, uint32_t options_len) {
  Args a = args({types_len, options_len});
  if (!a.ok) {
    result("[]");
    return 0;
  }
  signalkit::Issues issues;
  auto m = signalkit::Matcher::compile_json(a.text[0], a.text[1], &issues);
  if (!m) {
    result(signalkit::issues_to_json(issues));
    return 0;
  }
  result(m->tables_json());
  auto& t = matchers();
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

// 1 when the handle was open and is now closed, 0 when it was not open.
int matcher_close(int handle) {
  auto& t = matchers();
  if (!matcher_at(handle)) return 0;
  t.slots[static_cast<size_t>(handle) - 1].reset();
  t.free_slots.push_back(static_cast<uint32_t>(handle - 1));
  --t.live;
  return 1;
}

// Room for the table of `docs` documents (5 uint32 each, Matcher::match_batch); returns its
// address, or 0 above kMatcherMaxBatchDocs (the wrapper sends at most 2^20 per call).
uintptr_t matcher_table(uint32_t docs) {
  if (docs > signalkit::kMatcherMaxBatchDocs) return 0;
  auto& tb = matchers().table;
  size_t need = static_cast<size_t>(docs) * 5;
  if (tb.size() < need) tb.resize(need);
  return reinterpret_cast<uintptr_t>(tb.data());
}

// Matches documents `first` .. `docs` - 1 of the table, whose titles and texts are the
// first `bytes_len` bytes of the input. Returns the index after the last document matched
// (docs, or less when the records reached kMatcherMaxBatchOutputInts: the wrapper reads
// them, then calls again from there), or -1 when the handle is not open or a range lies
// outside the buffers. The records are matcherOutput().
int matcher_match(int handle, uint32_t bytes_len, uint32_t first, uint32_t docs) {
  auto& t = matchers();
  t.out.clear();
  signalkit::Matcher* m = matcher_at(handle);
  if (!m || bytes_len > g_input.size() || static_cast<size_t>(docs) * 5 > t.table.size() ||
      first > docs) {
    return -1;
  }
  ptrdiff_t done = m->match_batch(reinterpret_cast<const uint8_t*>(g_input.data()), bytes_len,
                                  t.table.data(), first, docs, &t.out);
  if (done < 0) t.out.clear();
  return static_cast<int>(done);
}

// The records of the last matcher_match(), as an Int32Array view of engine memory.
val matcher_output() {
  auto& t = matchers();
  return val(typed_memory_view(t.out.size(), t.out.data()));
}

int matcher_live_count() { return matchers().live; }

// Bytes of the heap currently allocated (dlmalloc's in-use total): the leak tests compare it
// before and after compiling, matching and closing.
double matcher_heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(signalkit) {
  using emscripten::function;
  // buffers
  function("inputBuffer", &input_buffer);
  function("releaseInput", &release_input);
  function("resultText", &result_text);
  function("limits", &limits);
  function("workCounters", &work_counters);
  // request validation
  function("kinds", &kinds);
  function("schemaText", &schema_text);
  function("validate", &validate);
  // qualification criteria
  function("criteriaCheck", &criteria_check);
  function("criteriaEvaluate", &criteria_evaluate);
  function("criteriaFitScore", &criteria_fit_score);
  function("criteriaNumberBuffer", &criteria_number_buffer);
  function("criteriaEvaluateNumbers", &criteria_evaluate_numbers);
  function("criteriaEvaluateTexts", &criteria_evaluate_texts);
  function("criteriaEvaluateAnswers", &criteria_evaluate_answers);
  function("criteriaCodes", &criteria_codes);
  function("criteriaValues", &criteria_values);
  // keyword matching
  function("matcherCompile", &matcher_compile);
  function("matcherClose", &matcher_close);
  function("matcherTable", &matcher_table);
  function("matcherMatch", &matcher_match);
  function("matcherOutput", &matcher_output);
  function("matcherLiveCount", &matcher_live_count);
  function("matcherHeapInUse", &matcher_heap_in_use);
}

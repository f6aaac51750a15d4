// The WebAssembly boundary — the only file that includes emscripten headers.
//
// One crossing style for every capability (docs/boundary.md has the why and the numbers):
// - Inputs: JavaScript writes a call's text arguments as UTF-8, back to back, straight
//   into the one input buffer the engine owns (TextEncoder.encodeInto into the heap at the
//   address inputBuffer() returns), and passes their byte lengths. Typed batches go the same
//   way into buffers of their own (criteriaNumberBuffer, matcherTable).
// - Calls: one plain wasm export per operation (SK_EXPORT sk_*, reached as Module._sk_*;
//   js/boundary.js maps them to the names the facade calls); integers in, one number out.
//   No embind: its invokers cost ~0.5 µs a call and ~1 µs to hand back a memory view, more
//   than validating a small body, and its runtime was a third of the glue.
// - Outputs: JSON text lands in the one result buffer, read through sk_result_data() and
//   sk_result_size() and decoded with TextDecoder at once; binary results are addresses
//   and counts the wrapper views in the heap (criteria codes and values, matcher records).
//   Every view is valid until the next call into the engine.
#include <emscripten/emscripten.h>
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

// An entry point: a C-named wasm export the optimiser keeps.
#define SK_EXPORT extern "C" EMSCRIPTEN_KEEPALIVE

// Everything else here is static: the exports are the file's only external names.

// --- the buffers ------------------------------------------------------------------------

static std::vector<char> g_input;  // the one input buffer; only grows
static std::string g_result;       // the one result text

// Room for `bytes` bytes of arguments, keeping what is already written (the matcher's
// wrapper grows it while encoding). Returns its address, or 0 above kMaxInputBytes (a
// failed allocation would abort the instance: no exceptions).
SK_EXPORT uintptr_t sk_input_buffer(uint32_t bytes) {
  if (bytes > signalkit::kMaxInputBytes) return 0;
  if (g_input.size() < static_cast<size_t>(bytes) + 1) g_input.resize(static_cast<size_t>(bytes) + 1);
  return reinterpret_cast<uintptr_t>(g_input.data());
}

// Frees the input buffer (the wrapper does so after a call that grew it past
// kKeepScratchBytes); the next sk_input_buffer() allocates it again.
SK_EXPORT void sk_release_input() { std::vector<char>().swap(g_input); }

// The arguments of one call: consecutive texts at the start of the input buffer.
namespace {
struct Args {
  std::string_view text[4];
  bool ok = false;
};
}  // namespace
static Args args(std::initializer_list<uint32_t> lengths) {
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
static int result(std::string text) {
  g_result = std::move(text);
  return static_cast<int>(g_result.size());
}

SK_EXPORT uintptr_t sk_result_data() { return reinterpret_cast<uintptr_t>(g_result.data()); }
SK_EXPORT uint32_t sk_result_size() { return static_cast<uint32_t>(g_result.size()); }

// {"maxBodyBytes":…}: the limits the wrapper checks before copying (signalkit/limits.h).
SK_EXPORT int sk_limits() {
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
SK_EXPORT int sk_work_counters() { return result(signalkit::work_counters_json()); }

// --- request validation (signalkit/request_validator.h) ---------------------------------

static signalkit::RequestValidator& validator() {
  static auto* v = new signalkit::RequestValidator();  // lives as long as the instance
  return *v;
}

// Every kind, sorted, as a JSON array.
SK_EXPORT int sk_kinds() {
  std::string out = "[";
  for (const auto& k : validator().kinds()) {
    if (out.size() > 1) out.push_back(',');
    signalkit::append_json_string(out, k);
  }
  return result(out + "]");
}

// The schema text of kinds()[kind_index] ("" for body-less kinds); -1 for a bad index.
SK_EXPORT int sk_schema_text(int kind_index) {
  const auto& kinds = validator().kinds();
  if (kind_index < 0 || static_cast<size_t>(kind_index) >= kinds.size()) return -1;
  return result(std::string(validator().schema_text(kinds[static_cast<size_t>(kind_index)])));
}

// Validates kinds()[kind_index]; the input holds the context's bytes, then the body's.
// Returns the issue count (0 = valid; the issues' JSON is the result text), or -1 for a
// bad index or lengths.
SK_EXPORT int sk_validate(int kind_index, uint32_t context_len, uint32_t body_len) {
  auto& v = validator();
  const auto& kinds = v.kinds();
  Args a = args({context_len, body_len});
  if (kind_index < 0 || static_cast<size_t>(kind_index) >= kinds.size() || !a.ok) return -1;
  auto r = v.validate_kind_at(static_cast<size_t>(kind_index), a.text[1], a.text[0]);
  if (r.issues.empty()) return 0;
  result(signalkit::issues_to_json(r.issues));
  return static_cast<int>(r.issues.size());
}

// --- qualification criteria (signalkit/criteria.h) --------------------------------------

static signalkit::CriteriaEvaluator& criteria() {
  static auto* c = new signalkit::CriteriaEvaluator();
  return *c;
}

// The single calls answer with their result's JSON (its length; -1 for bad lengths).
SK_EXPORT int sk_criteria_check(uint32_t type_len, uint32_t criteria_len, uint32_t options_len) {
  Args a = args({type_len, criteria_len, options_len});
  return a.ok ? result(criteria().check_json(a.text[0], a.text[1], a.text[2])) : -1;
}

SK_EXPORT int sk_criteria_evaluate(uint32_t template_len, uint32_t answer_len, uint32_t options_len) {
  Args a = args({template_len, answer_len, options_len});
  return a.ok ? result(criteria().evaluate_json(a.text[0], a.text[1], a.text[2])) : -1;
}

SK_EXPORT int sk_criteria_fit_score(uint32_t items_len, uint32_t options_len) {
  Args a = args({items_len, options_len});
  return a.ok ? result(criteria().fit_score_json(a.text[0], a.text[1])) : -1;
}

// The batches answer 0 with codes()/values() filled, or the length of the error result's
// JSON (template or options unusable), or -1 for bad lengths.
static int batch_status(std::string error) { return error.empty() ? 0 : result(std::move(error)); }

// Room for `n` numbers (their address), or 0 above kMaxBatchCount.
SK_EXPORT uintptr_t sk_criteria_number_buffer(uint32_t n) {
  return reinterpret_cast<uintptr_t>(criteria().number_buffer(n));
}

SK_EXPORT int sk_criteria_evaluate_numbers(uint32_t template_len, uint32_t options_len, uint32_t n) {
  Args a = args({template_len, options_len});
  return a.ok ? batch_status(criteria().evaluate_numbers(a.text[0], a.text[1], n)) : -1;
}

// The input holds the template, the options, then the answers as NUL-separated UTF-8.
SK_EXPORT int sk_criteria_evaluate_texts(uint32_t template_len, uint32_t options_len, uint32_t texts_len,
                            uint32_t count) {
  Args a = args({template_len, options_len, texts_len});
  return a.ok ? batch_status(criteria().evaluate_texts(a.text[0], a.text[1], a.text[2], count)) : -1;
}

SK_EXPORT int sk_criteria_evaluate_answers(uint32_t template_len, uint32_t answers_len, uint32_t options_len) {
  Args a = args({template_len, answers_len, options_len});
  return a.ok ? batch_status(criteria().evaluate_answers(a.text[0], a.text[1], a.text[2])) : -1;
}

// The last batch's results: sk_criteria_count() codes (uint8) and values (float64).
SK_EXPORT uint32_t sk_criteria_count() { return static_cast<uint32_t>(criteria().count()); }
SK_EXPORT uintptr_t sk_criteria_codes() { return reinterpret_cast<uintptr_t>(criteria().codes()); }
SK_EXPORT uintptr_t sk_criteria_values() { return reinterpret_cast<uintptr_t>(criteria().values()); }

// --- compiled criteria (the JS compileCriteria) ------------------------------------------
// A template's criteria compiled once and held by JavaScript as an integer handle, so that
// evaluating an answer sends only the answer; the common results come back as a fixed
// binary record instead of JSON text (docs/boundary.md, "Compiled criteria").

namespace {
// What sk_criteria_run() writes for a result that needs no JSON: int32 fields, then the
// numbers. Strings are addresses and byte lengths of UTF-8 the engine keeps until the next
// call (the Evaluation's own strings, or the static code names). Layout read by
// js/criteria.js (RECORD_*): change both together.
struct EvaluationRecord {
  int32_t qualification;   // 0-4, or -1 for null
  int32_t matched;         // 0 or 1
  int32_t value_kind;      // 0 null, 1 number, 2 false, 3 true
  int32_t range_index;     // matchedRange.index, or -1 for none
  int32_t range_nulls;     // bit 0: rangeStart null, bit 1: rangeEnd null
  uint32_t currency_size;  // 0 when the result has no currency
  uint32_t currency_data;
  uint32_t code_size;      // 0 when the result has no code
  uint32_t code_data;
  uint32_t reason_size;    // 0 when the result has no reason
  uint32_t reason_data;
  int32_t padding;
  double number, range_start, range_end;
};
static_assert(sizeof(EvaluationRecord) == 72, "js/criteria.js reads this layout");

struct CriteriaHandles {
  std::vector<std::unique_ptr<signalkit::CompiledCriteria>> slots;  // handle = index + 1
  std::vector<uint32_t> free_slots;
  int live = 0;
  signalkit::Evaluation last;  // the strings the record points at
  EvaluationRecord record{};
};
}  // namespace

static CriteriaHandles& compiled_criteria() {
  static auto* t = new CriteriaHandles();
  return *t;
}

static const signalkit::CompiledCriteria* compiled_at(int handle) {
  auto& t = compiled_criteria();
  if (handle <= 0 || static_cast<size_t>(handle) > t.slots.size()) return nullptr;
  return t.slots[static_cast<size_t>(handle) - 1].get();
}

// Compiles the template and options texts in the input. Returns a handle (> 0), or 0 with
// the error result's JSON as the result text (what sk_criteria_evaluate gives for them),
// or -1 for bad lengths.
SK_EXPORT int sk_criteria_compile(uint32_t template_len, uint32_t options_len) {
  Args a = args({template_len, options_len});
  if (!a.ok) return -1;
  std::string error;
  auto c = criteria().compile(a.text[0], a.text[1], &error);
  if (!c) {
    result(std::move(error));
    return 0;
  }
  auto& t = compiled_criteria();
  uint32_t slot;
  if (!t.free_slots.empty()) {
    slot = t.free_slots.back();
    t.free_slots.pop_back();
    t.slots[slot] = std::move(c);
  } else {
    slot = static_cast<uint32_t>(t.slots.size());
    t.slots.push_back(std::move(c));
  }
  ++t.live;
  return static_cast<int>(slot + 1);
}

// 1 when the handle was open and is now released, 0 when it was not open.
SK_EXPORT int sk_criteria_release(int handle) {
  auto& t = compiled_criteria();
  if (!compiled_at(handle)) return 0;
  t.slots[static_cast<size_t>(handle) - 1].reset();
  t.free_slots.push_back(static_cast<uint32_t>(handle - 1));
  --t.live;
  return 1;
}

SK_EXPORT int sk_criteria_live_count() { return compiled_criteria().live; }

// The address of the record sk_criteria_run() fills (fixed for the instance's life).
SK_EXPORT uintptr_t sk_criteria_record() { return reinterpret_cast<uintptr_t>(&compiled_criteria().record); }

// Evaluates the answer's JSON text in the input ("" = missing) against a handle. Returns 0
// when the record holds the result; the length of the result's JSON (the result text) for
// the rarer results a record cannot hold (list items, a raw answer, issues); -1 when the
// handle is not open or the length is bad.
SK_EXPORT int sk_criteria_run(int handle, uint32_t answer_len) {
  const signalkit::CompiledCriteria* c = compiled_at(handle);
  Args a = args({answer_len});
  if (!c || !a.ok) return -1;
  auto& t = compiled_criteria();
  using Kind = signalkit::Evaluation::ValueKind;
  t.last = criteria().evaluate_answer(*c, a.text[0]);
  const signalkit::Evaluation& e = t.last;
  if (e.value_kind == Kind::kList || e.value_kind == Kind::kRaw || !e.issues.empty()) {
    return result(signalkit::evaluation_to_json(e));
  }
  auto text = [](const char* s, size_t n, uint32_t* size, uint32_t* data) {
    *size = static_cast<uint32_t>(n);
    *data = static_cast<uint32_t>(reinterpret_cast<uintptr_t>(s));
  };
  EvaluationRecord& r = t.record;
  r.qualification = e.ok() ? static_cast<int32_t>(e.qualification) : -1;
  r.matched = e.matched ? 1 : 0;
  r.value_kind = e.value_kind == Kind::kNumber ? 1 : e.value_kind == Kind::kBoolean ? (e.boolean ? 3 : 2) : 0;
  r.number = e.number;
  r.range_index = e.matched_range;
  r.range_nulls = (e.range_start_null ? 1 : 0) | (e.range_end_null ? 2 : 0);
  r.range_start = e.range_start;
  r.range_end = e.range_end;
  // As the JSON: a currency only with a number value.
  if (e.value_kind == Kind::kNumber) {
    text(e.currency.data(), e.currency.size(), &r.currency_size, &r.currency_data);
  } else {
    r.currency_size = r.currency_data = 0;
  }
  const char* code = signalkit::evaluation_code_name(e.code);
  text(code, std::char_traits<char>::length(code), &r.code_size, &r.code_data);
  text(e.reason.data(), e.reason.size(), &r.reason_size, &r.reason_data);
  return 0;
}

// --- keyword matching (signalkit/matcher.h) ----------------------------------------------
// Compiled matchers live in a handle table; JavaScript holds integer handles and closes them.

namespace {
struct MatcherTable {
  std::vector<std::unique_ptr<signalkit::Matcher>> slots;  // handle = index + 1
  std::vector<uint32_t> free_slots;
  int live = 0;
  std::vector<uint32_t> table;
  std::vector<int32_t> out;
};
}  // namespace

static MatcherTable& matchers() {
  static auto* t = new MatcherTable();
  return *t;
}

static signalkit::Matcher* matcher_at(int handle) {
  auto& t = matchers();
  if (handle <= 0 || static_cast<size_t>(handle) > t.slots.size()) return nullptr;
  return t.slots[static_cast<size_t>(handle) - 1].get();
}

// Compiles the types JSON and options JSON in the input. Returns a handle (> 0; the result
// text is the tables JSON, Matcher::tables_json) or 0 (the result text is the issues' JSON).
SK_EXPORT int sk_matcher_compile(uint32_t types_len, uint32_t options_len) {
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
SK_EXPORT int sk_matcher_close(int handle) {
  auto& t = matchers();
  if (!matcher_at(handle)) return 0;
  t.slots[static_cast<size_t>(handle) - 1].reset();
  t.free_slots.push_back(static_cast<uint32_t>(handle - 1));
  --t.live;
  return 1;
}

// Room for the table of `docs` documents (5 uint32 each, Matcher::match_batch); returns its
// address, or 0 above kMatcherMaxBatchDocs (the wrapper sends at most 2^20 per call).
SK_EXPORT uintptr_t sk_matcher_table(uint32_t docs) {
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
SK_EXPORT int sk_matcher_match(int handle, uint32_t bytes_len, uint32_t first, uint32_t docs) {
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

// The records of the last sk_matcher_match(): sk_matcher_output_size() int32 at this address.
SK_EXPORT uintptr_t sk_matcher_output_data() { return reinterpret_cast<uintptr_t>(matchers().out.data()); }
SK_EXPORT uint32_t sk_matcher_output_size() { return static_cast<uint32_t>(matchers().out.size()); }

SK_EXPORT int sk_matcher_live_count() { return matchers().live; }

// Bytes of the heap currently allocated (dlmalloc's in-use total): the leak tests compare it
// before and after compiling, matching and closing.
SK_EXPORT double sk_matcher_heap_in_use() { return static_cast<double>(mallinfo().uordblks); }

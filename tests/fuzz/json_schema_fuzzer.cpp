// libFuzzer target for signalkit::JsonSchema (compile + validate) on the engine's own
// JSON reader: user schemas (config_schema, outputSchema) are untrusted data.
//
// Input layout: schema text, a NUL byte, instance text. Without a NUL the input is both
// the schema and the instance. Structure-aware growth: when the first byte is 0x01-0x05
// and the second a count, the (small) fuzzed schema and instance are multiplied up to the
// engine's limits (1 MiB of schema, 1 MiB of instance) before compiling: k copies under
// allOf, a chain of k definitions each referring to the next, up to 19 levels of nesting
// (the reader allows 64 JSON levels), k patternProperties copies, and an instance array of
// k copies. libFuzzer's inputs stay small (-max_len) while the engine sees large schemas.
// Beyond "no crash, no sanitizer report, no hang", the API's promises are checked:
// compile returns nullptr exactly when it appended invalid_schema or too_complex issues
// (all with a message and a field under the prefix); validate returns true exactly when it
// appended nothing; every issue has a code and a message and a field under the prefix;
// validating twice gives the same issues (no state leaks between calls); and the work
// counters stay within the meters: compile work within its budget plus one charge,
// evaluation steps within the step limit plus one keyword's charge.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "signalkit/json.h"
#include "signalkit/json_schema.h"
#include "signalkit/limits.h"
#include "signalkit/work_counters.h"

namespace {

constexpr size_t kMaxInput = 4096;
constexpr size_t kMaxGrown = signalkit::kMaxBodyBytes;

[[noreturn]] void fail(const char* what, const signalkit::Issue* i) {
  std::fprintf(stderr, "json_schema_fuzzer: %s", what);
  if (i) std::fprintf(stderr, " (field='%s' code='%s' message='%s')", i->field.c_str(), i->code.c_str(),
                      i->message.c_str());
  std::fprintf(stderr, "\n");
  std::abort();
}

bool under(const std::string& field, const std::string& prefix) {
  if (field.compare(0, prefix.size(), prefix) != 0) return false;
  if (field.size() == prefix.size()) return true;
  char next = field[prefix.size()];
  return next == '.' || next == '[' || next == '<';
}

void check_issues(const signalkit::Issues& issues, const std::string& prefix, const char* what) {
  for (const auto& i : issues) {
    if (i.code.empty() || i.message.empty()) fail(what, &i);
    if (!under(i.field, prefix)) fail("issue field is not under the prefix", &i);
  }
}

bool same(const signalkit::Issues& a, const signalkit::Issues& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].field != b[i].field || a[i].code != b[i].code || a[i].message != b[i].message) return false;
  return true;
}

void run(const signalkit::json::Value& schema_value, const signalkit::json::Value& instance) {
  static const std::string kPrefix = "config";
  signalkit::Issues problems;
  const signalkit::WorkCounters before = signalkit::work_counters();
  auto schema = signalkit::JsonSchema::compile(schema_value, &problems, kPrefix);
  if (signalkit::work_counters().schema_compile_work - before.schema_compile_work > 2 * signalkit::kMaxSchemaCompileWork)
    fail("compile work beyond its budget plus one charge", nullptr);
  if (!schema) {
    if (problems.empty()) fail("compile failed without an issue", nullptr);
    if (problems.size() > signalkit::kMaxSchemaCompileIssues + 1) fail("more compile issues than the cap", nullptr);
    for (const auto& p : problems)
      if (p.code != "invalid_schema" && p.code != "too_complex") fail("compile issue is not invalid_schema or too_complex", &p);
    check_issues(problems, kPrefix, "compile issue without code or message");
    return;
  }
  if (!problems.empty()) fail("compile succeeded but appended issues", &problems[0]);

  signalkit::Issues first, second;
  const uint64_t steps = signalkit::work_counters().schema_steps;
  bool valid = schema->validate(instance, kPrefix, &first);
  if (signalkit::work_counters().schema_steps - steps > 3 * signalkit::kMaxSchemaSteps)
    fail("evaluation steps beyond the meter plus one keyword's charge", nullptr);
  if (valid != first.empty()) fail("validate's verdict disagrees with its issues", first.empty() ? nullptr : &first[0]);
  check_issues(first, kPrefix, "validation issue without code or message");
  for (const auto& i : first)
    if (i.code == "invalid_schema") fail("invalid_schema from validate", &i);
  bool again = schema->validate(instance, kPrefix, &second);
  if (again != valid || !same(first, second)) fail("validate is not repeatable", nullptr);

  // The schema's own text as an instance too: exercises keyword-shaped objects.
  signalkit::Issues self;
  bool self_valid = schema->validate(schema_value, kPrefix, &self);
  if (self_valid != self.empty()) fail("validate's verdict disagrees with its issues (self)", nullptr);
  check_issues(self, kPrefix, "validation issue without code or message (self)");
}

// Multiplies a small schema and instance into large ones (see the file comment).
void grow(uint8_t mode, size_t k, std::string_view schema, std::string_view instance, std::string* big_schema,
          std::string* big_instance) {
  std::string s(schema);
  auto fits = [&](const std::string& out, size_t more) { return out.size() + more < kMaxGrown - 64; };
  switch (mode) {
    case 1:  // {"allOf":[S,S,...]}
      *big_schema = "{\"allOf\":[";
      for (size_t i = 0; i < k && fits(*big_schema, s.size() + 1); ++i) *big_schema += (i ? "," : "") + s;
      *big_schema += "]}";
      break;
    case 2: {  // d_i = {"allOf":[S,{"$ref":"#/definitions/d_{i+1}"}]}, d_k = S
      *big_schema = "{\"$ref\":\"#/definitions/d0\",\"definitions\":{";
      size_t i = 0;
      for (; i < k && fits(*big_schema, s.size() + 64); ++i)
        *big_schema += "\"d" + std::to_string(i) + "\":{\"allOf\":[" + s + ",{\"$ref\":\"#/definitions/d" +
                       std::to_string(i + 1) + "\"}]},";
      *big_schema += "\"d" + std::to_string(i) + "\":" + s + "}}";
      break;
    }
    case 3: {  // k levels of {"anyOf":[S],"properties":{"a":...}} (3 JSON levels each)
      size_t levels = k % 20;
      for (size_t i = 0; i < levels; ++i) *big_schema += "{\"anyOf\":[" + s + "],\"properties\":{\"a\":";
      *big_schema += s;
      for (size_t i = 0; i < levels; ++i) *big_schema += "}}";
      break;
    }
    case 4:  // {"patternProperties":{"p0":S,...}} with the fuzzed schema as every value
      *big_schema = "{\"patternProperties\":{";
      for (size_t i = 0; i < k && fits(*big_schema, s.size() + 16); ++i)
        *big_schema += (i ? ",\"" : "\"") + std::to_string(i) + "[a-z]{0," + std::to_string(i % 1000) + "}\":" + s;
      *big_schema += "}}";
      break;
    default:  // the schema as it is; only the instance grows
      *big_schema = s;
  }
  *big_instance = "[";
  for (size_t i = 0; i < k && fits(*big_instance, instance.size() + 1); ++i)
    *big_instance += (i ? "," : "") + std::string(instance);
  *big_instance += "]";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  uint8_t mode = 0;
  size_t k = 0;
  if (input.size() >= 2 && input[0] >= 1 && input[0] <= 5) {
    mode = static_cast<uint8_t>(input[0]);
    k = static_cast<uint8_t>(input[1]);
    k = k * k * k / 4 + 1;  // 1 .. ~4 million copies, cut at the size limit
    input.remove_prefix(2);
  }
  size_t nul = input.find('\0');
  std::string_view schema_text = nul == std::string_view::npos ? input : input.substr(0, nul);
  std::string_view instance_text = nul == std::string_view::npos ? input : input.substr(nul + 1);
  std::string big_schema, big_instance;
  if (mode != 0) {
    grow(mode, k, schema_text, instance_text, &big_schema, &big_instance);
    schema_text = big_schema;
    instance_text = big_instance;
  }

  signalkit::json::Document schema_doc, instance_doc;
  if (!schema_doc.parse(schema_text)) {
    if (schema_doc.error().code == signalkit::json::ParseErrorCode::kNone || schema_doc.error().message.empty()) fail("parse error without code or message", nullptr);
    return 0;
  }
  if (!instance_doc.parse(instance_text)) {
    if (instance_doc.error().code == signalkit::json::ParseErrorCode::kNone || instance_doc.error().message.empty())
      fail("parse error without code or message", nullptr);
    run(schema_doc.root(), schema_doc.root());
    return 0;
  }
  run(schema_doc.root(), instance_doc.root());
  return 0;
}

// libFuzzer target for signalkit::JsonSchema (compile + validate) on the engine's own
// JSON reader: user schemas (config_schema, outputSchema) are untrusted data.
//
// Input layout: schema text, a NUL byte, instance text. Without a NUL the input is both
// the schema and the instance. Inputs over 4 KiB are skipped: hostile schemas are small
// (the metering tests cover exponential graphs) and short inputs keep the run fast.
// Beyond "no crash, no sanitizer report, no hang", the API's promises are checked:
// compile returns nullptr exactly when it appended invalid_schema issues (all with a
// message and a field under the prefix); validate returns true exactly when it appended
// nothing; every issue has a code and a message and a field under the prefix; validating
// twice gives the same issues (no state leaks between calls).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "signalkit/json.h"
#include "signalkit/json_schema.h"

namespace {

constexpr size_t kMaxInput = 4096;

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
  auto schema = signalkit::JsonSchema::compile(schema_value, &problems, kPrefix);
  if (!schema) {
    if (problems.empty()) fail("compile failed without an issue", nullptr);
    for (const auto& p : problems)
      if (p.code != "invalid_schema") fail("compile issue is not invalid_schema", &p);
    check_issues(problems, kPrefix, "compile issue without code or message");
    return;
  }
  if (!problems.empty()) fail("compile succeeded but appended issues", &problems[0]);

  signalkit::Issues first, second;
  bool valid = schema->validate(instance, kPrefix, &first);
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > kMaxInput) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t nul = input.find('\0');
  std::string_view schema_text = nul == std::string_view::npos ? input : input.substr(0, nul);
  std::string_view instance_text = nul == std::string_view::npos ? input : input.substr(nul + 1);

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

// libFuzzer target over (criteria, answer): check, compile, evaluate one answer, the text
// and numeric batches, the answer parsers and the fit score must never crash, hang or trip
// a sanitizer, and must agree with each other where they overlap (compiled criteria with
// evaluate_json too).
//
// Input: <selector byte><criteria JSON>\0<answer JSON or text>. The selector picks the
// answer type (bits 0-2) and a few options (bits 3-4); with bit 7 set the rest is a recipe
// instead (generate.h) that builds large criteria (thousands of ranges or choices, up to
// the 1 MiB template limit) and a large answer (a list of many items, up to and past the
// 1 MiB answer limit).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "generate.h"
#include "signalkit/criteria.h"
#include "signalkit/json.h"

namespace {
constexpr size_t kMaxInput = 1 << 16;
constexpr const char* kTypes[] = {"number", "percentage", "currency", "boolean",
                                  "list", "open_text", "json_schema", "url"};
constexpr const char* kOptions[] = {"", R"({"lastRangeInclusive":false})",
                                    R"({"allowOverlaps":true,"unmatched":"poor"})",
                                    R"({"listCombine":"best","matchLabels":false,"parseText":false})"};

fuzzgen::Reach g_reach{"criteria_fuzzer"};

void print_reach() {
  const auto& r = g_reach;
  std::fprintf(stderr, "%s: generated %llu inputs, the largest %zu bytes (%llu past the 1 MiB limit)\n", r.name,
               static_cast<unsigned long long>(r.generated), r.largest,
               static_cast<unsigned long long>(r.over_size));
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > kMaxInput) return 0;
  static const int registered = std::atexit(print_reach);
  (void)registered;
  static signalkit::CriteriaEvaluator ev;
  uint8_t sel = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string generated_criteria, generated_answer;
  if (sel & 0x80) {
    fuzzgen::Recipe recipe(data + 1, size - 1);
    fuzzgen::JsonBuilder build(recipe, signalkit::kMaxAnswerBytes + 4096);
    generated_criteria = build.criteria();
    generated_answer = build.answer();
    g_reach.saw(std::max(generated_criteria.size(), generated_answer.size()), 0, signalkit::kMaxAnswerBytes, 64);
  }
  size_t split = rest.find('\0');
  std::string_view criteria = sel & 0x80 ? std::string_view(generated_criteria) : rest.substr(0, split);
  std::string_view answer = sel & 0x80 ? std::string_view(generated_answer)
                            : split == std::string_view::npos ? std::string_view() : rest.substr(split + 1);
  const char* type = kTypes[sel & 7];
  const char* options = kOptions[(sel >> 3) & 3];

  ev.check_json(type, criteria, options);

  std::string tmpl = std::string("{\"answerType\":\"") + type + "\",\"weight\":\"important\",";
  tmpl += std::string(type) == "json_schema" ? "\"outputSchema\":" : "\"qualificationCriteria\":";
  tmpl.append(criteria.empty() ? std::string_view("{}") : criteria);
  tmpl += '}';
  std::string single = ev.evaluate_json(tmpl, answer, options);
  signalkit::json::Document out;
  if (!out.parse(single, signalkit::kMaxAnswerBytes * 2)) std::abort();  // results are JSON

  // Compiled criteria (the JS compileCriteria) give the same result, or the same error.
  {
    std::string error;
    auto compiled = ev.compile(tmpl, options, &error);
    const std::string again = compiled ? signalkit::evaluation_to_json(ev.evaluate_answer(*compiled, answer)) : error;
    if (again != single) std::abort();
  }

  // The batches over [answer] must give the code of the single evaluation (within the one
  // answer limit, which a batch does not have).
  signalkit::json::Value q = out.root().find("qualification");
  auto agrees = [&](uint8_t code) {
    if (q.is_string()) {
      signalkit::Qualification qq;
      return signalkit::parse_qualification(q.as_string(), &qq) && (code & 7) == static_cast<uint8_t>(qq);
    }
    return code == signalkit::kCodeError || code == signalkit::kCodeNoAnswer;
  };
  std::string batch = "[";
  batch.append(answer.empty() ? std::string_view("null") : answer);
  batch += ']';
  const bool fits = answer.size() <= signalkit::kMaxAnswerBytes;
  if (fits && ev.evaluate_answers(tmpl, batch, options).empty() && ev.count() == 1 && !agrees(ev.codes()[0]))
    std::abort();
  // A text answer (a JSON string) through the NUL-separated text batch, which reads list
  // answers without the JSON round trip.
  signalkit::json::Document text_doc;
  if (fits && text_doc.parse(answer, signalkit::kMaxAnswerBytes) && text_doc.root().is_string()) {
    const std::string text(text_doc.root().as_string());
    if (text.find('\0') == std::string::npos && ev.evaluate_texts(tmpl, options, text, 1).empty() &&
        ev.count() == 1 && !agrees(ev.codes()[0]))
      std::abort();
  }

  // Numeric batch over whatever numbers the answer text parses to.
  double x = 0;
  std::string currency, reason;
  for (auto kind : {signalkit::NumberKind::kNumber, signalkit::NumberKind::kPercentage,
                    signalkit::NumberKind::kCurrency}) {
    if (signalkit::parse_number_answer(answer, kind, &x, &currency, &reason) && !std::isfinite(x))
      std::abort();  // parsed numbers are finite
  }
  double* buf = ev.number_buffer(4);
  buf[0] = x;
  buf[1] = std::nan("");
  buf[2] = -x;
  buf[3] = x * 1e300;
  ev.evaluate_numbers(tmpl, options, 4);
  bool b;
  signalkit::parse_boolean_answer(answer, &b, &reason);

  // Fit score with this template twice (once unanswered).
  std::string items = "[{\"template\":" + tmpl + ",\"answer\":";
  items.append(answer.empty() ? std::string_view("null") : answer);
  items += "},{\"template\":" + tmpl + "}]";
  std::string fit = ev.fit_score_json(items, options);
  if (!out.parse(fit, signalkit::kMaxAnswerBytes * 2)) std::abort();
  return 0;
}

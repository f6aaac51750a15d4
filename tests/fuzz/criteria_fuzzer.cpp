// libFuzzer target over (criteria, answer): check, compile, evaluate one answer, the text
// and numeric batches, the answer parsers and the fit score must never crash, hang or trip
// a sanitizer, and must agree with each other where they overlap.
//
// Input: <selector byte><criteria JSON>\0<answer JSON or text>. The selector picks the
// answer type and a few options.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "signalkit/criteria.h"
#include "signalkit/json.h"

namespace {
constexpr size_t kMaxInput = 1 << 16;
constexpr const char* kTypes[] = {"number", "percentage", "currency", "boolean",
                                  "list", "open_text", "json_schema", "url"};
constexpr const char* kOptions[] = {"", R"({"lastRangeInclusive":false})",
                                    R"({"allowOverlaps":true,"unmatched":"poor"})",
                                    R"({"listCombine":"best","matchLabels":false,"parseText":false})"};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1 || size > kMaxInput) return 0;
  static signalkit::CriteriaEvaluator ev;
  uint8_t sel = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  size_t split = rest.find('\0');
  std::string_view criteria = rest.substr(0, split);
  std::string_view answer = split == std::string_view::npos ? std::string_view() : rest.substr(split + 1);
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

  // The text batch over [answer] must give the same code as the single evaluation.
  std::string batch = "[";
  batch.append(answer.empty() ? std::string_view("null") : answer);
  batch += ']';
  if (ev.evaluate_answers(tmpl, batch, options).empty() && ev.count() == 1) {
    signalkit::json::Value q = out.root().find("qualification");
    uint8_t code = ev.codes()[0];
    if (q.is_string()) {
      signalkit::Qualification qq;
      if (!signalkit::parse_qualification(q.as_string(), &qq)) std::abort();
      if ((code & 7) != static_cast<uint8_t>(qq)) std::abort();
    } else if (code != signalkit::kCodeError && code != signalkit::kCodeNoAnswer) {
      std::abort();
    }
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

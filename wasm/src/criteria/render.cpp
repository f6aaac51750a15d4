// Rendering an Evaluation as the JS result object's JSON.
#include <string>

#include "common/text.h"
#include "signalkit/criteria.h"

namespace signalkit {

std::string evaluation_to_json(const Evaluation& e) {
  std::string out = "{\"qualification\":";
  if (e.ok()) {
    out += '"';
    out += qualification_name(e.qualification);
    out += '"';
  } else {
    out += "null";
  }
  out += ",\"matched\":";
  out += e.matched ? "true" : "false";
  out += ",\"value\":";
  switch (e.value_kind) {
    case Evaluation::ValueKind::kNone: out += "null"; break;
    case Evaluation::ValueKind::kNumber: append_json_number(out, e.number); break;
    case Evaluation::ValueKind::kBoolean: out += e.boolean ? "true" : "false"; break;
    case Evaluation::ValueKind::kList:
      out += '[';
      for (size_t i = 0; i < e.items.size(); ++i) {
        if (i) out += ',';
        append_json_string(out, e.items[i]);
      }
      out += ']';
      break;
    case Evaluation::ValueKind::kRaw: out.append(e.raw.data(), e.raw.size()); break;
  }
  if (e.value_kind == Evaluation::ValueKind::kNumber && !e.currency.empty()) {
    out += ",\"currency\":";
    append_json_string(out, e.currency);
  }
  if (e.matched_range >= 0) {
    out += ",\"matchedRange\":{\"index\":" + std::to_string(e.matched_range) + ",\"rangeStart\":";
    if (e.range_start_null) out += "null"; else append_json_number(out, e.range_start);
    out += ",\"rangeEnd\":";
    if (e.range_end_null) out += "null"; else append_json_number(out, e.range_end);
    out += '}';
  }
  if (e.value_kind == Evaluation::ValueKind::kList && e.ok()) {
    out += ",\"matchedChoices\":[";
    for (size_t i = 0; i < e.matched_choices.size(); ++i) {
      if (i) out += ',';
      append_json_string(out, e.matched_choices[i]);
    }
    out += ']';
  }
  if (!e.ok()) {
    out += ",\"code\":";
    append_json_string(out, evaluation_code_name(e.code));
  }
  if (!e.reason.empty()) {
    out += ",\"reason\":";
    append_json_string(out, e.reason);
  }
  if (!e.issues.empty()) {
    out += ",\"issues\":";
    out += issues_to_json(e.issues);
  }
  out += '}';
  return out;
}

}  // namespace signalkit

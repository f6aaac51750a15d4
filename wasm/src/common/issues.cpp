#include "signalkit/issues.h"

#include "common/utf8.h"

namespace signalkit {

void append_json_string(std::string& out, const std::string& s) {
  static const char* kHex = "0123456789abcdef";
  out.push_back('"');
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
  while (p < end) {
    // Printable ASCII other than '"' and '\\' is copied a run at a time (one append, not a
    // push_back per byte: results are mostly such text).
    const unsigned char* run = p;
    while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') ++p;
    if (p > run) out.append(reinterpret_cast<const char*>(run), static_cast<size_t>(p - run));
    if (p == end) break;
    unsigned char c = *p;
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20) {
            out += "\\u00";
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 15]);
          } else {
            out.push_back(static_cast<char>(c));
          }
      }
      ++p;
      continue;
    }
    // Copy a valid multi-byte sequence; replace anything else with U+FFFD so the output
    // is always valid UTF-8 (messages can quote bytes from hostile input).
    if (size_t n = utf8::valid_length(p, end)) {
      out.append(reinterpret_cast<const char*>(p), n);
      p += n;
    } else {
      out += "\xEF\xBF\xBD";
      ++p;
    }
  }
  out.push_back('"');
}

std::string issues_to_json(const Issues& issues) {
  std::string out = "[";
  for (size_t i = 0; i < issues.size(); ++i) {
    if (i) out.push_back(',');
    out += "{\"field\":";
    append_json_string(out, issues[i].field);
    out += ",\"code\":";
    append_json_string(out, issues[i].code);
    out += ",\"message\":";
    append_json_string(out, issues[i].message);
    out.push_back('}');
  }
  out.push_back(']');
  return out;
}

}  // namespace signalkit

#include "signalkit/issues.h"

namespace signalkit {

void append_json_string(std::string& out, const std::string& s) {
  static const char* kHex = "0123456789abcdef";
  out.push_back('"');
  const unsigned char* p = reinterpret_cast<const unsigned char*>(s.data());
  const unsigned char* end = p + s.size();
  while (p < end) {
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
    size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    bool ok = n > 0 && static_cast<size_t>(end - p) >= n;
    uint32_t cp = 0;
    if (ok) {
      cp = c & (0x3F >> (n - 1));
      for (size_t k = 1; k < n; ++k) {
        if ((p[k] & 0xC0) != 0x80) { ok = false; break; }
        cp = (cp << 6) | (p[k] & 0x3F);
      }
    }
    if (ok && ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
               (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))))
      ok = false;
    if (ok) {
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

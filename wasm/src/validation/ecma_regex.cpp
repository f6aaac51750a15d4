#include "validation/ecma_regex.h"

#include <cstdint>
#include <cstdio>

#include "common/whitespace.h"

namespace signalkit::schema_internal {
namespace {

// Reads an ECMAScript \uXXXX (a surrogate pair as one code point) or \u{X...} escape
// at src[i] == '\\'; returns its length in bytes, or 0.
size_t ecma_u_escape(std::string_view src, size_t i, uint32_t* cp) {
  auto hex4 = [&](size_t at, uint32_t* out) {
    if (at + 6 > src.size() || src[at] != '\\' || src[at + 1] != 'u') return false;
    uint32_t v = 0;
    for (size_t k = at + 2; k < at + 6; ++k) {
      char c = src[k];
      int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (h < 0) return false;
      v = v << 4 | static_cast<uint32_t>(h);
    }
    *out = v;
    return true;
  };
  if (i + 2 < src.size() && src[i + 2] == '{') {
    size_t close = src.find('}', i + 3);
    if (close == std::string_view::npos || close == i + 3 || close - (i + 3) > 6) return 0;
    uint32_t v = 0;
    for (size_t k = i + 3; k < close; ++k) {
      char c = src[k];
      int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (h < 0) return 0;
      v = v << 4 | static_cast<uint32_t>(h);
    }
    if (v > 0x10FFFF) return 0;
    *cp = v;
    return close + 1 - i;
  }
  uint32_t hi, lo;
  if (!hex4(i, &hi)) return 0;
  if (hi >= 0xD800 && hi <= 0xDBFF && hex4(i + 6, &lo) && lo >= 0xDC00 && lo <= 0xDFFF) {
    *cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    return 12;
  }
  *cp = hi;
  return 6;
}

// ECMAScript's \s as the body of an RE2 class (RE2's \s is only [\t\n\f\r ]), from the
// one white-space table: "\t\n\x0B\f\r\x20\x{A0}\x{1680}\x{2000}-\x{200A}...".
const std::string& ecma_space_class() {
  static const std::string body = [] {
    static const char* const kAscii[] = {"\\t", "\\n", "\\x0B", "\\f", "\\r"};  // U+0009–U+000D
    std::string s;
    char buf[32];
    for (const auto& r : whitespace::kRanges) {
      if (!r.ecma) continue;
      for (uint32_t cp = r.first; cp <= r.last && cp < 0x80; ++cp)
        s += cp >= 0x09 && cp <= 0x0D ? std::string(kAscii[cp - 0x09]) : "\\x20";
      if (r.first < 0x80) continue;
      if (r.first == r.last) std::snprintf(buf, sizeof buf, "\\x{%X}", static_cast<unsigned>(r.first));
      else std::snprintf(buf, sizeof buf, "\\x{%X}-\\x{%X}", static_cast<unsigned>(r.first), static_cast<unsigned>(r.last));
      s += buf;
    }
    return s;
  }();
  return body;
}

}  // namespace

// JSON Schema patterns are ECMAScript regexes. RE2 lacks three common spellings of things
// it does support: \uXXXX and \u{X...} (RE2: \x{X...}) and (?<name>...) (RE2: (?P<name>...)),
// and two classes mean more in ECMAScript: \s/\S (Unicode spaces) and `.` (which excludes
// \r, U+2028 and U+2029 too). Those are rewritten; \S inside [...] stays RE2's ASCII one.
// Everything else is passed through; what RE2 cannot do (lookaround, backreferences)
// still fails to compile.
std::string ecma_to_re2(std::string_view src) {
  std::string out;
  out.reserve(src.size());
  bool in_class = false;
  for (size_t i = 0; i < src.size(); ++i) {
    char c = src[i];
    if (c == '\\' && i + 1 < src.size()) {
      uint32_t cp;
      size_t len = src[i + 1] == 'u' ? ecma_u_escape(src, i, &cp) : 0;
      if (len > 0) {
        char buf[16];
        std::snprintf(buf, sizeof buf, "\\x{%X}", static_cast<unsigned>(cp));
        out += buf;
        i += len - 1;
      } else if (src[i + 1] == 's') {
        out += in_class ? ecma_space_class() : "[" + ecma_space_class() + "]";
        ++i;
      } else if (src[i + 1] == 'S' && !in_class) {
        out += "[^" + ecma_space_class() + "]";
        ++i;
      } else {
        out.push_back(c);
        out.push_back(src[++i]);
      }
      continue;
    }
    if (c == '[') in_class = true;
    else if (c == ']') in_class = false;
    if (!in_class && c == '(' && src.substr(i, 3) == "(?<" && i + 3 < src.size() && src[i + 3] != '=' &&
        src[i + 3] != '!') {
      out += "(?P<";
      i += 2;
      continue;
    }
    if (!in_class && c == '.') {
      out += "[^\\n\\r\\x{2028}\\x{2029}]";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::unique_ptr<RE2> compile_regex(std::string_view ecma_src, std::string* error) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_encoding(RE2::Options::EncodingUTF8);
  const std::string src = ecma_to_re2(ecma_src);
  auto re = std::make_unique<RE2>(re2::StringPiece(src.data(), src.size()), o);
  if (!re->ok()) {
    *error = re->error();
    return nullptr;
  }
  return re;
}

}  // namespace signalkit::schema_internal

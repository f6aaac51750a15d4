#include "validation/formats.h"

#include <cstdint>
#include <string>
#include <vector>

#include "common/utf8.h"
#include "validation/ecma_regex.h"
#include "validation/idna.h"
#include "validation/ids.h"

namespace signalkit::schema_internal {
namespace {

// --- dates and times (RFC 3339 §5.6) ---------------------------------------------------

bool digits(std::string_view s, size_t at, size_t n) {
  if (at + n > s.size()) return false;
  for (size_t i = 0; i < n; ++i)
    if (s[at + i] < '0' || s[at + i] > '9') return false;
  return true;
}
int num(std::string_view s, size_t at, size_t n) {
  int v = 0;
  for (size_t i = 0; i < n; ++i) v = v * 10 + (s[at + i] - '0');
  return v;
}
bool valid_date(std::string_view s) {
  if (s.size() != 10 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' || !digits(s, 8, 2))
    return false;
  int y = num(s, 0, 4), m = num(s, 5, 2), d = num(s, 8, 2);
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > kDays[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}
// full-time; a leap second (:60) only at 23:59 UTC, whatever the offset.
bool valid_time(std::string_view s) {
  if (s.size() < 9 || !digits(s, 0, 2) || s[2] != ':' || !digits(s, 3, 2) || s[5] != ':' || !digits(s, 6, 2))
    return false;
  int h = num(s, 0, 2), m = num(s, 3, 2), sec = num(s, 6, 2);
  if (h > 23 || m > 59 || sec > 60) return false;
  size_t i = 8;
  if (s[i] == '.') {
    size_t start = ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  if (i >= s.size()) return false;  // RFC 3339 requires an offset
  int offset = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    if (i + 1 != s.size()) return false;
  } else {
    if ((s[i] != '+' && s[i] != '-') || s.size() != i + 6 || !digits(s, i + 1, 2) || s[i + 3] != ':' ||
        !digits(s, i + 4, 2))
      return false;
    int oh = num(s, i + 1, 2), om = num(s, i + 4, 2);
    if (oh > 23 || om > 59) return false;
    offset = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
  }
  if (sec == 60) {
    int utc = ((h * 60 + m - offset) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59) return false;
  }
  return true;
}
bool valid_date_time(std::string_view s) {
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't')) return false;
  return valid_date(s.substr(0, 10)) && valid_time(s.substr(11));
}

// --- IP addresses (RFC 2673 §3.2 dotted quad, RFC 4291 §2.2) ------------------------------

bool is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
bool is_hex(uint32_t c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool is_alpha(uint32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool valid_ipv4(std::string_view s) {
  int parts = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    while (i < s.size() && is_digit(static_cast<uint8_t>(s[i])) && i - start < 4) ++i;
    size_t len = i - start;
    if (len == 0 || len > 3 || (len > 1 && s[start] == '0') || num(s, start, len) > 255) return false;
    if (++parts == 4) return i == s.size();
    if (i >= s.size() || s[i] != '.') return false;
    ++i;
  }
}

bool valid_ipv6(std::string_view s) {
  int groups = 0;
  bool compressed = false;
  size_t i = 0;
  if (s.substr(0, 2) == "::") {
    compressed = true;
    i = 2;
    if (i == s.size()) return true;
  } else if (!s.empty() && s[0] == ':') {
    return false;
  }
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && is_hex(static_cast<uint8_t>(s[i]))) ++i;
    if (i < s.size() && s[i] == '.') {  // the last 32 bits as a dotted quad
      if (!valid_ipv4(s.substr(start))) return false;
      groups += 2;
      i = s.size();
      break;
    }
    size_t len = i - start;
    if (len == 0 || len > 4) return false;
    ++groups;
    if (i == s.size()) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < s.size() && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == s.size()) break;
    } else if (i == s.size()) {
      return false;  // a trailing single colon
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

// --- URIs and IRIs (RFC 3986, RFC 3987) -------------------------------------------------

bool unreserved(uint32_t c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
bool sub_delim(uint32_t c) {
  return c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' || c == ',' ||
         c == ';' || c == '=';
}
bool ucschar(uint32_t c) {
  if ((c >= 0xA0 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFEF)) return true;
  if (c >= 0x10000 && c <= 0xEFFFD) return (c & 0xFFFF) <= 0xFFFD && !(c >= 0xE0000 && c < 0xE1000);
  return false;
}
bool iprivate(uint32_t c) {
  return (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xF0000 && c <= 0xFFFFD) || (c >= 0x100000 && c <= 0x10FFFD);
}

class UriChecker {
 public:
  UriChecker(std::string_view s, bool iri) : iri_(iri) {
    for (size_t i = 0; i < s.size();) cps_.push_back(utf8::decode(s, i));
  }

  bool check(bool reference) {
    size_t scheme_end = 0;
    bool has_scheme = false;
    if (!cps_.empty() && is_alpha(cps_[0])) {
      size_t i = 1;
      while (i < cps_.size() && (is_alpha(cps_[i]) || is_digit(cps_[i]) || cps_[i] == '+' || cps_[i] == '-' || cps_[i] == '.')) ++i;
      if (i < cps_.size() && cps_[i] == ':') {
        has_scheme = true;
        scheme_end = i + 1;
      }
    }
    if (!has_scheme && !reference) return false;
    pos_ = scheme_end;
    if (at("//")) {
      pos_ += 2;
      if (!authority()) return false;
      if (!path()) return false;
    } else if (!has_scheme) {
      // path-noscheme: no colon before the first slash.
      for (size_t i = pos_; i < cps_.size() && cps_[i] != '/' && cps_[i] != '?' && cps_[i] != '#'; ++i)
        if (cps_[i] == ':') return false;
      if (!path()) return false;
    } else if (!path()) {
      return false;
    }
    if (pos_ < cps_.size() && cps_[pos_] == '?') {
      ++pos_;
      if (!rest(true)) return false;
    }
    if (pos_ < cps_.size() && cps_[pos_] == '#') {
      ++pos_;
      if (!rest(false)) return false;
    }
    return pos_ == cps_.size();
  }

 private:
  bool at(const char* lit) const {
    size_t k = 0;
    for (; lit[k]; ++k)
      if (pos_ + k >= cps_.size() || cps_[pos_ + k] != static_cast<uint8_t>(lit[k])) return false;
    return true;
  }
  // pct-encoded at pos_ (advances), or false.
  bool pct() {
    if (pos_ + 2 < cps_.size() && cps_[pos_] == '%' && is_hex(cps_[pos_ + 1]) && is_hex(cps_[pos_ + 2])) {
      pos_ += 3;
      return true;
    }
    return false;
  }
  bool iunreserved(uint32_t c) const { return unreserved(c) || (iri_ && ucschar(c)); }
  // pchar (without pct), plus extra characters.
  bool plain(uint32_t c, const char* extra) const {
    if (iunreserved(c) || sub_delim(c)) return true;
    for (const char* e = extra; *e; ++e)
      if (c == static_cast<uint8_t>(*e)) return true;
    return false;
  }
  // Characters allowed by `extra` (plus iunreserved, sub-delims, pct-encoded) up to the
  // first of `stops` or `end`.
  bool span(const char* extra, const char* stops, size_t end, bool private_ok = false) {
    while (pos_ < end) {
      uint32_t c = cps_[pos_];
      for (const char* t = stops; *t; ++t)
        if (c == static_cast<uint8_t>(*t)) return true;
      if (c == '%') {
        if (!pct()) return false;
        continue;
      }
      if (!plain(c, extra) && !(private_ok && iri_ && iprivate(c))) return false;
      ++pos_;
    }
    return true;
  }

  bool authority() {
    size_t end = pos_;
    while (end < cps_.size() && cps_[end] != '/' && cps_[end] != '?' && cps_[end] != '#') ++end;
    size_t at_sign = pos_;
    while (at_sign < end && cps_[at_sign] != '@') ++at_sign;
    if (at_sign < end) {  // userinfo
      if (!span(":", "", at_sign) || pos_ != at_sign) return false;
      pos_ = at_sign + 1;
    }
    // host
    if (pos_ < end && cps_[pos_] == '[') {
      size_t close = pos_;
      while (close < end && cps_[close] != ']') ++close;
      if (close >= end) return false;
      std::string literal;
      for (size_t k = pos_ + 1; k < close; ++k) {
        if (cps_[k] >= 0x80) return false;
        literal.push_back(static_cast<char>(cps_[k]));
      }
      if (!valid_ipv6(literal) && !ipvfuture(literal)) return false;
      pos_ = close + 1;
    } else {
      while (pos_ < end && cps_[pos_] != ':') {
        if (cps_[pos_] == '%') {
          if (!pct()) return false;
          continue;
        }
        if (!iunreserved(cps_[pos_]) && !sub_delim(cps_[pos_])) return false;
        ++pos_;
      }
    }
    if (pos_ < end && cps_[pos_] == ':') {
      ++pos_;
      while (pos_ < end)
        if (!is_digit(cps_[pos_++])) return false;
    }
    return pos_ == end;
  }

  static bool ipvfuture(const std::string& s) {
    if (s.size() < 4 || (s[0] != 'v' && s[0] != 'V')) return false;
    size_t i = 1;
    while (i < s.size() && is_hex(static_cast<uint8_t>(s[i]))) ++i;
    if (i == 1 || i >= s.size() || s[i] != '.' || i + 1 >= s.size()) return false;
    for (++i; i < s.size(); ++i) {
      uint8_t c = static_cast<uint8_t>(s[i]);
      if (!unreserved(c) && !sub_delim(c) && c != ':') return false;
    }
    return true;
  }

  bool path() { return span(":@/", "?#", cps_.size()); }
  bool rest(bool query) { return span(":@/?", query ? "#" : "", cps_.size(), query); }

  bool iri_;
  std::vector<uint32_t> cps_;
  size_t pos_ = 0;
};

bool valid_uri(std::string_view s, bool iri, bool reference) { return UriChecker(s, iri).check(reference); }

// --- URI templates (RFC 6570 §2) --------------------------------------------------------

bool valid_uri_template(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    if (c == '{') {
      size_t close = s.find('}', i);
      if (close == std::string_view::npos) return false;
      std::string_view e = s.substr(i + 1, close - i - 1);
      i = close + 1;
      size_t k = 0;
      if (!e.empty() && std::string_view("+#./;?&").find(e[0]) != std::string_view::npos) ++k;
      // variable-list = varspec *( "," varspec )
      while (true) {
        size_t start = k;
        bool dot_ok = false;
        while (k < e.size()) {
          char v = e[k];
          if (is_alpha(static_cast<uint8_t>(v)) || is_digit(static_cast<uint8_t>(v)) || v == '_') {
            ++k;
            dot_ok = true;
          } else if (v == '%' && k + 2 < e.size() && is_hex(static_cast<uint8_t>(e[k + 1])) &&
                     is_hex(static_cast<uint8_t>(e[k + 2]))) {
            k += 3;
            dot_ok = true;
          } else if (v == '.' && dot_ok && k > start) {
            ++k;
            dot_ok = false;
          } else {
            break;
          }
        }
        if (k == start || e[k - 1] == '.') return false;
        if (k < e.size() && e[k] == '*') {
          ++k;
        } else if (k < e.size() && e[k] == ':') {
          size_t d = ++k;
          while (k < e.size() && is_digit(static_cast<uint8_t>(e[k])) && k - d < 5) ++k;
          if (k == d || k - d > 4 || e[d] == '0') return false;
        }
        if (k == e.size()) break;
        if (e[k] != ',') return false;
        ++k;
      }
      continue;
    }
    if (c == '%') {
      if (i + 2 >= s.size() || !is_hex(static_cast<uint8_t>(s[i + 1])) || !is_hex(static_cast<uint8_t>(s[i + 2]))) return false;
      i += 3;
      continue;
    }
    uint32_t cp = utf8::decode(s, i);
    if (cp <= 0x20 || cp == 0x7F || cp == '"' || cp == '<' || cp == '>' || cp == '\\' || cp == '^' || cp == '`' ||
        cp == '|' || cp == '}')
      return false;
    if (cp >= 0x80 && !ucschar(cp) && !iprivate(cp)) return false;
  }
  return true;
}

// --- JSON pointers (RFC 6901, draft-handrews-relative-json-pointer-01) ---------------------

bool valid_json_pointer(std::string_view s) {
  if (!s.empty() && s[0] != '/') return false;
  for (size_t i = 0; i < s.size(); ++i)
    if (s[i] == '~' && (i + 1 >= s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
  return true;
}

bool valid_relative_json_pointer(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
  if (i == 0 || (i > 1 && s[0] == '0')) return false;
  std::string_view rest = s.substr(i);
  return rest == "#" || valid_json_pointer(rest);
}

// --- e-mail addresses (RFC 5321 §4.1.2, RFC 6531 §3.3 for idn-email) -----------------------

bool atext(uint32_t c, bool idn) {
  if (is_alpha(c) || is_digit(c)) return true;
  if (c >= 0x80) return idn;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(static_cast<char>(c)) != std::string_view::npos;
}

bool valid_email(std::string_view s, bool idn) {
  size_t i = 0;
  if (!s.empty() && s[0] == '"') {  // Quoted-string
    ++i;
    while (true) {
      if (i >= s.size()) return false;
      if (s[i] == '"') break;
      if (s[i] == '\\') {
        if (i + 1 >= s.size() || s[i + 1] < 32 || s[i + 1] > 126) return false;
        i += 2;
        continue;
      }
      uint32_t c = utf8::decode(s, i);
      if (!((c >= 32 && c <= 126 && c != '"' && c != '\\') || (idn && c >= 0x80))) return false;
    }
    ++i;
  } else {  // Dot-string
    bool need_atom = true;
    while (i < s.size() && s[i] != '@') {
      if (s[i] == '.') {
        if (need_atom) return false;
        need_atom = true;
        ++i;
        continue;
      }
      if (!atext(utf8::decode(s, i), idn)) return false;
      need_atom = false;
    }
    if (need_atom) return false;
  }
  if (i > 64 * (idn ? 4 : 1) || i >= s.size() || s[i] != '@') return false;
  std::string_view domain = s.substr(i + 1);
  if (domain.size() >= 2 && domain.front() == '[' && domain.back() == ']') {
    std::string_view literal = domain.substr(1, domain.size() - 2);
    if (literal.substr(0, 5) == "IPv6:") return valid_ipv6(literal.substr(5));
    return valid_ipv4(literal);
  }
  return idn ? idna::is_idn_hostname(domain) : idna::is_hostname(domain);
}

}  // namespace

Format parse_format(std::string_view name) {
  static constexpr struct {
    const char* name;
    Format format;
  } kFormats[] = {
      {"date-time", Format::kDateTime}, {"date", Format::kDate}, {"time", Format::kTime},
      {"email", Format::kEmail}, {"idn-email", Format::kIdnEmail}, {"hostname", Format::kHostname},
      {"idn-hostname", Format::kIdnHostname}, {"ipv4", Format::kIpv4}, {"ipv6", Format::kIpv6},
      {"uri", Format::kUri}, {"uri-reference", Format::kUriReference}, {"iri", Format::kIri},
      {"iri-reference", Format::kIriReference}, {"uri-template", Format::kUriTemplate},
      {"json-pointer", Format::kJsonPointer}, {"relative-json-pointer", Format::kRelativeJsonPointer},
      {"regex", Format::kRegex}, {"uuid", Format::kUuid},
  };
  for (const auto& f : kFormats)
    if (name == f.name) return f.format;
  return Format::kNone;
}

namespace {

constexpr uint64_t kFormatBytesPerUnit = 2;

// The expected form when `v` fails `format`, else nullptr (the `regex` format is checked
// by check_format itself).
const char* failed_form(Format format, std::string_view v) {
  switch (format) {
    case Format::kNone: return nullptr;
    case Format::kDateTime:
      return valid_date_time(v) ? nullptr : "an ISO 8601 date-time with a time zone, such as 2026-01-31T09:30:00Z";
    case Format::kDate: return valid_date(v) ? nullptr : "a date such as 2026-01-31";
    case Format::kTime: return valid_time(v) ? nullptr : "a time with a time zone, such as 09:30:00Z";
    case Format::kEmail: return valid_email(v, false) ? nullptr : "an email address";
    case Format::kIdnEmail: return valid_email(v, true) ? nullptr : "an email address";
    case Format::kHostname: return idna::is_hostname(v) ? nullptr : "a host name such as example.com";
    case Format::kIdnHostname: return idna::is_idn_hostname(v) ? nullptr : "a host name such as bücher.example";
    case Format::kIpv4: return valid_ipv4(v) ? nullptr : "an IPv4 address such as 192.0.2.1";
    case Format::kIpv6: return valid_ipv6(v) ? nullptr : "an IPv6 address such as 2001:db8::1";
    case Format::kUri: return valid_uri(v, false, false) ? nullptr : "an absolute URI such as https://example.com/";
    case Format::kUriReference: return valid_uri(v, false, true) ? nullptr : "a URI reference such as /path?q=1";
    case Format::kIri: return valid_uri(v, true, false) ? nullptr : "an absolute IRI such as https://bücher.example/";
    case Format::kIriReference: return valid_uri(v, true, true) ? nullptr : "an IRI reference such as /bücher";
    case Format::kUriTemplate: return valid_uri_template(v) ? nullptr : "a URI template such as /users/{id}";
    case Format::kJsonPointer: return valid_json_pointer(v) ? nullptr : "a JSON pointer such as /items/0";
    case Format::kRelativeJsonPointer:
      return valid_relative_json_pointer(v) ? nullptr : "a relative JSON pointer such as 1/items/0";
    case Format::kRegex: return nullptr;
    case Format::kUuid: return ids::is_uuid_shape(v) ? nullptr : ids::kUuidForm;
  }
  return nullptr;
}

}  // namespace

FormatCheck check_format(Format format, std::string_view v, uint64_t work_left) {
  FormatCheck out;
  if (format == Format::kNone) return out;
  if (format == Format::kRegex) {
    RegexError e = check_ecma_regex(v, work_left, &out.work);
    out.too_complex = e == RegexError::kTooComplex;
    if (e == RegexError::kSyntax) out.form = "an ECMAScript regular expression";
    return out;
  }
  out.work = 1 + v.size() / kFormatBytesPerUnit;
  if (out.work > work_left) {
    out.too_complex = true;
    return out;
  }
  out.form = failed_form(format, v);
  return out;
}

}  // namespace signalkit::schema_internal

#include "validation/formats.h"

#include "validation/ids.h"

namespace signalkit::schema_internal {
namespace {

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
bool valid_time(std::string_view s) {
  if (!digits(s, 0, 2) || s.size() < 8 || s[2] != ':' || !digits(s, 3, 2) || s[5] != ':' || !digits(s, 6, 2))
    return false;
  if (num(s, 0, 2) > 23 || num(s, 3, 2) > 59 || num(s, 6, 2) > 60) return false;
  size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == start) return false;
  }
  if (i == s.size()) return false;  // RFC 3339 requires an offset
  if (s[i] == 'Z' || s[i] == 'z') return i + 1 == s.size();
  if (s[i] != '+' && s[i] != '-') return false;
  return s.size() == i + 6 && digits(s, i + 1, 2) && s[i + 3] == ':' && digits(s, i + 4, 2) &&
         num(s, i + 1, 2) <= 23 && num(s, i + 4, 2) <= 59;
}
bool valid_date_time(std::string_view s) {
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't')) return false;
  return valid_date(s.substr(0, 10)) && valid_time(s.substr(11));
}
bool valid_email(std::string_view s) {
  size_t at = s.find('@');
  return at != std::string_view::npos && at > 0 && at + 1 < s.size() && s.find('@', at + 1) == std::string_view::npos &&
         s.find(' ') == std::string_view::npos;
}
bool valid_uri(std::string_view s) {
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    if (!ok) return false;
  }
  for (char c : s)
    if (c == ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '^' || c == '`' || c == '{' || c == '|' || c == '}')
      return false;
  return true;
}

}  // namespace

const char* check_format(const std::string& format, std::string_view value) {
  if (format == "date-time")
    return valid_date_time(value) ? nullptr : "an ISO 8601 date-time with a time zone, such as 2026-01-31T09:30:00Z";
  if (format == "date") return valid_date(value) ? nullptr : "a date such as 2026-01-31";
  if (format == "time") return valid_time(value) ? nullptr : "a time with a time zone, such as 09:30:00Z";
  if (format == "uuid") return ids::is_uuid_shape(value) ? nullptr : ids::kUuidForm;
  if (format == "email") return valid_email(value) ? nullptr : "an email address";
  if (format == "uri") return valid_uri(value) ? nullptr : "an absolute URI such as https://example.com/";
  return nullptr;  // other formats are annotations only
}

}  // namespace signalkit::schema_internal

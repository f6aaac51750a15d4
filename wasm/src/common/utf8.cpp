#include "common/utf8.h"

namespace signalkit::utf8 {

const uint8_t* prev_start(const uint8_t* begin, const uint8_t* p) {
  if (p[-1] < 0x80) return p - 1;
  // A valid sequence is at most 4 bytes: try the longest candidate that decodes to
  // exactly reach p; otherwise the previous byte stands alone (decoded as U+FFFD).
  for (int back = 4; back >= 2; --back) {
    if (p - begin < back) continue;
    const uint8_t* s = p - back;
    int len;
    decode(s, p, &len);
    if (len == back) return s;
  }
  return p - 1;
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++n) decode(s, i);
  return n;
}

size_t prefix_bytes(std::string_view s, size_t n) {
  size_t i = 0;
  for (size_t k = 0; k < n && i < s.size(); ++k) decode(s, i);
  return i;
}

size_t floor_boundary(std::string_view s, size_t max_bytes) {
  if (max_bytes >= s.size()) return s.size();
  size_t cut = max_bytes;
  while (cut > 0 && is_continuation(static_cast<uint8_t>(s[cut]))) --cut;
  return cut;
}

}  // namespace signalkit::utf8

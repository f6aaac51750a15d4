#include "common/whitespace.h"

#include "common/utf8.h"

namespace signalkit::whitespace {

size_t ecma_space_at_slow(std::string_view s, size_t i) {
  size_t next = i;
  return is_ecma_space(utf8::decode(s, next)) ? next - i : 0;
}

size_t ecma_space_before_slow(std::string_view s, size_t end) {
  const auto* base = reinterpret_cast<const uint8_t*>(s.data());
  const uint8_t* start = utf8::prev_start(base, base + end);
  size_t at = static_cast<size_t>(start - base);
  return ecma_space_at_slow(s.substr(0, end), at) == end - at ? end - at : 0;
}

bool is_blank(std::string_view s) {
  size_t i = 0;
  while (i < s.size())
    if (!is_ecma_space(utf8::decode(s, i))) return false;
  return true;
}

}  // namespace signalkit::whitespace

// UTF-8: the one decoder and encoder of the engine. Every part that reads or writes UTF-8
// (the JSON reader, messages, the criteria's answer text, the keyword matcher) uses these,
// so they agree on what a code point is and on what an invalid byte is.
#ifndef SIGNALKIT_SRC_COMMON_UTF8_H_
#define SIGNALKIT_SRC_COMMON_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace signalkit::utf8 {

inline constexpr uint32_t kReplacement = 0xFFFD;

inline bool is_continuation(uint8_t b) { return (b & 0xC0) == 0x80; }

// Decodes one code point at p (< end). Invalid or truncated sequences, surrogates and
// overlongs decode as U+FFFD with length 1 (what TextDecoder does, one byte at a time).
inline uint32_t decode(const uint8_t* p, const uint8_t* end, int* len) {
  uint8_t b0 = p[0];
  if (b0 < 0x80) { *len = 1; return b0; }
  size_t avail = static_cast<size_t>(end - p);
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (avail >= 2 && (p[1] & 0xC0) == 0x80) { *len = 2; return ((b0 & 0x1Fu) << 6) | (p[1] & 0x3Fu); }
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (avail >= 3 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80) {
      uint32_t cp = ((b0 & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) { *len = 3; return cp; }
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (avail >= 4 && (p[1] & 0xC0) == 0x80 && (p[2] & 0xC0) == 0x80 && (p[3] & 0xC0) == 0x80) {
      uint32_t cp = ((b0 & 0x07u) << 18) | ((p[1] & 0x3Fu) << 12) | ((p[2] & 0x3Fu) << 6) |
                    (p[3] & 0x3Fu);
      if (cp >= 0x10000 && cp <= 0x10FFFF) { *len = 4; return cp; }
    }
  }
  *len = 1;
  return kReplacement;
}

// The same over a string_view, advancing `i`.
inline uint32_t decode(std::string_view s, size_t& i) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data()) + i;
  int len;
  uint32_t cp = decode(p, reinterpret_cast<const uint8_t*>(s.data()) + s.size(), &len);
  i += static_cast<size_t>(len);
  return cp;
}

// Length (1–4) of the valid UTF-8 sequence at p (< end), or 0 when it is not one.
inline size_t valid_length(const uint8_t* p, const uint8_t* end) {
  if (p[0] < 0x80) return 1;
  int len;
  decode(p, end, &len);
  return len > 1 ? static_cast<size_t>(len) : 0;
}

// Writes `cp` (at most U+10FFFF) as 1–4 bytes into `out`; returns the count.
inline int encode(uint32_t cp, uint8_t out[4]) {
  if (cp < 0x80) { out[0] = static_cast<uint8_t>(cp); return 1; }
  if (cp < 0x800) {
    out[0] = static_cast<uint8_t>(0xC0 | (cp >> 6));
    out[1] = static_cast<uint8_t>(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = static_cast<uint8_t>(0xE0 | (cp >> 12));
    out[1] = static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3F));
    out[2] = static_cast<uint8_t>(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = static_cast<uint8_t>(0xF0 | (cp >> 18));
  out[1] = static_cast<uint8_t>(0x80 | ((cp >> 12) & 0x3F));
  out[2] = static_cast<uint8_t>(0x80 | ((cp >> 6) & 0x3F));
  out[3] = static_cast<uint8_t>(0x80 | (cp & 0x3F));
  return 4;
}

inline void append(std::string& out, uint32_t cp) {
  uint8_t b[4];
  out.append(reinterpret_cast<const char*>(b), static_cast<size_t>(encode(cp, b)));
}

// Start of the code point that ends just before `p` (p > begin), by the same decoding
// rules as decode(): used to step backwards.
const uint8_t* prev_start(const uint8_t* begin, const uint8_t* p);

// Code points in `s` (an invalid byte counts as one, as decode() reads it).
size_t code_points(std::string_view s);

// Bytes of the longest prefix of `s` holding at most `n` code points.
size_t prefix_bytes(std::string_view s, size_t n);

// The largest cut ≤ `max_bytes` that does not split a sequence (backs up over
// continuation bytes).
size_t floor_boundary(std::string_view s, size_t max_bytes);

}  // namespace signalkit::utf8

#endif  // SIGNALKIT_SRC_COMMON_UTF8_H_

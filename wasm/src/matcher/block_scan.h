// The keyword matcher's block classifier (matcher/automaton.cpp, the root's scan): 64
// bytes at a time, three bit masks. Internal; a header of its own so the tests can hold the
// vector versions to the portable one.
#ifndef SIGNALKIT_SRC_MATCHER_BLOCK_SCAN_H_
#define SIGNALKIT_SRC_MATCHER_BLOCK_SCAN_H_

#include <cstdint>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace signalkit::matcher_internal {

// The ASCII punctuation the automaton's root has children for: up to four bytes compared
// directly (`count` of them), or `all` punctuation.
struct PunctSet {
  uint8_t bytes[4] = {0, 0, 0, 0};
  int count = 0;
  bool all = false;
};

// Three bit masks of 64 bytes: ASCII letters and digits (the only ASCII regular word
// characters), bytes >= 0x80, and the punctuation that may start a keyword: bytes equal
// to one of the `count` given ones (the root's ASCII punctuation children), or, when
// `all`, every byte that is none of those and no ASCII separator (\t \n \v \f \r, space,
// '-'). The scan needs no separator mask: where it stops, the byte before is ASCII and its
// class comes from the table.
struct BlockMasks {
  uint64_t word, high, punct;
};

inline bool ascii_sep(uint8_t b) { return b == ' ' || b == '-' || (b >= 9 && b <= 13); }

// The same in plain C++: the definition the vector versions are tested against
// (tests/cpp/matcher_test.cpp), and the build for targets without SIMD.
inline BlockMasks classify64_portable(const uint8_t* p, const PunctSet& ps) {
  BlockMasks m{0, 0, 0};
  for (int i = 0; i < 64; ++i) {
    const uint8_t b = p[i];
    const uint8_t lower = b | 0x20;
    const uint64_t bit = uint64_t{1} << i;
    bool listed = false;
    for (int k = 0; k < ps.count; ++k) listed |= b == ps.bytes[k];
    if ((lower >= 'a' && lower <= 'z') || (b >= '0' && b <= '9')) m.word |= bit;
    else if (b >= 0x80) m.high |= bit;
    else if (ps.all ? !ascii_sep(b) : listed) m.punct |= bit;
  }
  return m;
}

#if defined(__wasm_simd128__)
inline BlockMasks classify64(const uint8_t* p, const PunctSet& ps) {
  BlockMasks m{0, 0, 0};
  uint64_t sep = 0;
  for (int i = 0; i < 4; ++i) {
    const v128_t v = wasm_v128_load(p + 16 * i);
    // Ranges by signed compares (one instruction each): adding 0x80 minus the range's
    // start moves the range to the bottom of the signed bytes.
    const v128_t letter = wasm_i8x16_lt(wasm_i8x16_add(wasm_v128_or(v, wasm_i8x16_splat(0x20)), wasm_i8x16_splat(0x80 - 'a')),
                                        wasm_i8x16_splat(static_cast<int8_t>(0x80 + 26)));
    const v128_t digit = wasm_i8x16_lt(wasm_i8x16_add(v, wasm_i8x16_splat(0x80 - '0')),
                                       wasm_i8x16_splat(static_cast<int8_t>(0x80 + 10)));
    m.word |= static_cast<uint64_t>(wasm_i8x16_bitmask(wasm_v128_or(letter, digit))) << (16 * i);
    m.high |= static_cast<uint64_t>(wasm_i8x16_bitmask(v)) << (16 * i);
    if (ps.all) {
      const v128_t s = wasm_v128_or(
          wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat(' ')), wasm_i8x16_eq(v, wasm_i8x16_splat('-'))),
          wasm_i8x16_lt(wasm_i8x16_add(v, wasm_i8x16_splat(0x80 - 9)), wasm_i8x16_splat(static_cast<int8_t>(0x80 + 5))));
      sep |= static_cast<uint64_t>(wasm_i8x16_bitmask(s)) << (16 * i);
    } else if (ps.count > 0) {
      v128_t punct = wasm_i8x16_eq(v, wasm_i8x16_splat(static_cast<int8_t>(ps.bytes[0])));
      for (int k = 1; k < ps.count; ++k)
        punct = wasm_v128_or(punct, wasm_i8x16_eq(v, wasm_i8x16_splat(static_cast<int8_t>(ps.bytes[k]))));
      m.punct |= static_cast<uint64_t>(wasm_i8x16_bitmask(punct)) << (16 * i);
    }
  }
  if (ps.all) m.punct = ~(m.word | m.high | sep);
  return m;
}
#elif defined(__SSE2__)
inline BlockMasks classify64(const uint8_t* p, const PunctSet& ps) {
  BlockMasks m{0, 0, 0};
  uint64_t sep = 0;
  auto mask = [](__m128i x) { return static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(x))); };
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    // Signed compares after moving each range to the bottom of the signed bytes.
    const __m128i letter = _mm_cmplt_epi8(_mm_add_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8(static_cast<char>(0x80 - 'a'))),
                                          _mm_set1_epi8(static_cast<char>(0x80 + 26)));
    const __m128i digit = _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(static_cast<char>(0x80 - '0'))),
                                         _mm_set1_epi8(static_cast<char>(0x80 + 10)));
    m.word |= mask(_mm_or_si128(letter, digit)) << (16 * i);
    m.high |= mask(v) << (16 * i);
    if (ps.all) {
      const __m128i s = _mm_or_si128(
          _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))),
          _mm_cmplt_epi8(_mm_add_epi8(v, _mm_set1_epi8(static_cast<char>(0x80 - 9))), _mm_set1_epi8(static_cast<char>(0x80 + 5))));
      sep |= mask(s) << (16 * i);
    } else if (ps.count > 0) {
      __m128i punct = _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(ps.bytes[0])));
      for (int k = 1; k < ps.count; ++k)
        punct = _mm_or_si128(punct, _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(ps.bytes[k]))));
      m.punct |= mask(punct) << (16 * i);
    }
  }
  if (ps.all) m.punct = ~(m.word | m.high | sep);
  return m;
}
#else
inline BlockMasks classify64(const uint8_t* p, const PunctSet& ps) { return classify64_portable(p, ps); }
#endif

}  // namespace signalkit::matcher_internal

#endif  // SIGNALKIT_SRC_MATCHER_BLOCK_SCAN_H_

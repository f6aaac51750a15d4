// The keyword matcher's block classifier (matcher/automaton.cpp, the root's scan): 64
// bytes at a time, four bit masks. Internal; a header of its own so the tests can hold the
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
// directly (unused entries repeat the first), or `all` punctuation.
struct PunctSet {
  uint8_t bytes[4] = {0, 0, 0, 0};
  bool all = false;
};

// Four bit masks of 64 bytes: ASCII letters and digits (the only ASCII regular word
// characters), ASCII separators (\t \n \v \f \r, space, '-'), bytes >= 0x80, and the
// punctuation that may start a keyword: bytes equal to one of up to four given ones (the
// root's ASCII punctuation children), or every byte when there are more (`all`).
struct BlockMasks {
  uint64_t word, sep, high, punct;
};

// The same in plain C++: the definition the vector versions are tested against
// (tests/cpp/matcher_test.cpp), and the build for targets without SIMD.
inline BlockMasks classify64_portable(const uint8_t* p, const PunctSet& ps) {
  BlockMasks m{0, 0, 0, 0};
  for (int i = 0; i < 64; ++i) {
    const uint8_t b = p[i];
    const uint8_t lower = b | 0x20;
    const uint64_t bit = uint64_t{1} << i;
    if ((lower >= 'a' && lower <= 'z') || (b >= '0' && b <= '9')) m.word |= bit;
    else if (b == ' ' || b == '-' || (b >= 9 && b <= 13)) m.sep |= bit;
    else if (b >= 0x80) m.high |= bit;
    else if (ps.all || b == ps.bytes[0] || b == ps.bytes[1] || b == ps.bytes[2] || b == ps.bytes[3]) m.punct |= bit;
  }
  return m;
}

#if defined(__wasm_simd128__)
inline BlockMasks classify64(const uint8_t* p, const PunctSet& ps) {
  BlockMasks m{0, 0, 0, 0};
  const v128_t p0 = wasm_i8x16_splat(static_cast<int8_t>(ps.bytes[0]));
  const v128_t p1 = wasm_i8x16_splat(static_cast<int8_t>(ps.bytes[1]));
  const v128_t p2 = wasm_i8x16_splat(static_cast<int8_t>(ps.bytes[2]));
  const v128_t p3 = wasm_i8x16_splat(static_cast<int8_t>(ps.bytes[3]));
  for (int i = 0; i < 4; ++i) {
    const v128_t v = wasm_v128_load(p + 16 * i);
    // Unsigned compares after subtracting the range's start: one compare per range.
    const v128_t letter = wasm_u8x16_lt(wasm_i8x16_sub(wasm_v128_or(v, wasm_i8x16_splat(0x20)), wasm_i8x16_splat('a')),
                                        wasm_i8x16_splat(26));
    const v128_t digit = wasm_u8x16_lt(wasm_i8x16_sub(v, wasm_i8x16_splat('0')), wasm_i8x16_splat(10));
    const v128_t sep = wasm_v128_or(
        wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat(' ')), wasm_i8x16_eq(v, wasm_i8x16_splat('-'))),
        wasm_u8x16_lt(wasm_i8x16_sub(v, wasm_i8x16_splat(9)), wasm_i8x16_splat(5)));
    const v128_t punct = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, p0), wasm_i8x16_eq(v, p1)),
                                      wasm_v128_or(wasm_i8x16_eq(v, p2), wasm_i8x16_eq(v, p3)));
    m.word |= static_cast<uint64_t>(wasm_i8x16_bitmask(wasm_v128_or(letter, digit))) << (16 * i);
    m.sep |= static_cast<uint64_t>(wasm_i8x16_bitmask(sep)) << (16 * i);
    m.high |= static_cast<uint64_t>(wasm_i8x16_bitmask(v)) << (16 * i);
    m.punct |= static_cast<uint64_t>(wasm_i8x16_bitmask(punct)) << (16 * i);
  }
  if (ps.all) m.punct = ~(m.word | m.sep | m.high);
  return m;
}
#elif defined(__SSE2__)
inline BlockMasks classify64(const uint8_t* p, const PunctSet& ps) {
  BlockMasks m{0, 0, 0, 0};
  const __m128i p0 = _mm_set1_epi8(static_cast<char>(ps.bytes[0]));
  const __m128i p1 = _mm_set1_epi8(static_cast<char>(ps.bytes[1]));
  const __m128i p2 = _mm_set1_epi8(static_cast<char>(ps.bytes[2]));
  const __m128i p3 = _mm_set1_epi8(static_cast<char>(ps.bytes[3]));
  auto mask = [](__m128i x) { return static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(x))); };
  for (int i = 0; i < 4; ++i) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16 * i));
    // Signed compares: bytes >= 0x80 are negative, so never in an ASCII range.
    const __m128i lower = _mm_or_si128(v, _mm_set1_epi8(0x20));
    const __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lower, _mm_set1_epi8('a' - 1)),
                                         _mm_cmplt_epi8(lower, _mm_set1_epi8('z' + 1)));
    const __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
    const __m128i sep = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(v, _mm_set1_epi8('-'))),
        _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(8)), _mm_cmplt_epi8(v, _mm_set1_epi8(14))));
    const __m128i punct = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, p0), _mm_cmpeq_epi8(v, p1)),
                                       _mm_or_si128(_mm_cmpeq_epi8(v, p2), _mm_cmpeq_epi8(v, p3)));
    m.word |= mask(_mm_or_si128(letter, digit)) << (16 * i);
    m.sep |= mask(sep) << (16 * i);
    m.high |= mask(v) << (16 * i);
    m.punct |= mask(punct) << (16 * i);
  }
  if (ps.all) m.punct = ~(m.word | m.sep | m.high);
  return m;
}
#else
inline BlockMasks classify64(const uint8_t* p, const PunctSet& ps) { return classify64_portable(p, ps); }
#endif

}  // namespace signalkit::matcher_internal

#endif  // SIGNALKIT_SRC_MATCHER_BLOCK_SCAN_H_

#pragma once
// The byte-level primitives of the fast reply scanner (fast_reply_scanner.cpp): character
// classes, SIMD searches over a reply's bytes, and the one number conversion it does itself.
// Header-only and inline on purpose: they run once per byte or per value, in the scanner's
// loops, so they must inline there (the build has no link-time optimization).

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace voxo::api::detail::scan_bytes {

// Digits of a kept number the fast path converts: below 2^53, so the mantissa is exact and
// the conversion below is the one Boost.JSON makes.
inline constexpr int max_fast_digits = 15;

inline bool is_space(char c) noexcept { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

inline int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The first byte in [p, end) that ends a run of plain string bytes: a quote, a backslash or a
// control character (invalid in a JSON string). Bytes >= 0x80 are plain (see utf8.hpp).
[[gnu::always_inline]] inline const char* find_string_special(const char* p, const char* end) noexcept {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i last_control = _mm_set1_epi8(0x1F);
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, last_control), last_control);  // v <= 0x1F
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), control);
    if (const int mask = _mm_movemask_epi8(hit)) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p < end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20) ++p;
  return p;
}

// The `size` bytes at p equal `expected` (zero-padded to 32). Most keys with their quote fit
// in 16 bytes: one compare.
[[gnu::always_inline]] inline bool same_bytes(const char* p, const char* end, const std::array<char, 32>& expected,
                                              unsigned size) noexcept {
#if defined(__SSE2__)
  if (end - p >= 32) {
    const auto* e = reinterpret_cast<const __m128i*>(expected.data());
    const auto* q = reinterpret_cast<const __m128i*>(p);
    std::uint32_t equal =
        static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(q), _mm_loadu_si128(e))));
    if (size > 16)
      equal |=
          static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(q + 1), _mm_loadu_si128(e + 1))))
          << 16;
    const std::uint32_t wanted = size >= 32 ? ~std::uint32_t{0} : (std::uint32_t{1} << size) - 1;
    return (equal & wanted) == wanted;
  }
#endif
  return static_cast<std::size_t>(end - p) >= size && std::memcmp(p, expected.data(), size) == 0;
}

// mantissa * 10^-digits as Boost.JSON 1.81's dec_to_float computes it for such numbers: the
// mantissa as a double divided by an exact power of ten.
inline double fraction_value(std::uint64_t mantissa, int digits, bool negative) noexcept {
  static constexpr std::array<double, max_fast_digits + 1> powers{1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                                                  1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
  double x = static_cast<double>(mantissa);
  if (negative) x = -x;
  return x / powers[static_cast<std::size_t>(digits)];
}

}  // namespace voxo::api::detail::scan_bytes

#pragma once
// UTF-8 validation for the few string values the parser keeps. The JSON parser itself runs
// with UTF-8 checks off (they cost 3-5% of ingest, spent mostly on strings nobody reads), so
// this is the one gate between the reply's bytes and a label value, a state file or a log.

#include <cstdint>
#include <cstring>
#include <string_view>

namespace voxo::api::detail {

// Well-formed UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing past
// U+10FFFF, no truncated sequence.
inline bool is_valid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* const end = p + s.size();
  while (p != end) {
    if (end - p >= 8) {  // ids, codes and times are ASCII: 8 bytes per step
      std::uint64_t word;
      std::memcpy(&word, p, sizeof word);
      if ((word & 0x8080808080808080ull) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    // Lead byte: how many continuation bytes follow, and the allowed range of the first one.
    std::ptrdiff_t more = 0;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) more = 1;
    else if (c == 0xE0) more = 2, lo = 0xA0;  // overlong below U+0800
    else if (c == 0xED) more = 2, hi = 0x9F;  // surrogates
    else if (c >= 0xE1 && c <= 0xEF) more = 2;
    else if (c == 0xF0) more = 3, lo = 0x90;  // overlong below U+10000
    else if (c >= 0xF1 && c <= 0xF3) more = 3;
    else if (c == 0xF4) more = 3, hi = 0x8F;  // past U+10FFFF
    else return false;                        // continuation, C0, C1, F5..FF
    if (end - p <= more) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (std::ptrdiff_t i = 2; i <= more; ++i)
      if ((p[i] & 0xC0) != 0x80) return false;
    p += more + 1;
  }
  return true;
}

}  // namespace voxo::api::detail

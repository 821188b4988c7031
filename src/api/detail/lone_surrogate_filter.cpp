#include "api/detail/lone_surrogate_filter.hpp"

#include <cstring>

namespace voxo::api::detail {
namespace {

constexpr std::size_t escape_bytes = 6;  // \uXXXX

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The code unit of the \uXXXX at p (6 bytes available), or -1 when it is not one.
int escape_value(const char* p) noexcept {
  if (p[0] != '\\' || p[1] != 'u') return -1;
  int v = 0;
  for (int i = 2; i < 6; ++i) {
    const int d = hex_value(p[i]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

bool is_high(int v) noexcept { return v >= 0xD800 && v <= 0xDBFF; }
bool is_low(int v) noexcept { return v >= 0xDC00 && v <= 0xDFFF; }

// The `n` (< 6) bytes at p could still become a \u escape of a low surrogate.
bool may_become_low(const char* p, std::size_t n) noexcept {
  static constexpr std::string_view first = "\\u";
  for (std::size_t i = 0; i < n; ++i) {
    const char c = p[i];
    if (i < 2 && c != first[i]) return false;
    if (i == 2 && c != 'd' && c != 'D') return false;
    if (i == 3 && !((c >= 'c' && c <= 'f') || (c >= 'C' && c <= 'F'))) return false;
    if (i > 3 && hex_value(c) < 0) return false;
  }
  return true;
}

// The `n` (2 to 5) bytes at p, "\u" first, could still become a \u escape.
bool may_become_escape(const char* p, std::size_t n) noexcept {
  for (std::size_t i = 2; i < n; ++i)
    if (hex_value(p[i]) < 0) return false;
  return true;
}

}  // namespace

lone_surrogate_filter::output lone_surrogate_filter::filter(std::string_view piece) {
  const std::size_t carried = held_.size();
  char* copy = nullptr;  // the writable copy, once one is needed
  std::string_view text = piece;
  if (carried != 0) {
    buffer_.assign(held_);
    buffer_.append(piece);
    held_.clear();
    copy = buffer_.data();
    text = buffer_;
  }
  const char* begin = text.data();
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::size_t keep = n;  // bytes from here on are held back
  // Outside an escape a backslash starts one: inside strings (where valid JSON has them) this
  // follows the parser exactly; anywhere else the parser fails at that byte anyway.
  while (i < n) {
    const void* hit = std::memchr(begin + i, '\\', n - i);
    if (!hit) break;
    i = static_cast<std::size_t>(static_cast<const char*>(hit) - begin);
    const std::size_t left = n - i;
    if (left == 1) {  // the next piece says what it escapes
      keep = i;
      break;
    }
    if (begin[i + 1] != 'u') {  // a short escape (or an invalid one: the parser reports it)
      i += 2;
      continue;
    }
    if (left < escape_bytes && may_become_escape(begin + i, left)) {
      keep = i;
      break;
    }
    const int v = left < escape_bytes ? -1 : escape_value(begin + i);
    if (v < 0) {  // not hex: the parser reports it
      i += 2;
      continue;
    }
    bool lone = is_low(v);
    if (is_high(v)) {
      const std::size_t after = left - escape_bytes;
      if (after < escape_bytes && may_become_low(begin + i + escape_bytes, after)) {
        keep = i;  // the next piece decides
        break;
      }
      if (after >= escape_bytes && is_low(escape_value(begin + i + escape_bytes))) {
        i += 2 * escape_bytes;  // a valid pair
        continue;
      }
      lone = true;
    }
    if (lone) {
      if (!copy) {
        buffer_.assign(piece);
        copy = buffer_.data();
        text = buffer_;
        begin = copy;
      }
      std::memset(copy + i, 0xFF, escape_bytes);
    }
    i += escape_bytes;
  }
  if (keep < n) held_.assign(text.substr(keep));
  return {text.substr(0, keep), carried};
}

std::string without_lone_surrogates(std::string_view text) {
  lone_surrogate_filter f;
  const auto out = f.filter(text);
  std::string whole(out.text);
  whole.append(f.held());
  return whole;
}

}  // namespace voxo::api::detail

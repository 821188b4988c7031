// The fast path's rules mirror the general parser's handler (general_reply_parser.cpp) call for
// call: a known key -> record_builder::key, its value -> string_value / number_value (an int64
// for an integer, a double for a fraction, computed as Boost.JSON 1.81 does) / bool_value /
// null_value, a container under a known key -> reject "wrong type", the closing brace -> end.
// Whatever it is not sure to read exactly as Boost.JSON would, it leaves to the general parser
// ("bail"); a record is only handed to the sink once its closing brace was read.
#include "api/detail/fast_reply_scanner.hpp"

#include <array>
#include <cstdint>
#include <cstring>

#include "api/detail/scan_bytes.hpp"

namespace voxo::api::detail {
namespace {

// Nesting the fast path follows (the array is 1, a record 2); deeper values go to the general
// parser, which allows 32.
constexpr unsigned max_fast_depth = 16;

}  // namespace

using namespace scan_bytes;

fast_reply_scanner::fast_reply_scanner(record_sink& sink, const date::time_zone* record_zone)
    : sink_(sink), builder_(record_zone) {}

[[gnu::always_inline]] inline fast_reply_scanner::step fast_reply_scanner::skip_space(const char*& p) const noexcept {
  while (p < end_ && is_space(*p)) ++p;
  return p < end_ ? step::ok : step::more;
}

[[gnu::always_inline]] inline fast_reply_scanner::step fast_reply_scanner::string(const char*& p,
                                                                                  text_token& out) const noexcept {
  const char* const start = p;
  out.escaped = false;
  for (;;) {
    p = find_string_special(p, end_);
    if (p == end_) return step::more;
    if (*p == '"') {
      out.text = {start, static_cast<std::size_t>(p - start)};
      ++p;
      return step::ok;
    }
    if (*p != '\\') return step::bail;  // a control character
    out.escaped = true;
    if (end_ - p < 2) return step::more;
    switch (p[1]) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't': p += 2; continue;
      case 'u': {
        if (end_ - p < 6) return step::more;
        for (int i = 2; i < 6; ++i)
          if (hex_value(p[i]) < 0) return step::bail;
        // Any code unit, a lone surrogate too: the general parser skips those as well (see
        // lone_surrogate_filter.hpp), and a kept string with an escape goes to it anyway.
        p += 6;
        continue;
      }
      default: return step::bail;
    }
  }
}

[[gnu::always_inline]] inline fast_reply_scanner::step fast_reply_scanner::literal(
    const char*& p, std::string_view word) const noexcept {
  const auto available = static_cast<std::size_t>(end_ - p);
  if (available < word.size())
    return std::string_view(p, available) == word.substr(0, available) ? step::more : step::bail;
  if (std::string_view(p, word.size()) != word) return step::bail;
  p += word.size();
  return step::ok;
}

// -?(0|[1-9][0-9]*)(.[0-9]+)? : an exponent goes to the general parser. A number is only known
// to be complete when a byte follows it.
[[gnu::always_inline]] inline fast_reply_scanner::step fast_reply_scanner::skip_number(const char*& p) const noexcept {
  const char* q = p;
  if (*q == '-' && ++q == end_) return step::more;
  if (*q == '0') {
    ++q;
  } else if (*q >= '1' && *q <= '9') {
    while (++q < end_ && is_digit(*q)) {
    }
  } else {
    return step::bail;
  }
  if (q == end_) return step::more;
  if (*q == '.') {
    const char* const first = ++q;
    while (q < end_ && is_digit(*q)) ++q;
    if (q == end_) return step::more;
    if (q == first) return step::bail;
  }
  if ((*q | 32) == 'e') return step::bail;
  p = q;
  return step::ok;
}

[[gnu::always_inline]] inline fast_reply_scanner::step fast_reply_scanner::skip_value(const char*& p,
                                                                                      unsigned depth) const noexcept {
  switch (*p) {
    case '"': {
      text_token ignored;
      return string(++p, ignored);
    }
    case '{':
    case '[': {
      const scan_stop stop = skip_container(p, depth + 1);  // by value: p stays in a register
      p = stop.p;
      return stop.s;
    }
    case 't': return literal(p, "true");
    case 'f': return literal(p, "false");
    case 'n': return literal(p, "null");
    default: return skip_number(p);
  }
}

fast_reply_scanner::scan_stop fast_reply_scanner::skip_container(const char* p, unsigned depth) const noexcept {
  const step s = skip_container_at(p, depth);
  return {p, s};
}

fast_reply_scanner::step fast_reply_scanner::skip_container_at(const char*& p, unsigned depth) const noexcept {
  if (depth > max_fast_depth) return step::bail;
  const bool object = *p == '{';
  const char close = object ? '}' : ']';
  ++p;
  if (skip_space(p) != step::ok) return step::more;
  if (*p == close) {
    ++p;
    return step::ok;
  }
  for (;;) {
    if (object) {
      if (*p != '"') return step::bail;
      text_token key;
      if (const step s = string(++p, key); s != step::ok) return s;
      if (skip_space(p) != step::ok) return step::more;
      if (*p != ':') return step::bail;
      ++p;
      if (skip_space(p) != step::ok) return step::more;
    }
    if (const step s = skip_value(p, depth); s != step::ok) return s;
    if (skip_space(p) != step::ok) return step::more;
    if (*p == close) {
      ++p;
      return step::ok;
    }
    if (*p != ',') return step::bail;
    ++p;
    if (skip_space(p) != step::ok) return step::more;
  }
}

[[gnu::always_inline]] inline fast_reply_scanner::step fast_reply_scanner::number_value(const char*& p, field f) {
  // Flags and most quality values are one digit ("0", "1"): no loop for them.
  if (end_ - p >= 2 && is_digit(p[0]) && (p[1] == ',' || p[1] == '}')) {
    builder_.number_value(f, std::int64_t{p[0] - '0'});
    ++p;
    return step::ok;
  }
  const char* q = p;
  const bool negative = *q == '-';
  if (negative && ++q == end_) return step::more;
  if (!is_digit(*q)) return step::bail;
  std::uint64_t mantissa = 0;
  int digits = 0;
  int fraction_digits = 0;
  const bool leading_zero = *q == '0';
  do {
    mantissa = mantissa * 10 + static_cast<unsigned>(*q - '0');
    if (++digits > max_fast_digits) return step::bail;
  } while (++q < end_ && is_digit(*q) && !leading_zero);
  if (q == end_) return step::more;
  if (*q == '.') {
    while (++q < end_ && is_digit(*q)) {
      mantissa = mantissa * 10 + static_cast<unsigned>(*q - '0');
      ++fraction_digits;
      if (++digits > max_fast_digits) return step::bail;
    }
    if (q == end_) return step::more;
    if (fraction_digits == 0) return step::bail;
  }
  if ((*q | 32) == 'e') return step::bail;
  p = q;
  if (fraction_digits == 0) {
    const auto magnitude = static_cast<std::int64_t>(mantissa);
    builder_.number_value(f, negative ? -magnitude : magnitude);
  } else {
    builder_.number_value(f, fraction_value(mantissa, fraction_digits, negative));
  }
  return step::ok;
}

[[gnu::always_inline]] inline fast_reply_scanner::step fast_reply_scanner::known_value(const char*& p, field f) {
  switch (*p) {
    case '"': {
      text_token value;
      if (const step s = string(++p, value); s != step::ok) return s;
      if (value.escaped) return step::bail;  // Boost.JSON decodes it
      if (value.text.size() > max_field_bytes) {
        builder_.reject(f, "longer than 4096 bytes");
      } else if (builder_.string_value(f, value.text) && f == field::id && !hinted_) {
        hinted_ = true;  // once, though a record cut by a piece's end is scanned again
        sink_.on_record_id(value.text);
      }
      return step::ok;
    }
    case '{':
    case '[': {
      builder_.reject(f, "wrong type");
      const scan_stop stop = skip_container(p, 3);
      p = stop.p;
      return stop.s;
    }
    case 't':
    case 'f': {
      const bool yes = *p == 't';
      const step s = literal(p, yes ? "true" : "false");
      if (s == step::ok) builder_.bool_value(f, yes);
      return s;
    }
    case 'n': {
      const step s = literal(p, "null");
      if (s == step::ok) builder_.null_value(f);
      return s;
    }
    default: return number_value(p, f);
  }
}

[[gnu::always_inline]] inline fast_reply_scanner::step fast_reply_scanner::key(const char*& p, std::size_t& index,
                                                                               field& f) {
  if (index < layout_.size()) {
    const known_key& expected = layout_[index];
    if (expected.size != 0 && same_bytes(p, end_, expected.bytes, expected.size)) {
      p += expected.size;
      f = expected.f;
      return step::ok;
    }
  }
  text_token key;
  if (const step s = string(p, key); s != step::ok) return s;
  if (key.escaped) return step::bail;  // "\u0069d" is "id": Boost.JSON decodes it
  f = key.text.size() <= max_key_bytes ? lookup(key.text) : field::unknown;
  if (key.text.size() >= known_key{}.bytes.size()) return step::ok;  // not worth learning
  known_key seen;
  std::memcpy(seen.bytes.data(), key.text.data(), key.text.size());
  seen.bytes[key.text.size()] = '"';
  seen.size = static_cast<unsigned char>(key.text.size() + 1);
  seen.f = f;
  // A record that skips a key (or adds one) only shifts the layout: go on from where this
  // key was last time. A key never seen takes this place in the layout.
  for (std::size_t i = 0; i < layout_.size(); ++i)
    if (layout_[i].size == seen.size && layout_[i].bytes == seen.bytes) {
      index = i;
      return step::ok;
    }
  if (index < layout_.size()) layout_[index] = seen;
  return step::ok;
}

fast_reply_scanner::scan_stop fast_reply_scanner::record(const char* p) {
  const step s = record_at(p);
  return {p, s};
}

[[gnu::always_inline]] inline fast_reply_scanner::step fast_reply_scanner::record_at(const char*& p) {
  builder_.begin();
  ++p;
  if (skip_space(p) != step::ok) return step::more;
  if (*p != '}') {
    for (std::size_t index = 0;; ++index) {
      if (*p != '"') return step::bail;
      field f;
      if (const step s = key(++p, index, f); s != step::ok) return s;
      if (f != field::unknown) builder_.key(f);
      if (skip_space(p) != step::ok) return step::more;
      if (*p != ':') return step::bail;
      ++p;
      if (skip_space(p) != step::ok) return step::more;
      if (const step s = f == field::unknown ? skip_value(p, 2) : known_value(p, f); s != step::ok) return s;
      if (skip_space(p) != step::ok) return step::more;
      if (*p == '}') break;
      if (*p != ',') return step::bail;
      ++p;
      if (skip_space(p) != step::ok) return step::more;
    }
  }
  ++p;
  finish_record();
  return step::ok;
}

void fast_reply_scanner::finish_record() {
  hinted_ = false;
  ++(builder_.deliver(sink_) ? records_ : invalid_);
}

fast_reply_scanner::result fast_reply_scanner::scan(std::string_view text) {
  const char* const begin = text.data();
  const char* p = begin;
  end_ = begin + text.size();
  const char* done = p;  // the last boundary reached
  auto stop = [&](outcome what) { return result{static_cast<std::size_t>(done - begin), what}; };
  for (;;) {
    if (skip_space(p) != step::ok) return stop(outcome::more);
    if (boundary_ == reply_boundary::reply_start) {
      if (*p != '[') return stop(outcome::unsupported);
      done = ++p;
      boundary_ = reply_boundary::first_element;
      continue;
    }
    if (*p == ']') {
      ++p;
      return {static_cast<std::size_t>(p - begin), outcome::closed};
    }
    if (boundary_ == reply_boundary::next_element) {
      if (*p != ',') return stop(outcome::unsupported);
      ++p;
      if (skip_space(p) != step::ok) return stop(outcome::more);
    }
    if (*p != '{') return stop(outcome::unsupported);  // not a record (or not JSON): general parser
    const scan_stop end_of_record = record(p);
    p = end_of_record.p;
    switch (end_of_record.s) {
      case step::ok:
        done = p;
        boundary_ = reply_boundary::next_element;
        break;
      case step::more: return stop(outcome::more);
      case step::bail: return stop(outcome::unsupported);
    }
  }
}

}  // namespace voxo::api::detail

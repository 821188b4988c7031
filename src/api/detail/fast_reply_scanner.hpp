#pragma once
// The fast path for /call-reports replies: a scanner for the layout the API actually sends (an
// array of flat objects, plain strings, plain numbers, literals, the odd nested value) that
// skips the values of keys we ignore without converting them. Where it meets anything outside
// that layout (an exponent, an escape in a kept string or a key, a non-object element, deep
// nesting) or anything invalid, it stops at the last element boundary and the general
// parser (Boost.JSON) reads the rest of the reply: so every record is built by the same
// record_builder calls either way, and every JSON error is reported by the general parser.
// tests/fuzz/fuzz_cdr_parser.cpp checks both paths against each other.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "api/detail/record_builder.hpp"
#include "api/detail/reply_boundary.hpp"
#include "api/record_sink.hpp"

namespace date {
class time_zone;
}

namespace voxo::api::detail {

class fast_reply_scanner {
 public:
  enum class outcome {
    more,         // every complete element was read; the rest is an element cut short
    closed,       // the array's ']' was read
    unsupported,  // the general parser must read on from the boundary
  };
  struct result {
    std::size_t used;  // bytes up to the last boundary reached (past ']' when closed)
    outcome what;
  };

  fast_reply_scanner(record_sink& sink, const date::time_zone* record_zone);

  // Scans `text`, which starts at boundary(): each complete element goes to the sink.
  result scan(std::string_view text);
  reply_boundary boundary() const noexcept { return boundary_; }
  std::uint64_t records() const noexcept { return records_; }
  std::uint64_t invalid() const noexcept { return invalid_; }

 private:
  enum class step : unsigned char { ok, more, bail };
  struct scan_stop {  // where scanning stopped and why (by value, so callers keep p in a register)
    const char* p;
    step s;
  };
  struct text_token {
    std::string_view text;
    bool escaped = false;
  };

  // The keys of the previous record, in order: records of one reply share their layout, so a
  // key is first compared with the one at its place last time (one 16/32-byte compare instead
  // of a scan and a lookup).
  struct known_key {
    std::array<char, 32> bytes{};  // the key and its closing quote, zero-padded
    unsigned char size = 0;        // with the quote; 0 = nothing learned
    field f = field::unknown;
  };
  static constexpr std::size_t max_layout_keys = 64;

  // p just after the opening quote; `index` is the key's place in the layout (moved when the
  // key was at another place last time).
  step key(const char*& p, std::size_t& index, field& f);
  step skip_space(const char*& p) const noexcept;
  step string(const char*& p, text_token& out) const noexcept;  // p just after the opening quote
  step literal(const char*& p, std::string_view word) const noexcept;
  step skip_number(const char*& p) const noexcept;
  step skip_value(const char*& p, unsigned depth) const noexcept;
  scan_stop skip_container(const char* p, unsigned depth) const noexcept;  // p at '{' or '['
  step skip_container_at(const char*& p, unsigned depth) const noexcept;
  step known_value(const char*& p, field f);
  step number_value(const char*& p, field f);
  scan_stop record(const char* p);  // p at '{'
  step record_at(const char*& p);
  void finish_record();

  record_sink& sink_;
  record_builder builder_;
  std::array<known_key, max_layout_keys> layout_{};
  const char* end_ = nullptr;
  reply_boundary boundary_ = reply_boundary::reply_start;
  bool hinted_ = false;  // this record's id went to on_record_id
  std::uint64_t records_ = 0;
  std::uint64_t invalid_ = 0;
};

}  // namespace voxo::api::detail

#pragma once
// The general reply parser: Boost.JSON's basic_parser over the whole JSON grammar, fed piece
// by piece. It reads what the fast scanner leaves to it (see cdr_stream_parser.cpp), and
// every error message about invalid JSON comes from it.

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "api/detail/reply_boundary.hpp"
#include "api/record_sink.hpp"

namespace date {
class time_zone;
}

namespace voxo::api::detail {

class general_reply_parser {
 public:
  general_reply_parser(record_sink& sink, const date::time_zone* record_zone);
  ~general_reply_parser();
  general_reply_parser(const general_reply_parser&) = delete;
  general_reply_parser& operator=(const general_reply_parser&) = delete;

  // Puts the parser where the reply is at `b`, so the bytes that follow `b` can be written
  // next: it reads a made-up "[" (or "[null", whose null it ignores) first.
  void start_at(reply_boundary b);
  // Parses what it can of `piece`; returns how many bytes it used, ec says why it stopped early.
  std::size_t write(std::string_view piece, boost::system::error_code& ec);

  bool complete() const noexcept;            // the array's closing ']' was read
  bool rejected_not_array() const noexcept;  // the reply itself is not an array
  std::uint64_t records() const noexcept;
  std::uint64_t invalid() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace voxo::api::detail

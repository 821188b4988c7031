#pragma once
// Streaming parser for the body of GET /call-reports (a JSON array of records): it is fed the
// body piece by piece as it arrives, and hands each record to the sink as soon as that
// record's closing brace is read. Memory does not grow with the reply. A reply that is not one
// complete JSON array is an error for the whole request: the caller discards what the sink
// received (see record_sink.hpp).
// Two parsers share the work: a fast scanner for the layout the API sends, and Boost.JSON's
// basic_parser for the rest of a reply once the scanner meets anything else (see
// detail/fast_reply_scanner.hpp). Both build records with the same code, so the records, the
// invalid ones and the errors are the same whichever read them.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "api/record_sink.hpp"

namespace date {
class time_zone;
}

namespace voxo::api {

// general_only: Boost.JSON reads the whole reply (the reference the fast path is tested against).
enum class parse_path { fast, general_only };

class cdr_stream_parser {
 public:
  cdr_stream_parser(record_sink& sink, const date::time_zone* record_zone, parse_path path = parse_path::fast);
  ~cdr_stream_parser();
  cdr_stream_parser(const cdr_stream_parser&) = delete;
  cdr_stream_parser& operator=(const cdr_stream_parser&) = delete;

  // Feed the next piece of the body. False once the body can't be a valid reply
  // (then error_message() says why and further writes are ignored).
  bool write(std::string_view piece);
  // End of body: true only when exactly one complete JSON array was read.
  bool finish();

  const std::string& error_message() const noexcept;  // no record data in it
  std::uint64_t records() const noexcept;             // handed to on_record
  std::uint64_t invalid() const noexcept;             // handed to on_invalid

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace voxo::api

#pragma once
// Reads a reply's body once its header is read, at the parser's pace rather than the socket's
// (issue #14): whatever has arrived is read without waiting, up to 256 KiB at a time, straight
// into one buffer, and each body piece goes to the consumer where it lies in that buffer (no
// copy into a body buffer). The coroutine suspends only when nothing has arrived, and one
// inactivity watchdog per body replaces a timer armed around every read.
// Internal to the HTTP client (see http_transport.hpp).

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/optional.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

#include "api/http_connection.hpp"

namespace voxo::api::detail {

// Receives a 2xx body piece by piece; false = the body is unusable, stop reading it.
using body_consumer = std::function<bool(std::string_view)>;

// A Beast body that is never stored: each piece goes to `consume` (null: only counted).
struct piece_body {
  struct value_type {
    const body_consumer* consume = nullptr;
    std::uint64_t limit = 0;  // more body bytes than this stop the read (over_limit)
    std::uint64_t bytes = 0;  // body bytes received
    enum class stop { none, over_limit, refused } stopped = stop::none;
  };

  class reader {
   public:
    template <bool is_request, class Fields>
    reader(boost::beast::http::header<is_request, Fields>&, value_type& body) : body_(body) {}
    void init(const boost::optional<std::uint64_t>&, boost::system::error_code& ec) { ec = {}; }
    template <class ConstBufferSequence>
    std::size_t put(const ConstBufferSequence& buffers, boost::system::error_code& ec) {
      std::size_t used = 0;
      for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers);
           ++it) {
        const boost::asio::const_buffer b = *it;
        if (!take(std::string_view(static_cast<const char*>(b.data()), b.size()), ec)) return used;
        used += b.size();
      }
      return used;
    }
    void finish(boost::system::error_code& ec) { ec = {}; }

   private:
    bool take(std::string_view piece, boost::system::error_code& ec);
    value_type& body_;
  };
};

using reply_parser = boost::beast::http::response_parser<piece_body>;

// Reads the body of the reply whose header `parser` holds. None when the body is complete (any
// bytes after it stay in conn.buffer(), so the connection is not reused); beast::error::timeout
// after `timeout` without a byte; operation_aborted when cancelled; body_limit when the body
// stopped (see parser.get().body().stopped); else the transport or HTTP framing error
// (http::error::partial_message for a body cut short).
boost::asio::awaitable<boost::system::error_code> read_body(http_connection& conn, reply_parser& parser,
                                                            std::chrono::milliseconds timeout);

}  // namespace voxo::api::detail

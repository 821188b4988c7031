#include "api/http_body_reader.hpp"

#include <boost/beast/core/error.hpp>

#include <cstring>

#include "api/detail/inactivity_watchdog.hpp"

namespace voxo::api::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

bool piece_body::reader::take(std::string_view piece, boost::system::error_code& ec) {
  if (body_.stopped != value_type::stop::none) {
    ec = http::error::body_limit;
    return false;
  }
  if (piece.size() > body_.limit - std::min(body_.limit, body_.bytes)) {
    body_.bytes += piece.size();
    body_.stopped = value_type::stop::over_limit;
    ec = http::error::body_limit;
    return false;
  }
  body_.bytes += piece.size();
  if (body_.consume && !piece.empty() && !(*body_.consume)(piece)) {
    body_.stopped = value_type::stop::refused;
    ec = http::error::body_limit;
    return false;
  }
  return true;
}

namespace {

// Hands `held` bytes of `buf` to the parser; returns how many it used (the rest is a chunk
// header or trailer cut short, or bytes after the reply).
std::size_t parse_held(reply_parser& parser, const char* buf, std::size_t held, boost::system::error_code& ec) {
  std::size_t at = 0;
  while (at < held && !parser.is_done()) {
    boost::system::error_code pec;
    // One contiguous buffer: Beast would copy a buffer sequence into one first.
    const std::size_t used = parser.put(net::const_buffer(buf + at, held - at), pec);
    at += used;
    if (pec == http::error::need_more) break;
    if (pec) {
      ec = pec;
      break;
    }
    if (used == 0) break;
  }
  return at;
}

}  // namespace

net::awaitable<boost::system::error_code> read_body(http_connection& conn, reply_parser& parser,
                                                    std::chrono::milliseconds timeout) {
  if (parser.is_done()) co_return boost::system::error_code{};
  std::vector<char>& buf = conn.body_buffer();
  // What the header read already took from the socket comes first.
  auto& early = conn.buffer();
  if (early.size() > buf.size()) buf.resize(early.size());
  std::size_t held = net::buffer_copy(net::buffer(buf), early.data());
  early.consume(held);

  inactivity_watchdog watchdog(conn.socket(), timeout);
  boost::system::error_code read_ec;  // the error that ended the last read, after its bytes
  for (;;) {
    boost::system::error_code pec;
    const std::size_t used = parse_held(parser, buf.data(), held, pec);
    if (pec) co_return pec;
    if (parser.is_done()) {
      conn.unread(buf.data() + used, held - used);
      co_return boost::system::error_code{};
    }
    std::memmove(buf.data(), buf.data() + used, held - used);
    held -= used;
    if (read_ec == net::error::eof) {
      // As Beast's own read: the end of the stream ends a body without a length, else the
      // reply was cut short (partial_message).
      boost::system::error_code eec;
      parser.put_eof(eec);
      co_return eec;
    }
    if (read_ec) co_return read_ec;
    if (held == buf.size()) co_return http::error::buffer_overflow;  // no body: framing this long

    for (;;) {
      boost::system::error_code ec;
      const std::size_t got = conn.read_arrived(net::buffer(buf.data() + held, buf.size() - held), ec);
      held += got;
      if (got > 0) watchdog.note_progress();
      if (ec != net::error::would_block) {
        read_ec = ec;  // none: the buffer is full
        break;
      }
      if (got > 0) break;
      auto [wec] = co_await conn.wait_readable();
      if (watchdog.expired()) co_return beast::error::timeout;
      if (wec) co_return wec;
    }
  }
}

}  // namespace voxo::api::detail

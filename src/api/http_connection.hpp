#pragma once
// One connection to the API host, plain TCP or TLS, with a timeout on every operation.
// Internal to the HTTP client (see http_transport.hpp).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <tuple>
#include <vector>

#include "api/api_error.hpp"
#include "api/url.hpp"
#include "util/asio.hpp"

namespace voxo::api::detail {

// Maps an I/O error to the client's error kinds; `what` names the step ("connect", "read").
api_error io_error(const boost::system::error_code& ec, std::string_view what);

class http_connection {
 public:
  using plain_stream = boost::beast::tcp_stream;
  using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  // Resolve, connect and, with `tls` non-null, handshake (SNI, peer and host/IP verification);
  // each step bounded by `timeout`.
  static boost::asio::awaitable<api_result<std::unique_ptr<http_connection>>> open(
      boost::asio::any_io_executor executor, const api_url& url, boost::asio::ssl::context* tls,
      std::chrono::milliseconds timeout);

  // Runs `op(stream)` (a Beast async call taking util::nothrow_awaitable) on whichever stream this
  // connection has, after arming the timeout.
  template <class Op>
  boost::asio::awaitable<std::tuple<boost::system::error_code, std::size_t>> run(Op op) {
    plain().expires_after(timeout_);
    if (tls_) co_return co_await op(*tls_);
    co_return co_await op(*plain_);
  }

  boost::beast::flat_buffer& buffer() noexcept { return buffer_; }
  boost::asio::ip::tcp::socket& socket() noexcept { return plain().socket(); }

  // For read_body (http_body_reader.hpp): reads what has already arrived into `into`, without
  // waiting (decrypted, with TLS), until it is full (no error), nothing more has arrived
  // (would_block) or the stream fails; returns the bytes read before that.
  std::size_t read_arrived(boost::asio::mutable_buffer into, boost::system::error_code& ec);
  // Waits until bytes (or an error) arrive; cancelled by the socket's cancel().
  boost::asio::awaitable<std::tuple<boost::system::error_code>> wait_readable();
  // The buffer bodies are read into, kept for the connection's next reply.
  std::vector<char>& body_buffer();
  // Bytes read past the end of a reply: put back where pending_input() sees them.
  void unread(const char* data, std::size_t size);
  bool reused() const noexcept { return reused_; }
  void mark_reused() noexcept { reused_ = true; }
  // What waits to be read. Anything after a complete reply (a second response, the rest of a
  // body longer than its Content-Length) would be read as the reply to the next request, so
  // only a quiet connection is reused. Checks the read buffer, TLS's buffers and the socket
  // (a non-blocking peek). TLS 1.3 session tickets come before the first reply's bytes, so
  // reading a reply consumes them: they do not make a connection look busy.
  enum class input { quiet, unread_bytes, closed };
  input pending_input() noexcept;
  bool quiet() noexcept { return pending_input() == input::quiet; }
  void close() noexcept;

 private:
  explicit http_connection(std::chrono::milliseconds timeout) : timeout_(timeout) {}
  plain_stream& plain() noexcept;

  std::chrono::milliseconds timeout_;
  std::optional<plain_stream> plain_;
  std::optional<tls_stream> tls_;
  boost::beast::flat_buffer buffer_;
  std::vector<char> body_buffer_;
  bool reused_ = false;
};

}  // namespace voxo::api::detail

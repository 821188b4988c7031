#include "api/http_connection.hpp"

#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <openssl/bio.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace voxo::api::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

api_error io_error(const boost::system::error_code& ec, std::string_view what) {
  if (ec == beast::error::timeout) return {api_errc::timeout, 0, {}, std::string(what) + " timed out"};
  if (ec == net::error::operation_aborted) return {api_errc::cancelled, 0, {}, std::string(what) + " cancelled"};
  return {api_errc::transport, 0, {}, std::string(what) + " failed: " + ec.message()};
}

namespace {

using resolve_result = std::tuple<boost::system::error_code, tcp::resolver::results_type>;

// tcp::resolver has no timeout of its own: race it against a timer.
// Parameters by reference and the operations as named locals: nothing of class type is a
// temporary of a co_await (g++ 12 may destroy those twice, issue #12).
net::awaitable<resolve_result> resolve(const net::any_io_executor& ex, const api_url& url,
                                       std::chrono::milliseconds timeout) {
  using namespace net::experimental::awaitable_operators;
  tcp::resolver resolver(ex);
  net::steady_timer timer(ex, timeout);
  const std::string port = std::to_string(url.port);
  auto resolving = resolver.async_resolve(url.host, port, tcp::resolver::numeric_service, util::nothrow_awaitable);
  auto expiring = timer.async_wait(util::nothrow_awaitable);
  // co_await-ok: moved-from awaitables own nothing (every co_await moves its awaitable so)
  auto outcome = co_await (std::move(resolving) || std::move(expiring));
  if (outcome.index() == 1) co_return resolve_result{beast::error::timeout, {}};
  co_return std::get<0>(std::move(outcome));
}

// Peer verification against the trust store, and the name (or IP) the URL asked for, so a
// certificate for another host is refused. OpenSSL's own check runs first and records why
// it failed (for the error message); host_name_verification handles IP literals in 1.81.
void configure_verification(http_connection::tls_stream& stream, const api_url& url) {
  SSL* handle = stream.native_handle();
  X509_VERIFY_PARAM* param = SSL_get0_param(handle);
  if (url.host_is_ip()) {
    X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str());
  } else {
    SSL_set_tlsext_host_name(handle, url.host.c_str());
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), url.host.size());
  }
  stream.set_verify_mode(ssl::verify_peer);
  stream.set_verify_callback(ssl::host_name_verification(url.host));
}

}  // namespace

net::awaitable<api_result<std::unique_ptr<http_connection>>> http_connection::open(net::any_io_executor ex,
                                                                                   const api_url& url,
                                                                                   ssl::context* tls,
                                                                                   std::chrono::milliseconds timeout) {
  std::unique_ptr<http_connection> conn(new http_connection(timeout));
  auto [rec, endpoints] = co_await resolve(ex, url, timeout);
  if (rec) co_return io_error(rec, "resolve " + url.host);

  if (tls) {
    conn->tls_.emplace(ex, *tls);
    configure_verification(*conn->tls_, url);
  } else {
    conn->plain_.emplace(ex);
  }
  conn->plain().expires_after(timeout);
  auto [cec, ep] = co_await conn->plain().async_connect(endpoints, util::nothrow_awaitable);
  (void)ep;
  if (cec) co_return io_error(cec, "connect to " + url.origin());
  boost::system::error_code ignored;
  conn->plain().socket().set_option(tcp::no_delay(true), ignored);
  // Asio's async operations work the same in this mode, and read_arrived() needs it: a read
  // with nothing to read then fails with would_block instead of blocking.
  conn->plain().socket().non_blocking(true, ignored);

  if (tls) {
    conn->plain().expires_after(timeout);
    auto [hec] = co_await conn->tls_->async_handshake(ssl::stream_base::client, util::nothrow_awaitable);
    if (hec) {
      long verify = SSL_get_verify_result(conn->tls_->native_handle());
      if (hec != beast::error::timeout && verify != X509_V_OK)
        co_return api_error{
            api_errc::transport,
            0,
            {},
            "TLS certificate verification failed for " + url.origin() + ": " + X509_verify_cert_error_string(verify)};
      co_return io_error(hec, "TLS handshake with " + url.origin());
    }
  }
  co_return conn;
}

http_connection::plain_stream& http_connection::plain() noexcept {
  return tls_ ? beast::get_lowest_layer(*tls_) : *plain_;
}

http_connection::input http_connection::pending_input() noexcept {
  if (buffer_.size() > 0) return input::unread_bytes;
  if (tls_) {
    // Decrypted or still encrypted: OpenSSL's record buffer and the BIO Asio feeds it from.
    SSL* handle = tls_->native_handle();
    if (SSL_has_pending(handle) == 1 || BIO_ctrl_pending(SSL_get_rbio(handle)) > 0) return input::unread_bytes;
  }
  auto& socket = plain().socket();
  if (!socket.is_open()) return input::closed;
  char byte = 0;
  const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return input::unread_bytes;
  if (n == 0) return input::closed;
  return errno == EAGAIN || errno == EWOULDBLOCK ? input::quiet : input::closed;  // else e.g. a reset
}

std::size_t http_connection::read_arrived(net::mutable_buffer into, boost::system::error_code& ec) {
  std::size_t got = 0;
  ec = {};
  while (into.size() > 0) {
    // A TLS read returns at most one record (16 KiB): the loop gathers many per call.
    const std::size_t n = tls_ ? tls_->read_some(into, ec) : plain_->socket().read_some(into, ec);
    got += n;
    into += n;
    if (ec) break;
  }
  return got;
}

net::awaitable<std::tuple<boost::system::error_code>> http_connection::wait_readable() {
  co_return co_await socket().async_wait(tcp::socket::wait_read, util::nothrow_awaitable);
}

std::vector<char>& http_connection::body_buffer() {
  constexpr std::size_t body_read_bytes = 256 * 1024;  // per read: the parser's pace, not the socket's
  if (body_buffer_.size() < body_read_bytes) body_buffer_.resize(body_read_bytes);
  return body_buffer_;
}

void http_connection::unread(const char* data, std::size_t size) {
  if (size == 0) return;
  auto space = buffer_.prepare(size);
  std::memcpy(space.data(), data, size);
  buffer_.commit(size);
}

void http_connection::close() noexcept {
  boost::system::error_code ignored;
  plain().socket().shutdown(tcp::socket::shutdown_both, ignored);
  plain().socket().close(ignored);
}

}  // namespace voxo::api::detail

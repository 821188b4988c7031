// One connection: optional TLS handshake, then requests until close, each bounded by the
// limits and timeouts in server_options.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <limits>
#include <optional>
#include <tuple>
#include <type_traits>

#include "http/router.hpp"
#include "http/server_state.hpp"
#include "util/asio.hpp"
#include "util/log.hpp"

namespace voxo::http::detail {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = net::ip::tcp;

using util::nothrow_awaitable;
constexpr std::size_t first_read_bytes = 4096;
constexpr std::size_t max_drain_bytes = 64 * 1024;
constexpr auto linger_timeout = std::chrono::seconds{1};

// The connection's entry in the server's connection table: lets server::stop() and eviction
// close it while it waits on any operation, and tells eviction what it is doing.
class registration {
 public:
  registration(server_state& s, beast::tcp_stream& stream, const client_key& client)
      : state_(s), id_(s.connections.add(client, [&stream] {
          beast::error_code ignored;
          stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
          stream.close();
        })) {}
  ~registration() { state_.connections.remove(id_); }
  registration(const registration&) = delete;
  registration& operator=(const registration&) = delete;

  void phase(connection_phase p) { state_.connections.set_phase(id_, p); }

 private:
  server_state& state_;
  connection_table::id id_;
};

// The status to answer a failed read with; nullopt: just close (timeout, peer gone, stop).
std::optional<bhttp::status> status_for(const beast::error_code& ec) {
  if (ec == bhttp::error::header_limit) return bhttp::status::request_header_fields_too_large;
  if (ec == bhttp::error::body_limit) return bhttp::status::payload_too_large;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return std::nullopt;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category()) return bhttp::status::bad_request;
  return std::nullopt;
}

std::uint32_t clamp32(std::size_t n) {
  return static_cast<std::uint32_t>(std::min<std::size_t>(n, std::numeric_limits<std::uint32_t>::max()));
}

template <class Stream>
constexpr bool is_tls = !std::is_same_v<Stream, beast::tcp_stream>;

// Half-close, so the client reads the whole response, then (after an error, when the
// client may still be sending) read and discard briefly: closing with unread data would
// reset the connection and could destroy the response before the client reads it.
template <class Stream>
net::awaitable<void> close_gracefully(server_state& s, Stream& stream, bool drain) {
  if (s.stopped) co_return;
  auto& lowest = beast::get_lowest_layer(stream);
  lowest.expires_after(linger_timeout);
  if constexpr (is_tls<Stream>) {
    (void)drain;
    co_await stream.async_shutdown(nothrow_awaitable);
  } else {
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    if (ec || !drain) co_return;
    beast::flat_buffer sink;
    for (std::size_t total = 0; total < max_drain_bytes;) {
      auto [read_ec, n] = co_await stream.async_read_some(sink.prepare(4096), nothrow_awaitable);
      if (read_ec) break;
      total += n;
    }
  }
  lowest.close();
}

net::awaitable<bool> verify(std::shared_ptr<basic_auth> auth, std::string authorization) {
  co_return auth->verify(authorization);
}

enum class auth_result { ok, unauthorized, busy };

// Decrements the pending-check count however the check ends.
struct pending_check {
  std::size_t& count;
  explicit pending_check(std::size_t& c) : count(c) { ++count; }
  ~pending_check() { --count; }
  pending_check(const pending_check&) = delete;
  pending_check& operator=(const pending_check&) = delete;
};

net::awaitable<auth_result> authorized(server_state& s, const request& req) {
  if (!s.auth) co_return auth_result::ok;
  std::string header(req[bhttp::field::authorization]);
  if (s.auth->verified_recently(header)) co_return auth_result::ok;
  // The bcrypt queue is bounded: a flood of wrong passwords gets 429 at once instead of
  // making every later check wait behind it.
  if (s.pending_auth_checks >= s.options.max_pending_auth_checks) co_return auth_result::busy;
  pending_check pending(s.pending_auth_checks);
  // A coroutine function, not a capturing lambda coroutine: built with g++ 12, the
  // lambda's captures were freed twice when its frame ended (crash seen in tests).
  // Executor and coroutine are named locals, not temporaries of the co_await (issue #12).
  auto pool = s.auth_pool->get_executor();
  auto check = verify(s.auth, std::move(header));
  // co_await-ok: a moved-from awaitable owns nothing (every co_await moves its awaitable so)
  bool ok = co_await net::co_spawn(pool, std::move(check), net::use_awaitable);
  co_return ok ? auth_result::ok : auth_result::unauthorized;
}

net::awaitable<response> respond(server_state& s, const request& req) {
  auto auth = co_await authorized(s, req);
  if (auth == auth_result::busy) {
    response res =
        text_response(bhttp::status::too_many_requests, "Too many authentication checks in progress", req.version());
    res.set(bhttp::field::retry_after, "1");
    finalize_response(res, req);
    co_return res;
  }
  if (auth == auth_result::unauthorized) {
    response res = text_response(bhttp::status::unauthorized, "Unauthorized", req.version());
    res.set(bhttp::field::www_authenticate, "Basic realm=\"voxo_exporter\"");
    finalize_response(res, req);
    co_return res;
  }
  route_context ctx{s.exposition, s.status, s.options.telemetry_path, std::chrono::system_clock::now()};
  co_return handle_request(req, ctx);
}

template <class Stream>
net::awaitable<void> serve(server_state& s, Stream& stream, registration& reg) {
  auto& lowest = beast::get_lowest_layer(stream);
  beast::flat_buffer buffer;
  for (bool first = true;; first = false) {
    reg.phase(connection_phase::waiting);
    if (!first && buffer.size() == 0) {
      // Between requests only the idle timeout runs; the header clock starts at the first byte.
      lowest.expires_after(s.options.idle_timeout);
      auto [ec, n] = co_await stream.async_read_some(buffer.prepare(first_read_bytes), nothrow_awaitable);
      if (ec) co_return;
      buffer.commit(n);
    }
    // One deadline for the whole request, counted for the first one from the connection's
    // start (a silent new connection does not hold a slot for the idle timeout); async_read
    // does not extend it per byte.
    lowest.expires_after(s.options.read_header_timeout);
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(clamp32(s.options.max_header_bytes));
    parser.body_limit(s.options.max_body_bytes);
    beast::error_code ec;
    std::tie(ec, std::ignore) = co_await bhttp::async_read_header(stream, buffer, parser, nothrow_awaitable);
    if (!ec && !parser.is_done())
      std::tie(ec, std::ignore) = co_await bhttp::async_read(stream, buffer, parser, nothrow_awaitable);
    if (ec) {
      log::debug("http request not read", {{"err", ec.message()}});
      auto status = status_for(ec);
      if (!status) co_return;
      response res = text_response(*status, bhttp::obsolete_reason(*status), 11);
      res.keep_alive(false);
      reg.phase(connection_phase::writing);
      lowest.expires_after(s.options.write_timeout);
      auto [write_ec, n] = co_await bhttp::async_write(stream, res, nothrow_awaitable);
      reg.phase(connection_phase::closing);
      if (!write_ec) co_await close_gracefully(s, stream, true);
      co_return;
    }

    reg.phase(connection_phase::answering);
    request req = parser.release();
    response res = co_await respond(s, req);
    if (s.stopped) co_return;
    reg.phase(connection_phase::writing);
    lowest.expires_after(s.options.write_timeout);
    auto [write_ec, n] = co_await bhttp::async_write(stream, res, nothrow_awaitable);
    if (write_ec) co_return;
    if (!res.keep_alive()) {
      reg.phase(connection_phase::closing);
      co_await close_gracefully(s, stream, false);
      co_return;
    }
  }
}

net::awaitable<void> serve_connection(std::shared_ptr<server_state> s, tcp::socket socket, client_key client) {
  --s->starting_sessions;
  if (s->stopped) co_return;  // accepted just before stop(): close_all did not see it
  if (!s->tls) {
    beast::tcp_stream stream(std::move(socket));
    registration reg(*s, stream, client);
    co_await serve(*s, stream, reg);
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *s->tls);
  registration reg(*s, beast::get_lowest_layer(stream), client);  // waiting: the handshake is evictable
  beast::get_lowest_layer(stream).expires_after(s->options.tls_handshake_timeout);
  auto [ec] = co_await stream.async_handshake(net::ssl::stream_base::server, nothrow_awaitable);
  if (ec) {
    log::debug("TLS handshake failed", {{"err", ec.message()}});
    co_return;
  }
  co_await serve(*s, stream, reg);
}

}  // namespace

net::awaitable<void> run_session(std::shared_ptr<server_state> s, tcp::socket socket, client_key client) {
  try {
    auto serving = serve_connection(s, std::move(socket), client);  // by-value arguments: not in the co_await
    co_await std::move(serving);
  } catch (const std::exception& e) {
    log::warn("http session failed", {{"err", e.what()}});
  } catch (...) {
    log::warn("http session failed", {{"err", "unknown exception"}});
  }
}

}  // namespace voxo::http::detail

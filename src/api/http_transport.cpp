#include "api/http_transport.hpp"

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "api/retry_after.hpp"
#include "util/log.hpp"

namespace voxo::api::detail {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

namespace {
constexpr std::uint64_t error_body_limit = 64 * 1024;  // a non-2xx body is only drained this far
}  // namespace

struct http_transport::attempt_result {
  api_result<http_reply> reply;
  bool keep_alive = false;  // the connection may serve another request
  bool stale = false;       // failed before any reply byte: worth one retry on a fresh connection
};

http_transport::http_transport(net::any_io_executor executor, api_url url, net::ssl::context* tls,
                               std::chrono::milliseconds timeout, unsigned max_idle)
    : timeout_(timeout), pool_(std::move(executor), std::move(url), tls, timeout, max_idle) {}

net::awaitable<api_result<http_reply>> http_transport::send(const http::request<http::string_body>& req,
                                                            const body_consumer& consume, std::uint64_t max_body) {
  auto conn = pool_.take_idle();
  for (;;) {
    bool reused = conn != nullptr;
    if (!conn) {
      auto opened = co_await pool_.open_new();
      if (!opened) co_return opened.error();
      conn = std::move(*opened);
    }
    auto result = co_await attempt(*conn, req, consume, max_body);
    if (result.keep_alive) {
      // A complete reply followed by more bytes: whatever they are, they would be taken for
      // the reply to the next request on this connection.
      const auto after = conn->pending_input();
      if (after == http_connection::input::unread_bytes)
        log::warn("the API sent bytes after a complete reply; closing the connection");
      result.keep_alive = after == http_connection::input::quiet;
    }
    if (result.keep_alive) {
      pool_.give_back(std::move(conn));
    } else {
      conn->close();
      conn.reset();
    }
    if (reused && result.stale) continue;  // conn is null now: the retry opens a fresh one
    co_return std::move(result.reply);
  }
}

net::awaitable<http_transport::attempt_result> http_transport::attempt(http_connection& conn,
                                                                       const http::request<http::string_body>& req,
                                                                       const body_consumer& consume,
                                                                       std::uint64_t max_body) {
  auto [wec, written] = co_await conn.run([&](auto& s) { return http::async_write(s, req, util::nothrow_awaitable); });
  (void)written;
  if (wec) co_return attempt_result{io_error(wec, "send request"), false, wec != beast::error::timeout};

  reply_parser parser;
  parser.body_limit(boost::none);  // enforced below, with the limit that applies to this status
  auto [hec, hn] = co_await conn.run(
      [&](auto& s) { return http::async_read_header(s, conn.buffer(), parser, util::nothrow_awaitable); });
  (void)hn;
  if (hec) {
    bool nothing = !parser.got_some() && hec != beast::error::timeout && hec != net::error::operation_aborted;
    co_return attempt_result{io_error(hec, "read reply header"), false, nothing};
  }

  http_reply reply;
  reply.status = parser.get().result_int();
  bool success = reply.status / 100 == 2;
  std::uint64_t limit = success ? max_body : error_body_limit;
  if (auto it = parser.get().find(http::field::retry_after); it != parser.get().end())
    reply.retry_after = parse_retry_after(it->value(), std::chrono::system_clock::now());

  if (auto length = parser.content_length(); length && *length > limit) {
    if (success)
      co_return attempt_result{
          api_error{api_errc::too_large,
                    0,
                    {},
                    "reply of " + std::to_string(*length) + " bytes is over api.max_response_bytes"},
          false, false};
    co_return attempt_result{reply, false, false};  // not worth draining: drop the connection
  }

  auto& body = parser.get().body();
  body.consume = success ? &consume : nullptr;
  body.limit = limit;
  const auto rec = co_await read_body(conn, parser, timeout_);
  reply.body_bytes = body.bytes;
  if (body.stopped == piece_body::value_type::stop::over_limit) {
    if (success)
      co_return attempt_result{api_error{api_errc::too_large, 0, {}, "reply passed api.max_response_bytes"}, false,
                               false};
    co_return attempt_result{reply, false, false};
  }
  if (body.stopped == piece_body::value_type::stop::refused)
    co_return attempt_result{api_error{api_errc::bad_payload, 0, {}, "reply body rejected"}, false, false};
  if (rec) {
    if (rec == beast::error::timeout || rec == net::error::operation_aborted)
      co_return attempt_result{io_error(rec, "read reply body"), false, false};
    if (!success) co_return attempt_result{reply, false, false};  // the status is what matters
    co_return attempt_result{
        api_error{api_errc::bad_payload,
                  0,
                  {},
                  "reply cut short after " + std::to_string(reply.body_bytes) + " body bytes: " + rec.message()},
        false, false};
  }
  co_return attempt_result{reply, parser.keep_alive(), false};
}

}  // namespace voxo::api::detail

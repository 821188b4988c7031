#pragma once
// Sends one request over the keep-alive pool and streams the reply body: the part of the
// client that knows HTTP but nothing about VOXO. A request on a reused connection that fails
// before any reply byte is sent once more on a fresh connection (the server may have closed
// the idle connection). A connection with anything unread after a complete reply (a second
// response, a body longer than its Content-Length) is closed, never reused: those bytes would
// be read as the reply to the next request (issue #13).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "api/api_error.hpp"
#include "api/connection_pool.hpp"
#include "api/http_body_reader.hpp"

namespace voxo::api::detail {

struct http_reply {
  unsigned status = 0;
  std::optional<std::chrono::seconds> retry_after;  // from Retry-After, when present and valid
  std::uint64_t body_bytes = 0;
};

class http_transport {
 public:
  http_transport(boost::asio::any_io_executor executor, api_url url, boost::asio::ssl::context* tls,
                 std::chrono::milliseconds timeout, unsigned max_idle);

  // A 2xx body goes to `consume` (over `max_body` bytes -> too_large; consumer refusal ->
  // bad_payload "reply body rejected", which the caller should reword). Other bodies are read
  // up to a small bound and dropped. The error never holds request headers.
  boost::asio::awaitable<api_result<http_reply>> send(
      const boost::beast::http::request<boost::beast::http::string_body>& req, const body_consumer& consume,
      std::uint64_t max_body);

  std::size_t idle_connections() const noexcept { return pool_.idle_count(); }

 private:
  struct attempt_result;
  boost::asio::awaitable<attempt_result> attempt(
      http_connection& conn, const boost::beast::http::request<boost::beast::http::string_body>& req,
      const body_consumer& consume, std::uint64_t max_body);
  std::chrono::milliseconds timeout_;
  connection_pool pool_;
};

}  // namespace voxo::api::detail

#pragma once
// Routing: a pure function from a parsed request to a response, apart from socket I/O so
// every path is unit-testable without sockets. Authentication happens before this.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <string_view>

#include "http/shared_body.hpp"
#include "http/status_source.hpp"
#include "metrics/exposition.hpp"

namespace voxo::http {

using request = boost::beast::http::request<boost::beast::http::string_body>;
using response = boost::beast::http::response<shared_body>;

struct route_context {
  metrics::exposition_source* exposition = nullptr;  // null: /metrics answers 503
  const status_source* status = nullptr;             // null: no tenants, ready
  std::string_view telemetry_path = "/metrics";
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

// GET/HEAD on the telemetry path, `/`, `/-/healthy`, `/-/ready`; 404 and 405 otherwise.
// HEAD answers the same headers as GET (Content-Length included) with an empty body.
// keep-alive is copied from the request.
response handle_request(const request& req, const route_context& ctx);

// A small text/plain response (errors, 401), Content-Length set.
response text_response(boost::beast::http::status status, std::string_view text, unsigned version);

// What every response gets before it is sent (handle_request applies it): Cache-Control:
// no-store, keep-alive as the request asks, Content-Length, and for HEAD an empty body
// that keeps the GET Content-Length.
void finalize_response(response& res, const request& req);

}  // namespace voxo::http

#pragma once
// Helpers for the socket tests in tests/http: a server running on its own thread and a
// blocking client whose every operation has a deadline (a broken server fails a test with
// a timeout error instead of hanging it).

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <type_traits>

#include "fakes.hpp"
#include "http/server.hpp"

namespace voxo::http::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;

class running_server {
 public:
  explicit running_server(server_options options = {}, std::string_view address = "127.0.0.1:0")
      : exposition_(std::make_shared<fake_exposition>()), status_(std::make_shared<fake_status>()) {
    status_->is_ready = true;
    server_ = std::make_unique<http::server>(ioc_.get_executor(), std::move(options), *exposition_, *status_);
    server_->listen(address);
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~running_server() {
    server_->stop();
    work_.reset();
    thread_.join();
    server_.reset();
  }
  running_server(const running_server&) = delete;
  running_server& operator=(const running_server&) = delete;

  std::uint16_t port() const { return server_->port(); }
  void stop() { server_->stop(); }
  fake_exposition& exposition() const { return *exposition_; }

 private:
  net::io_context ioc_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_{ioc_.get_executor()};
  std::shared_ptr<fake_exposition> exposition_;
  std::shared_ptr<fake_status> status_;
  std::unique_ptr<http::server> server_;
  std::thread thread_;
};

using response = bhttp::response<bhttp::string_body>;

inline bhttp::request<bhttp::empty_body> get_request(std::string target, bhttp::verb verb = bhttp::verb::get) {
  bhttp::request<bhttp::empty_body> req{verb, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  return req;
}

// Stream: beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>.
template <class Stream = beast::tcp_stream>
class client {
 public:
  static constexpr bool tls = !std::is_same_v<Stream, beast::tcp_stream>;

  client() requires(!tls) : stream_(ioc_) {}
  explicit client(net::ssl::context& ctx) requires(tls) : stream_(ioc_, ctx) {}

  beast::error_code connect(std::uint16_t port, const char* host = "127.0.0.1") {
    net::ip::tcp::endpoint ep(net::ip::make_address(host), port);
    return run([&](auto done) { beast::get_lowest_layer(stream_).async_connect(ep, done); });
  }

  beast::error_code handshake() requires(tls) {
    SSL_set_tlsext_host_name(stream_.native_handle(), "localhost");
    stream_.set_verify_callback(net::ssl::host_name_verification("localhost"));
    return run([&](auto done) { stream_.async_handshake(net::ssl::stream_base::client, done); });
  }

  beast::error_code write(const std::string& raw) {
    return run([&](auto done) { net::async_write(stream_, net::buffer(raw), done); });
  }

  template <class Request>
  beast::error_code send(Request& req) {
    return run([&](auto done) { bhttp::async_write(stream_, req, done); });
  }

  beast::error_code read(response& res, bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.skip(head);
    auto ec = run([&](auto done) { bhttp::async_read(stream_, buffer_, parser, done); });
    if (!ec) res = parser.release();
    return ec;
  }

  // Sends a GET (or HEAD) and reads the answer.
  beast::error_code request(const std::string& target, response& res, bhttp::verb verb = bhttp::verb::get,
                            const std::string& authorization = {}) {
    auto req = get_request(target, verb);
    if (!authorization.empty()) req.set(bhttp::field::authorization, authorization);
    if (auto ec = send(req)) return ec;
    return read(res, verb == bhttp::verb::head);
  }

  // Sends a GET that accepts gzip and reads the answer.
  beast::error_code request_gzip(const std::string& target, response& res) {
    auto req = get_request(target);
    req.set(bhttp::field::accept_encoding, "gzip");
    if (auto ec = send(req)) return ec;
    return read(res);
  }

  // Reads until the server closes; returns how it ended (eof or reset: closed;
  // beast::error::timeout: still open after the deadline).
  beast::error_code wait_closed() {
    char scratch[4096];
    for (;;) {
      auto ec = run([&](auto done) { stream_.async_read_some(net::buffer(scratch), done); });
      if (ec) return ec;
    }
  }

  void close() { beast::get_lowest_layer(stream_).close(); }

 private:
  template <class Start>
  beast::error_code run(Start start) {
    beast::error_code result;
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds{10});
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    ioc_.restart();
    ioc_.run();
    return result;
  }

  net::io_context ioc_;
  Stream stream_;
  beast::flat_buffer buffer_;
};

using tls_client = client<beast::ssl_stream<beast::tcp_stream>>;

// Gives `srv` an exposition of `series` voxo_calls_total lines (sent in parts when large)
// and returns the whole text a scrape must get.
inline std::string set_large_exposition(running_server& srv, int series) {
  std::string data;
  for (int i = 0; i < series; ++i) data += "voxo_calls_total{tenant=\"" + std::to_string(i) + "\"} 1\n";
  srv.exposition().set(data, "process_open_fds 9\n");
  return data + "process_open_fds 9\n";
}

inline bool closed_by_peer(const beast::error_code& ec) {
  // end_of_stream: Beast's name for an EOF before the first byte of a response.
  return ec == net::error::eof || ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == net::ssl::error::stream_truncated || ec == bhttp::error::end_of_stream;
}

}  // namespace voxo::http::test

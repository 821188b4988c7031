#include "support/fake_api_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <mutex>
#include <thread>

namespace voxo::test {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

namespace {

constexpr auto nothrow = net::as_tuple(net::use_awaitable);

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool has_header(const scripted_response& r, const std::string& name) {
  return std::any_of(r.headers.begin(), r.headers.end(), [&](auto& h) { return lower(h.first) == name; });
}

// The response as the pieces to write, each its own write (so chunks arrive as pieces).
std::vector<std::string> render(const scripted_response& r, bool keep_alive) {
  std::string head = "HTTP/1.1 " + std::to_string(r.status) + " " +
                     std::string(http::obsolete_reason(http::int_to_status(r.status))) + "\r\n";
  if (!has_header(r, "content-type")) head += "Content-Type: application/json\r\n";
  for (auto& [name, value] : r.headers) head += name + ": " + value + "\r\n";
  if (r.chunk_size > 0) head += "Transfer-Encoding: chunked\r\n";
  else head += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  if (r.close_after || !keep_alive) head += "Connection: close\r\n";
  head += "\r\n";
  std::vector<std::string> pieces{head};
  if (r.chunk_size == 0) {
    pieces.back() += r.body;
    return pieces;
  }
  for (std::size_t at = 0; at < r.body.size(); at += r.chunk_size) {
    std::string part = r.body.substr(at, r.chunk_size);
    char size[32];
    std::snprintf(size, sizeof size, "%zx\r\n", part.size());
    pieces.push_back(size + part + "\r\n");
  }
  pieces.push_back("0\r\n\r\n");
  return pieces;
}

}  // namespace

std::string received_request::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

struct fake_api_server::impl {
  // Declared so that sessions (destroyed with ioc) go before the TLS context they use.
  std::optional<ssl::context> tls;
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  unsigned short port = 0;
  std::thread thread;

  mutable std::mutex mutex;
  std::map<std::string, std::deque<scripted_response>> queued;
  std::map<std::string, scripted_response> fallback;
  std::vector<received_request> log;
  std::size_t accepted = 0;

  scripted_response next(const std::string& path) {
    std::lock_guard lock(mutex);
    if (auto it = queued.find(path); it != queued.end() && !it->second.empty()) {
      auto r = std::move(it->second.front());
      it->second.pop_front();
      return r;
    }
    if (auto it = fallback.find(path); it != fallback.end()) return it->second;
    return scripted_response{404, R"({"name":"NotFound","message":"no script for this path","code":404})"};
  }

  void record(const http::request<http::string_body>& req) {
    received_request r{std::string(req.method_string()), std::string(req.target()), {}, req.body()};
    for (auto& field : req) r.headers[lower(std::string(field.name_string()))] = std::string(field.value());
    std::lock_guard lock(mutex);
    log.push_back(std::move(r));
  }

  template <class Stream>
  net::awaitable<void> serve(Stream& stream) {
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      auto [ec, n] = co_await http::async_read(stream, buffer, req, nothrow);
      if (ec) co_return;
      record(req);
      std::string target(req.target());
      auto r = next(target.substr(0, target.find('?')));
      if (r.delay.count() > 0) {
        net::steady_timer timer(ioc, r.delay);
        co_await timer.async_wait(nothrow);
      }
      if (r.close_without_answer) co_return;
      std::size_t budget = r.truncate_after.value_or(SIZE_MAX);
      for (auto& piece : render(r, req.keep_alive())) {
        std::size_t len = std::min(budget, piece.size());
        auto [wec, wn] = co_await net::async_write(stream, net::buffer(piece.data(), len), nothrow);
        budget -= len;
        if (wec || budget == 0) co_return;
      }
      if (r.close_after || r.hang_up_after || !req.keep_alive()) co_return;
    }
  }

  net::awaitable<void> session(tcp::socket socket) {
    if (!tls) {
      co_await serve(socket);
    } else {
      ssl::stream<tcp::socket> stream(std::move(socket), *tls);
      auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, nothrow);
      if (!ec) co_await serve(stream);
      boost::system::error_code ignored;
      stream.lowest_layer().close(ignored);
      co_return;
    }
    boost::system::error_code ignored;
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  net::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(nothrow);
      if (ec) co_return;
      {
        std::lock_guard lock(mutex);
        ++accepted;
      }
      net::co_spawn(ioc, session(std::move(socket)), net::detached);
    }
  }
};

fake_api_server::fake_api_server(std::optional<util::pem_bundle> pki) : impl_(std::make_unique<impl>()) {
  if (pki) {
    impl_->tls.emplace(ssl::context::tls_server);
    impl_->tls->use_certificate_chain(net::buffer(pki->cert));
    impl_->tls->use_private_key(net::buffer(pki->key), ssl::context::pem);
  }
  tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  net::co_spawn(impl_->ioc, impl_->accept_loop(), net::detached);
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

fake_api_server::~fake_api_server() {
  impl_->ioc.stop();
  impl_->thread.join();
}

void fake_api_server::enqueue(const std::string& path, scripted_response response) {
  std::lock_guard lock(impl_->mutex);
  impl_->queued[path].push_back(std::move(response));
}

void fake_api_server::always(const std::string& path, scripted_response response) {
  std::lock_guard lock(impl_->mutex);
  impl_->fallback[path] = std::move(response);
}

unsigned short fake_api_server::port() const { return impl_->port; }

std::string fake_api_server::base_url() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port());
}

std::vector<received_request> fake_api_server::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->log;
}

std::vector<received_request> fake_api_server::requests(const std::string& path) const {
  std::vector<received_request> out;
  for (auto& r : requests())
    if (r.target.substr(0, r.target.find('?')) == path) out.push_back(r);
  return out;
}

std::size_t fake_api_server::connections_accepted() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->accepted;
}

}  // namespace voxo::test

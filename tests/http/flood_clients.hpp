#pragma once
// Hostile clients for the flood tests: on their own thread, each holds a connection to the
// server its own way and reconnects as soon as the server closes it, so the pressure never
// lets up (after 20 ms, so the test measures the server, not a connect storm on a shared
// machine; bench/flood.py reconnects at once). The kinds are what an attacker (or a broken
// client) does to a connection cap.

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace voxo::http::test {

// "Basic " + base64("user:password").
inline std::string basic_authorization(const std::string& user, const std::string& password) {
  namespace b64 = boost::beast::detail::base64;
  std::string plain = user + ":" + password;
  std::string out(b64::encoded_size(plain.size()), '\0');
  out.resize(b64::encode(out.data(), plain.data(), plain.size()));
  return "Basic " + out;
}

enum class flooder {
  idle,            // connects and sends nothing
  slow_header,     // trickles a header, one byte every 100 ms
  kept_alive,      // one request, then keeps the connection open and silent
  wrong_password,  // requests /metrics with a new wrong password each time, without pause
};

class flood {
 public:
  struct group {
    flooder kind;
    int clients;
  };

  flood(std::uint16_t port, std::vector<group> groups) : endpoint_(boost::asio::ip::make_address("127.0.0.1"), port) {
    for (const auto& g : groups)
      for (int i = 0; i < g.clients; ++i) {
        ++clients_;
        auto client = run_client(g.kind);
        boost::asio::co_spawn(ioc_, std::move(client), boost::asio::detached);
      }
    thread_ = std::thread([this] { ioc_.run(); });
  }
  ~flood() {
    ioc_.stop();
    thread_.join();
  }
  flood(const flood&) = delete;
  flood& operator=(const flood&) = delete;

  // Waits (up to 5 s) until every client has connected once.
  bool wait_established() const {
    for (int i = 0; i < 500 && connects_ < clients_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds{10});
    return connects_ >= clients_;
  }
  std::uint64_t connects() const { return connects_; }
  std::uint64_t wrong_password_answers() const { return wrong_answers_; }

 private:
  boost::asio::awaitable<void> run_client(flooder kind) {
    namespace net = boost::asio;
    namespace bhttp = boost::beast::http;
    constexpr auto nothrow = net::as_tuple(net::use_awaitable);
    auto ex = co_await net::this_coro::executor;
    net::steady_timer pause(ex);
    for (std::uint64_t attempt = 0;; ++attempt) {
      if (attempt > 0) {  // a short pause before reconnecting: pressure, without a busy loop of connects
        pause.expires_after(std::chrono::milliseconds{20});
        co_await pause.async_wait(nothrow);
      }
      net::ip::tcp::socket socket(ex);
      auto [connect_ec] = co_await socket.async_connect(endpoint_, nothrow);
      if (connect_ec) {
        pause.expires_after(std::chrono::milliseconds{10});
        co_await pause.async_wait(nothrow);
        continue;
      }
      ++connects_;
      if (kind == flooder::slow_header) {
        const std::string header = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(10000, 'z');
        for (char byte : header) {
          auto one = net::buffer(&byte, 1);
          auto [ec, n] = co_await net::async_write(socket, one, nothrow);
          if (ec) break;
          pause.expires_after(std::chrono::milliseconds{100});
          co_await pause.async_wait(nothrow);
        }
        continue;
      }
      boost::beast::flat_buffer buffer;
      if (kind == flooder::kept_alive || kind == flooder::wrong_password) {
        for (std::uint64_t n = 0;; ++n) {
          std::string password = "wrong-" + std::to_string(attempt) + "-" + std::to_string(n);
          std::string request =
              "GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic_authorization("prometheus", password) +
              "\r\n\r\n";
          auto out = net::buffer(request);
          auto [write_ec, written] = co_await net::async_write(socket, out, nothrow);
          if (write_ec) break;
          bhttp::response<bhttp::string_body> res;
          auto [read_ec, got] = co_await bhttp::async_read(socket, buffer, res, nothrow);
          if (read_ec) break;
          if (kind == flooder::kept_alive) break;
          ++wrong_answers_;
        }
        if (kind == flooder::wrong_password) continue;
      }
      // idle, and kept_alive after its request: silent until the server closes.
      char scratch[256];
      for (;;) {
        auto in = net::buffer(scratch);
        auto [ec, n] = co_await socket.async_read_some(in, nothrow);
        if (ec) break;
      }
    }
  }

  boost::asio::ip::tcp::endpoint endpoint_;
  std::uint64_t clients_ = 0;
  std::atomic<std::uint64_t> connects_{0};
  std::atomic<std::uint64_t> wrong_answers_{0};
  boost::asio::io_context ioc_{1};
  std::thread thread_;
};

}  // namespace voxo::http::test

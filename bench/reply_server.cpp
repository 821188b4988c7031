// bench_reply_server: serves one prepared GET /call-reports reply from memory, over HTTP or
// HTTPS (TLS 1.3 only), for the end-to-end ingest benchmark (bench/ingest_e2e.py, issue #14).
// The reply is made before the port is published, so serving it costs the server a write per
// MiB and nothing else: what the benchmark measures is the client.
//   bench_reply_server --records N --port-file FILE [--tls-ca FILE] [--go-file FILE]
//                      [--events FILE]
//   --records     about this many records (the ingest benchmarks' shape), times in the hour
//                 that ended 2 minutes ago, so they fall into an exporter's first window
//   --tls-ca      serve HTTPS with a self-signed certificate for 127.0.0.1; its CA goes here
//   --go-file     each /call-reports request waits until this file exists (the caller reads
//                 the client's CPU time in between, then creates it; it removes it before the
//                 next client starts)
//   --events      appends "request|first_byte|last_byte <CLOCK_MONOTONIC seconds>" lines
// Every /call-reports request gets the reply; anything else gets 404. Until SIGTERM.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>

#include <openssl/ssl.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>

#include "reply_fixture.hpp"
#include "util/self_signed.hpp"

namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using namespace voxo;

struct args {
  std::size_t records = 200'000;
  std::string port_file, tls_ca, go_file, events;
};

args parse(int argc, char** argv) {
  args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string_view flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--records") a.records = std::stoul(value);
    else if (flag == "--port-file") a.port_file = value;
    else if (flag == "--tls-ca") a.tls_ca = value;
    else if (flag == "--go-file") a.go_file = value;
    else if (flag == "--events") a.events = value;
    else throw std::invalid_argument("unknown flag " + std::string(flag));
  }
  if (a.port_file.empty()) throw std::invalid_argument("--port-file is needed");
  return a;
}

class server {
 public:
  server(const args& a, std::string body) : args_(a), body_(std::move(body)) {}

  void event(const char* what) {
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    if (args_.events.empty()) return;
    std::lock_guard lock(events_mutex_);
    std::ofstream out(args_.events, std::ios::app);
    out << what << ' ' << std::fixed << t << '\n';
  }

  // One connection, keep-alive, blocking I/O.
  template <class Stream>
  void serve(Stream& s) {
    std::string in;
    char buf[4096];
    boost::system::error_code ec;
    for (;;) {
      std::size_t end;
      while ((end = in.find("\r\n\r\n")) == std::string::npos) {
        const std::size_t n = s.read_some(net::buffer(buf), ec);
        if (ec) return;
        in.append(buf, n);
      }
      const std::string head = in.substr(0, end);
      in.erase(0, end + 4);
      const bool reports = head.rfind("GET ", 0) == 0 && head.find("/call-reports") != std::string::npos;
      if (!reports) {
        const std::string_view nf = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
        net::write(s, net::buffer(nf), ec);
        if (ec) return;
        continue;
      }
      event("request");
      if (!args_.go_file.empty())
        while (!std::filesystem::exists(args_.go_file)) std::this_thread::sleep_for(std::chrono::milliseconds(2));
      const std::string header =
          "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body_.size()) +
          "\r\n\r\n";
      event("first_byte");
      net::write(s, net::buffer(header), ec);
      constexpr std::size_t step = 1 << 20;
      for (std::size_t at = 0; !ec && at < body_.size(); at += step)
        net::write(s, net::buffer(body_.data() + at, std::min(step, body_.size() - at)), ec);
      if (ec) return;
      event("last_byte");
    }
  }

  void run() {
    net::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(net::ip::make_address("127.0.0.1"), 0));
    std::optional<ssl::context> tls;
    if (!args_.tls_ca.empty()) {
      const auto pki = util::make_self_signed_pki({"127.0.0.1"});
      tls.emplace(ssl::context::tls_server);
      SSL_CTX_set_min_proto_version(tls->native_handle(), TLS1_3_VERSION);
      tls->use_certificate_chain(net::buffer(pki.cert));
      tls->use_private_key(net::buffer(pki.key), ssl::context::pem);
      std::ofstream(args_.tls_ca) << pki.ca_cert;
    }
    {
      std::ofstream port(args_.port_file + ".tmp");
      port << acceptor.local_endpoint().port() << '\n';
    }
    std::filesystem::rename(args_.port_file + ".tmp", args_.port_file);
    for (;;) {
      tcp::socket socket(io);
      acceptor.accept(socket);
      socket.set_option(tcp::no_delay(true));
      std::thread([this, s = std::move(socket), &tls]() mutable {
        if (!tls) return serve(s);
        ssl::stream<tcp::socket> stream(std::move(s), *tls);
        boost::system::error_code ec;
        stream.handshake(ssl::stream_base::server, ec);
        if (!ec) serve(stream);
      }).detach();
    }
  }

 private:
  const args& args_;
  std::string body_;
  std::mutex events_mutex_;
};

}  // namespace

int main(int argc, char** argv) {
  try {
    const auto a = parse(argc, argv);
    bench::reply_shape shape;
    shape.records = a.records;
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    shape.start = now - std::chrono::minutes{62};
    std::string body = bench::make_reply(shape);
    server s(a, std::move(body));
    s.run();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_reply_server: %s\n", e.what());
    return 2;
  }
}

#include "sim/simulator.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <thread>

#include "sim/records_body.hpp"
#include "sim/request_handler.hpp"
#include "sim/token_store.hpp"
#include "util/asio.hpp"
#include "util/log.hpp"
#include "util/self_signed.hpp"

namespace voxo::sim {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

namespace {

using util::nothrow_awaitable;
constexpr auto read_timeout = 30s;   // idle keep-alive connections are closed after this
constexpr auto write_timeout = 60s;  // per write (one chunk of a streamed reply)
constexpr std::size_t chunk_size = 64 * 1024;

std::function<std::chrono::system_clock::time_point()> clock_or_default(
    std::function<std::chrono::system_clock::time_point()> c) {
  if (c) return c;
  return [] { return std::chrono::system_clock::now(); };
}

void log_session_end(std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    log::warn("sim: session failed", {{"err", ex.what()}});
  } catch (...) {
    log::warn("sim: session failed");
  }
}

}  // namespace

struct simulator::impl {
  simulator_options options;
  std::function<std::chrono::system_clock::time_point()> clock;
  dataset data;
  token_store tokens;
  request_handler handler;
  std::string ca_pem;
  std::optional<ssl::context> tls;
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  unsigned short port = 0;
  bool running = false;

  explicit impl(simulator_options o)
      : options(std::move(o)),
        clock(clock_or_default(options.clock)),
        data(options.data, std::chrono::floor<std::chrono::seconds>(clock())),
        tokens(options.static_tokens),
        handler({options.email, options.password, options.token_lifetime}, data, tokens, options.faults,
                [c = clock] { return std::chrono::floor<std::chrono::seconds>(c()); }) {}

  net::awaitable<void> accept_loop() {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(nothrow_awaitable);
      if (ec) {
        if (!acceptor.is_open() || ec == net::error::operation_aborted) co_return;
        log::warn("sim: accept failed", {{"err", ec.message()}});
        net::steady_timer pause(ioc, 100ms);  // e.g. out of descriptors: don't spin
        co_await pause.async_wait(nothrow_awaitable);
        continue;
      }
      if (tls) net::co_spawn(ioc, tls_session(std::move(socket)), log_session_end);
      else net::co_spawn(ioc, plain_session(std::move(socket)), log_session_end);
    }
  }

  net::awaitable<void> plain_session(tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    if (co_await serve(stream)) {
      beast::error_code ec;
      stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    }
  }

  net::awaitable<void> tls_session(tcp::socket socket) {
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls);
    beast::get_lowest_layer(stream).expires_after(read_timeout);
    auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, nothrow_awaitable);
    if (ec) co_return;
    if (co_await serve(stream)) {
      beast::get_lowest_layer(stream).expires_after(5s);
      co_await stream.async_shutdown(nothrow_awaitable);
    }
  }

  // Serves requests until the peer or a fault ends the connection. True if a graceful
  // close is in order, false if the connection was dropped on purpose or broke.
  template <class Stream>
  net::awaitable<bool> serve(Stream& stream) {
    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(1 << 20);
      beast::get_lowest_layer(stream).expires_after(read_timeout);
      auto [ec, n] = co_await http::async_read(stream, buffer, parser, nothrow_awaitable);
      if (ec) co_return ec == http::error::end_of_stream;
      const auto& req = parser.get();
      const std::string_view method = req.method_string();
      const std::string_view target = req.target();
      reply r = handler.handle({method, target, req[http::field::authorization], req.body()});
      log::debug(
          "sim: request",
          {{"method", method}, {"path", target.substr(0, target.find('?'))}, {"status", std::to_string(r.status)}});
      if (r.injected && r.injected->kind == fault_kind::slow) {
        net::steady_timer delay(ioc, r.injected->arg);
        co_await delay.async_wait(nothrow_awaitable);
      }
      if (r.injected && r.injected->kind == fault_kind::reset) {
        beast::get_lowest_layer(stream).close();
        co_return false;
      }
      const bool keep_alive = req.keep_alive();
      const unsigned version = req.version();
      if (!co_await write_reply(stream, r, version, keep_alive)) co_return false;
      if (!keep_alive) co_return true;
    }
  }

  template <class Stream>
  net::awaitable<bool> write_reply(Stream& stream, reply& r, unsigned version, bool keep_alive) {
    const bool truncate = r.injected && r.injected->kind == fault_kind::truncate;
    std::optional<records_body> producer;
    if (r.records) {
      producer.emplace(data, *r.records);
      // A truncated reply needs the full length up front; else only up to the threshold.
      producer->next(r.body, truncate ? std::numeric_limits<std::size_t>::max() : options.stream_threshold + 1);
    }
    const bool streamed = producer && !producer->done();
    if (streamed || (producer && r.body.size() > options.stream_threshold))
      co_return co_await write_chunked(stream, r, *producer, version, keep_alive);

    http::response<http::string_body> res{static_cast<http::status>(r.status), version};
    res.set(http::field::server, "voxo_sim");
    res.set(http::field::content_type, r.content_type);
    if (r.retry_after) res.set(http::field::retry_after, std::to_string(r.retry_after->count()));
    res.keep_alive(keep_alive && !truncate);
    res.body() = std::move(r.body);
    res.prepare_payload();
    beast::get_lowest_layer(stream).expires_after(write_timeout);
    if (truncate) {
      // Full Content-Length, half the body, then the connection drops.
      http::response_serializer<http::string_body> sr{res};
      auto [ec, n] = co_await http::async_write_header(stream, sr, nothrow_awaitable);
      const auto half = net::buffer(res.body().data(), res.body().size() / 2);
      if (!ec) co_await net::async_write(stream, half, nothrow_awaitable);
      beast::get_lowest_layer(stream).close();
      co_return false;
    }
    auto [ec, n] = co_await http::async_write(stream, res, nothrow_awaitable);
    co_return !ec;
  }

  template <class Stream>
  net::awaitable<bool> write_chunked(Stream& stream, reply& r, records_body& producer, unsigned version,
                                     bool keep_alive) {
    http::response<http::empty_body> res{static_cast<http::status>(r.status), version};
    res.set(http::field::server, "voxo_sim");
    res.set(http::field::content_type, r.content_type);
    res.keep_alive(keep_alive);
    res.chunked(true);
    http::response_serializer<http::empty_body> sr{res};
    beast::get_lowest_layer(stream).expires_after(write_timeout);
    if (auto [ec, n] = co_await http::async_write_header(stream, sr, nothrow_awaitable); ec) co_return false;
    std::string chunk = std::move(r.body);
    for (;;) {
      if (!chunk.empty()) {
        beast::get_lowest_layer(stream).expires_after(write_timeout);
        // Named, not a temporary of the co_await (a chunk holds a shared_ptr; issue #12).
        const auto piece = http::make_chunk(net::buffer(chunk));
        auto [ec, n] = co_await net::async_write(stream, piece, nothrow_awaitable);
        if (ec) co_return false;
      }
      if (producer.done()) break;
      chunk.clear();
      producer.next(chunk, chunk_size);
    }
    beast::get_lowest_layer(stream).expires_after(write_timeout);
    const auto last = http::make_chunk_last();
    auto [ec, n] = co_await net::async_write(stream, last, nothrow_awaitable);
    co_return !ec;
  }
};

simulator::simulator(simulator_options options) : impl_(std::make_unique<impl>(std::move(options))) {}

simulator::~simulator() { stop(); }

void simulator::start() {
  if (impl_->running) return;
  const auto address = net::ip::make_address(impl_->options.listen_address);
  if (impl_->options.tls) {
    auto pki = util::make_self_signed_pki({"127.0.0.1", "::1", "localhost", impl_->options.listen_address});
    impl_->tls.emplace(ssl::context::tls_server);
    impl_->tls->use_certificate_chain(net::buffer(pki.cert));
    impl_->tls->use_private_key(net::buffer(pki.key), ssl::context::pem);
    impl_->ca_pem = std::move(pki.ca_cert);
  }
  tcp::endpoint endpoint{address, impl_->options.port};
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  net::co_spawn(impl_->ioc, impl_->accept_loop(), [](std::exception_ptr e) {
    if (e) log::error("sim: accept loop ended");
  });
  impl_->running = true;
  impl_->thread = std::thread([this] {
    try {
      impl_->ioc.run();
    } catch (const std::exception& e) {
      log::error("sim: io thread failed", {{"err", e.what()}});
    }
  });
  log::info("sim: listening", {{"url", base_url()}});
}

void simulator::stop() {
  if (!impl_->running) return;
  impl_->running = false;
  net::post(impl_->ioc, [this] {
    beast::error_code ec;
    impl_->acceptor.close(ec);
    impl_->ioc.stop();
  });
  impl_->thread.join();
}

unsigned short simulator::port() const { return impl_->port; }

std::string simulator::base_url() const {
  std::string host = impl_->options.listen_address;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return (impl_->options.tls ? "https://" : "http://") + host + ":" + std::to_string(impl_->port);
}

const std::string& simulator::ca_cert_pem() const { return impl_->ca_pem; }
const dataset& simulator::data() const { return impl_->data; }
void simulator::expire_tokens() { impl_->tokens.revoke_all(); }

void simulator::switch_quality(long long tenant_id, quality_profile profile) {
  impl_->data.switch_quality(tenant_id, std::chrono::floor<std::chrono::seconds>(impl_->clock()), profile);
}

void simulator::set_faults(fault_schedule faults) { impl_->handler.set_faults(std::move(faults)); }

std::uint64_t simulator::request_count(const std::string& path) const { return impl_->handler.request_count(path); }

}  // namespace voxo::sim

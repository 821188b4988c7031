#include "support/hostile_api_server.hpp"

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
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <map>
#include <mutex>
#include <thread>

#include "sim/records_body.hpp"
#include "sim/request_handler.hpp"
#include "sim/token_store.hpp"

namespace voxo::test {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
namespace json = boost::json;
using tcp = net::ip::tcp;

std::string_view name(hostile_mode m) noexcept {
  switch (m) {
    case hostile_mode::none: return "none";
    case hostile_mode::extra_response: return "extra response after the body";
    case hostile_mode::lone_surrogate_ignored: return "lone surrogate in an ignored field";
    case hostile_mode::lone_surrogate_kept: return "lone surrogate in a kept field";
    case hostile_mode::huge_tenant_names: return "60 KB tenant names";
    case hostile_mode::trickle: return "trickle";
    case hostile_mode::long_content_length: return "Content-Length longer than the body";
    case hostile_mode::short_content_length: return "Content-Length shorter than the body";
    case hostile_mode::reset_mid_body: return "reset mid-body";
  }
  return "?";
}

namespace {

constexpr auto nothrow = net::as_tuple(net::use_awaitable);
constexpr std::size_t huge_name_bytes = 60 * 1024;

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

std::string_view mode_path(hostile_mode m) {
  return m == hostile_mode::huge_tenant_names ? "/tenants" : "/call-reports";
}

std::string head(unsigned status, const sim::reply& r, std::size_t content_length, bool keep_alive) {
  std::string h = "HTTP/1.1 " + std::to_string(status) + " " +
                  std::string(http::obsolete_reason(http::int_to_status(status))) + "\r\n";
  h += "Content-Type: " + r.content_type + "\r\n";
  if (r.retry_after) h += "Retry-After: " + std::to_string(r.retry_after->count()) + "\r\n";
  h += "Content-Length: " + std::to_string(content_length) + "\r\n";
  if (!keep_alive) h += "Connection: close\r\n";
  return h + "\r\n";
}

// `insert` right after the '{' of every element of the top-level array (strings skipped).
std::string into_each_record(const std::string& body, std::string_view insert) {
  std::string out;
  out.reserve(body.size() * 2);
  int depth = 0;
  bool in_string = false, escaped = false;
  for (char c : body) {
    out += c;
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '[' || c == '{') {
      if (c == '{' && depth == 1) out += insert;
      ++depth;
    } else if (c == ']' || c == '}') --depth;
  }
  return out;
}

std::string with_huge_names(const std::string& body) {
  boost::system::error_code ec;
  json::value v = json::parse(body, ec);
  if (ec || !v.is_array()) return body;
  for (auto& item : v.as_array())
    if (auto* o = item.if_object())
      if (auto* n = o->if_contains("name"); n && n->is_string()) {
        std::string huge(n->get_string());
        huge.resize(std::max(huge.size(), huge_name_bytes), 'x');
        *n = huge;
      }
  return json::serialize(v);
}

}  // namespace

struct hostile_api_server::impl {
  hostile_api_options options;
  sim::dataset data;
  sim::token_store tokens;
  sim::request_handler handler;
  // Declared so that sessions (destroyed with ioc) go before the TLS context they use.
  std::optional<ssl::context> tls;
  net::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  unsigned short port = 0;
  std::thread thread;

  mutable std::mutex mutex;
  hostile_mode mode = hostile_mode::none;
  std::size_t left = 0;
  std::size_t broken = 0;
  std::size_t accepted = 0;
  std::map<std::string, std::size_t, std::less<>> seen;

  explicit impl(hostile_api_options o)
      : options(std::move(o)),
        data(options.data),
        handler({options.email, options.password, std::chrono::seconds(86400)}, data, tokens, {},
                [] { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }) {}

  // The mode for this reply to `path` (one use of it spent), or none. Only a success is
  // broken: an error reply (a 401 before a new login) is answered as it is.
  hostile_mode take(std::string_view path, bool success) {
    std::lock_guard lock(mutex);
    ++seen[std::string(path)];
    if (!success || mode == hostile_mode::none || path != mode_path(mode)) return hostile_mode::none;
    const hostile_mode m = mode;
    if (--left == 0) mode = hostile_mode::none;
    ++broken;
    return m;
  }

  template <class Stream>
  net::awaitable<bool> write(Stream& stream, std::string_view bytes) {
    auto [ec, n] = co_await net::async_write(stream, net::buffer(bytes.data(), bytes.size()), nothrow);
    co_return !ec;
  }

  // Serves requests until the peer or the mode ends the connection.
  template <class Stream>
  net::awaitable<void> serve(Stream& stream, tcp::socket& socket) {
    boost::beast::flat_buffer buffer;
    for (;;) {
      http::request<http::string_body> req;
      auto [ec, n] = co_await http::async_read(stream, buffer, req, nothrow);
      if (ec) co_return;
      const std::string_view method = req.method_string();
      const std::string_view target = req.target();
      sim::reply r = handler.handle({method, target, req[http::field::authorization], req.body()});
      std::string body = std::move(r.body);
      if (r.records) {
        sim::records_body producer(data, *r.records);
        while (producer.next(body, std::size_t{1} << 20)) {
        }
      }
      const bool keep_alive = req.keep_alive();
      const hostile_mode m = take(path_of(target), r.status / 100 == 2);
      switch (m) {
        case hostile_mode::lone_surrogate_ignored: body = into_each_record(body, R"("callerIdName":"\ud800",)"); break;
        case hostile_mode::lone_surrogate_kept:
          if (auto at = body.find(R"("id":")"); at != std::string::npos) body.insert(at + 6, R"(\ud800)");
          break;
        case hostile_mode::huge_tenant_names: body = with_huge_names(body); break;
        default: break;
      }
      std::string reply = head(r.status, r, body.size(), keep_alive) + body;
      switch (m) {
        case hostile_mode::extra_response: {
          if (options.extra_response_delay.count() == 0) {
            const std::string twice = reply + reply;
            if (!co_await write(stream, twice)) co_return;
            break;
          }
          if (!co_await write(stream, reply)) co_return;
          net::steady_timer later(ioc, options.extra_response_delay);
          co_await later.async_wait(nothrow);
          if (!co_await write(stream, reply)) co_return;
          break;
        }
        case hostile_mode::trickle:
          for (std::size_t i = 0; i < reply.size(); ++i) {
            const std::string_view byte(reply.data() + i, 1);  // named: see the Coroutines rule
            if (!co_await write(stream, byte)) co_return;
            net::steady_timer gap(ioc, options.trickle_gap);
            co_await gap.async_wait(nothrow);
          }
          break;
        case hostile_mode::long_content_length: {
          const std::string lying = head(r.status, r, body.size() + 100, keep_alive) + body;
          co_await write(stream, lying);
          co_return;
        }
        case hostile_mode::short_content_length: {
          const std::string lying = head(r.status, r, body.size() / 2, keep_alive) + body;
          if (!co_await write(stream, lying)) co_return;
          break;
        }
        case hostile_mode::reset_mid_body: {
          const std::string half = head(r.status, r, body.size(), keep_alive) + body.substr(0, body.size() / 2);
          co_await write(stream, half);
          boost::system::error_code ignored;
          socket.set_option(net::socket_base::linger(true, 0), ignored);  // close() sends a RST
          socket.close(ignored);
          co_return;
        }
        default:
          if (!co_await write(stream, reply)) co_return;
      }
      if (!keep_alive) co_return;
    }
  }

  net::awaitable<void> session(tcp::socket socket) {
    if (!tls) {
      co_await serve(socket, socket);
    } else {
      ssl::stream<tcp::socket> stream(std::move(socket), *tls);
      auto [ec] = co_await stream.async_handshake(ssl::stream_base::server, nothrow);
      if (!ec) co_await serve(stream, stream.next_layer());
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

hostile_api_server::hostile_api_server(hostile_api_options options)
    : impl_(std::make_unique<impl>(std::move(options))) {
  if (const auto& pki = impl_->options.tls) {
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

hostile_api_server::~hostile_api_server() {
  impl_->ioc.stop();
  impl_->thread.join();
}

void hostile_api_server::misbehave(hostile_mode mode, std::size_t replies) {
  std::lock_guard lock(impl_->mutex);
  impl_->mode = replies == 0 ? hostile_mode::none : mode;
  impl_->left = replies;
}

void hostile_api_server::behave() { misbehave(hostile_mode::none, 0); }

std::string hostile_api_server::base_url() const {
  return std::string(impl_->tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(impl_->port);
}

const sim::dataset& hostile_api_server::data() const { return impl_->data; }

std::size_t hostile_api_server::connections_accepted() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->accepted;
}

std::size_t hostile_api_server::requests(std::string_view path) const {
  std::lock_guard lock(impl_->mutex);
  auto it = impl_->seen.find(path);
  return it == impl_->seen.end() ? 0 : it->second;
}

std::size_t hostile_api_server::misbehaved() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->broken;
}

}  // namespace voxo::test

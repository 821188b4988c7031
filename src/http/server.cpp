#include "http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/system_error.hpp>

#include <stdexcept>
#include <string>
#include <vector>

#include "http/listen_address.hpp"
#include "http/server_state.hpp"
#include "http/tls_context.hpp"
#include "util/asio.hpp"
#include "util/log.hpp"

namespace voxo::http {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using detail::server_state;

using util::nothrow_awaitable;

void log_exception(std::string_view what, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    log::error(what, {{"err", ex.what()}});
  } catch (...) {
    log::error(what, {{"err", "unknown exception"}});
  }
}

net::awaitable<void> accept_loop(std::shared_ptr<server_state> s) {
  net::steady_timer backoff(s->executor);
  while (!s->stopped) {
    auto [ec, socket] = co_await s->acceptor->async_accept(nothrow_awaitable);
    if (s->stopped) break;
    if (ec) {
      // E.g. out of file descriptors: wait instead of spinning; the listener stays up.
      log::warn("http accept failed", {{"err", ec.message()}});
      backoff.expires_after(std::chrono::milliseconds{100});
      co_await backoff.async_wait(nothrow_awaitable);
      continue;
    }
    // At the cap, make room by evicting a connection that holds its slot without using it
    // (connection_table.hpp); refuse only when every slot is busy answering.
    if (s->connections.size() + s->starting_sessions >= s->options.max_connections) {
      if (!s->connections.evict_one()) {
        log::debug("http connection refused: limit reached", {{"limit", std::to_string(s->options.max_connections)}});
        boost::system::error_code ignored;
        socket.close(ignored);
        continue;
      }
      log::debug("http connection evicted to make room");  // no fields: nothing built per eviction
    }
    boost::system::error_code peer_ec;
    auto peer = socket.remote_endpoint(peer_ec);
    auto client = detail::client_key_of(peer_ec ? net::ip::address{} : peer.address());
    ++s->starting_sessions;
    net::co_spawn(s->executor, detail::run_session(s, std::move(socket), client),
                  [](std::exception_ptr e) { log_exception("http session failed", e); });
  }
}

std::string lower_first(std::string text) {
  if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z') text[0] = static_cast<char>(text[0] - 'A' + 'a');
  return text;
}

std::string endpoint_text(const listen_address& a) {
  std::string host = a.host.find(':') != std::string::npos ? "[" + a.host + "]" : a.host;
  return host + ":" + std::to_string(a.port);
}

// Open, configure, bind and listen; ec set on the first failure.
void try_listen(tcp::acceptor& acceptor, const tcp::endpoint& ep, bool dual_stack, boost::system::error_code& ec) {
  acceptor.open(ep.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec && dual_stack) acceptor.set_option(net::ip::v6_only(false), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
  }
}

std::vector<std::pair<tcp::endpoint, bool>> candidates(const net::any_io_executor& ex, const listen_address& a) {
  std::vector<std::pair<tcp::endpoint, bool>> out;  // endpoint, dual-stack
  if (a.host.empty()) {
    out.emplace_back(tcp::endpoint(tcp::v6(), a.port), true);
    out.emplace_back(tcp::endpoint(tcp::v4(), a.port), false);
    return out;
  }
  boost::system::error_code ec;
  auto literal = net::ip::make_address(a.host, ec);
  if (!ec) {
    out.emplace_back(tcp::endpoint(literal, a.port), false);
    return out;
  }
  tcp::resolver resolver(ex);
  auto results = resolver.resolve(a.host, std::to_string(a.port), tcp::resolver::numeric_service, ec);
  if (ec) throw std::runtime_error("listen tcp " + endpoint_text(a) + ": " + lower_first(ec.message()));
  for (const auto& r : results) out.emplace_back(r.endpoint(), false);
  return out;
}

}  // namespace

void detail::server_state::stop() {
  if (stopped) return;
  stopped = true;
  boost::system::error_code ignored;
  if (acceptor) acceptor->close(ignored);
  connections.close_all();
}

server::server(net::any_io_executor executor, server_options options, metrics::exposition_source& exposition,
               const status_source& status)
    : state_(std::make_shared<server_state>()) {
  state_->executor = std::move(executor);
  state_->options = std::move(options);
  state_->exposition = &exposition;
  state_->status = &status;
  const auto& web = state_->options.web;
  if (web.tls) state_->tls = make_tls_context(*web.tls);
  if (!web.basic_auth_users.empty()) {
    state_->auth = std::make_shared<basic_auth>(web.basic_auth_users);
    state_->auth_pool = std::make_unique<net::thread_pool>(1);
  }
}

server::~server() { stop(); }

void server::listen(std::string_view address) {
  if (state_->acceptor) throw std::logic_error("http::server::listen called twice");
  auto parsed = parse_listen_address(address);
  if (!parsed)
    throw std::runtime_error("listen tcp " + std::string(address) +
                             ": invalid address (want host:port, [ipv6]:port or :port)");
  boost::system::error_code first_error;
  tcp::acceptor acceptor(state_->executor);
  for (const auto& [endpoint, dual_stack] : candidates(state_->executor, *parsed)) {
    boost::system::error_code ec;
    try_listen(acceptor, endpoint, dual_stack, ec);
    if (!ec) break;
    if (!first_error) first_error = ec;
  }
  if (!acceptor.is_open())
    throw std::runtime_error("listen tcp " + endpoint_text(*parsed) + ": " + lower_first(first_error.message()));
  state_->port = acceptor.local_endpoint().port();
  state_->acceptor.emplace(std::move(acceptor));
  log::info("listening", {{"address", std::string(address)},
                          {"port", std::to_string(state_->port)},
                          {"tls", state_->tls ? "true" : "false"}});
  net::co_spawn(state_->executor, accept_loop(state_),
                [](std::exception_ptr e) { log_exception("http accept loop failed", e); });
}

std::uint16_t server::port() const { return state_->port; }

void server::stop() {
  net::dispatch(state_->executor, [s = state_] { s->stop(); });
}

}  // namespace voxo::http

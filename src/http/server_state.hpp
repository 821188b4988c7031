#pragma once
// Internals of http::server shared by the accept loop and the sessions. Everything here
// is touched only on the server's executor (one thread), except `auth`, which is thread-safe.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <memory>
#include <optional>

#include "http/basic_auth.hpp"
#include "http/connection_table.hpp"
#include "http/server_options.hpp"
#include "http/status_source.hpp"
#include "metrics/exposition.hpp"

namespace voxo::http::detail {

struct server_state {
  boost::asio::any_io_executor executor;
  server_options options;
  metrics::exposition_source* exposition = nullptr;     // not owned, never null (see server's constructor)
  const status_source* status = nullptr;                // not owned, never null
  std::shared_ptr<boost::asio::ssl::context> tls;       // null: plain HTTP
  std::shared_ptr<basic_auth> auth;                     // null: no authentication
  std::unique_ptr<boost::asio::thread_pool> auth_pool;  // bcrypt, off the io thread

  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  std::uint16_t port = 0;
  bool stopped = false;
  connection_table connections;         // registered sessions, for eviction and stop()
  std::size_t starting_sessions = 0;    // accepted, not yet registered: they count against the cap
  std::size_t pending_auth_checks = 0;  // bcrypt checks queued or running on auth_pool

  void stop();
};

// One connection, from accept to close: registers in `connections` (decrementing
// starting_sessions) and leaves it at the end. Never throws.
boost::asio::awaitable<void> run_session(std::shared_ptr<server_state> state, boost::asio::ip::tcp::socket socket,
                                         client_key client);

}  // namespace voxo::http::detail

#pragma once
// Internals of http::server shared by the accept loop and the sessions. Everything here
// is touched only on the server's executor (one thread), except `auth`, which is thread-safe.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

#include "collector/status.hpp"
#include "http/basic_auth.hpp"
#include "http/server_options.hpp"
#include "metrics/exposition.hpp"

namespace voxo::http::detail {

struct server_state {
  boost::asio::any_io_executor executor;
  server_options options;
  std::shared_ptr<metrics::exposition_source> exposition;
  std::shared_ptr<const collector::status_source> status;
  std::shared_ptr<boost::asio::ssl::context> tls;    // null: plain HTTP
  std::shared_ptr<basic_auth> auth;                  // null: no authentication
  std::unique_ptr<boost::asio::thread_pool> auth_pool;  // bcrypt, off the io thread

  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  std::uint16_t port = 0;
  bool stopped = false;
  std::size_t active_sessions = 0;  // counted from accept: a session may not have started yet
  std::uint64_t next_session_id = 0;
  std::unordered_map<std::uint64_t, std::function<void()>> sessions;  // id -> close its socket

  void stop();
};

// One connection, from accept to close; ends by decrementing active_sessions. Never throws.
boost::asio::awaitable<void> run_session(std::shared_ptr<server_state> state, boost::asio::ip::tcp::socket socket);

}  // namespace voxo::http::detail

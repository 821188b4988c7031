#pragma once
// The HTTP(S) server behind /metrics, `/`, /-/healthy and /-/ready: one coroutine per
// connection on the caller's executor (single-threaded io_context), routing through
// handle_request.
//
// Floods cannot lock a scraper out (the defaults are in server_options.hpp):
// - Connections: at max_connections a new connection evicts one that holds a slot without
//   using it (idle keep-alive, silent, trickling a header, stalled writing) from the client
//   address holding the most connections, the longest-waiting first (connection_table.hpp);
//   one whose request is being answered is never evicted. A scraper's request arrives with
//   its connection, so it is served even when it shares its address with the flood (NAT).
//   Per-IP caps alone would not do that; timeouts that shrink under pressure were not needed
//   once waiting connections can be evicted, so the timeouts are fixed: header
//   (read_header_timeout, from the connection's start), idle keep-alive, write.
// - Basic auth: bcrypt checks run on a private one-thread pool, at most
//   max_pending_auth_checks queued or running (beyond: 429 at once); a remembered success
//   (basic_auth) skips the queue, so wrong-password floods cannot starve a scraper that has
//   authenticated before.

#include <boost/asio/any_io_executor.hpp>

#include <cstdint>
#include <memory>
#include <string_view>

#include "http/server_options.hpp"
#include "http/status_source.hpp"
#include "metrics/exposition.hpp"

namespace voxo::http {

namespace detail {
struct server_state;
}

class server {
 public:
  // Throws web_config_error when the TLS files do not load.
  // `exposition` and `status` are not owned (they are parts of the exporter that outlive the
  // server): both must live until the io_context running `executor` has stopped running this
  // server's work, i.e. past stop() and the server's destruction until run() has returned,
  // because connections still open end there. run_exporter declares them before the server,
  // in the scope that runs the io_context.
  server(boost::asio::any_io_executor executor, server_options options, metrics::exposition_source& exposition,
         const status_source& status);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds (see listen_address.hpp) and starts accepting. Call once, before or while the
  // io_context runs on this thread. Throws std::runtime_error at start-up, e.g.
  // "listen tcp 127.0.0.1:80: permission denied".
  void listen(std::string_view address);

  // The bound port (useful after listening on port 0).
  std::uint16_t port() const;

  // Closes the acceptor and every connection (in-flight responses are abandoned).
  // Safe from any thread; runs on the server's executor.
  void stop();

 private:
  std::shared_ptr<detail::server_state> state_;
};

}  // namespace voxo::http

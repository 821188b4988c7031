#pragma once
// What the HTTP server can be told: paths, limits, timeouts, TLS and auth.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

#include "http/web_config.hpp"

namespace voxo::http {

using namespace std::chrono_literals;

struct server_options {
  std::string telemetry_path = "/metrics";

  std::size_t max_header_bytes = 8 * 1024;  // beyond: 431 and close
  std::size_t max_body_bytes = 1024;        // no route takes a body; beyond: 413 and close
  // At the cap a new connection evicts the open connection that uses its slot least (see
  // connection_table.hpp: the busiest client's longest-waiting idle, silent or slow-header
  // connection); only when every connection is being answered is the new one closed at once.
  std::size_t max_connections = 64;
  // bcrypt checks queued or running (basic auth, one at a time off the I/O thread). Beyond:
  // 429 at once, so wrong-password floods cannot queue without bound; remembered successes
  // (see basic_auth) skip the queue and are never refused.
  std::size_t max_pending_auth_checks = 4;

  // From the first byte of a request to its last header byte, in total: a client
  // trickling a byte at a time does not extend it.
  std::chrono::milliseconds read_header_timeout = 10s;
  std::chrono::milliseconds idle_timeout = 60s;   // keep-alive wait for the next request
  std::chrono::milliseconds write_timeout = 30s;  // to send one response
  std::chrono::milliseconds tls_handshake_timeout = 10s;

  web_config web;  // TLS and basic auth (default: plain HTTP, no auth)
};

}  // namespace voxo::http

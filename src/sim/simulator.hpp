#pragma once
// The VOXO API simulator: a faithful stand-in for the documented API over real HTTP(S), used
// by voxo_sim, by the exporter's demo mode (no --config.file) and in-process by tests.
// It runs on its own thread and io_context, so tests can drive it while the client under
// test runs on theirs.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/dataset.hpp"
#include "sim/fault_schedule.hpp"

namespace voxo::sim {

struct simulator_options {
  std::string listen_address = "127.0.0.1";
  unsigned short port = 0;                     // 0 = pick a free port
  bool tls = false;                            // HTTPS with a self-signed cert made at start
  std::string email = "ops@example.com";       // POST /authentication accepts these ...
  std::string password = "demo-password";      // ... credentials
  std::vector<std::string> static_tokens;      // also accepted as bearer tokens (portal tokens)
  std::chrono::seconds token_lifetime{86400};  // `exp` of issued JWT-shaped tokens
  dataset_options data;                        // tenants, seed, time span, quality
  fault_schedule faults;                       // injected on GET /call-reports
  // Replies to GET /call-reports up to this size get a Content-Length; longer ones are
  // streamed with chunked encoding as they are produced (0 = always chunked).
  std::size_t stream_threshold = std::size_t{4} << 20;
  // The simulator's "now" (token expiry, visibility of late records, quality switches);
  // empty = the system clock. Tests may pass a clock they move by hand.
  std::function<std::chrono::system_clock::time_point()> clock;
};

class simulator {
 public:
  explicit simulator(simulator_options options);
  ~simulator();  // stops the server
  simulator(const simulator&) = delete;
  simulator& operator=(const simulator&) = delete;

  void start();  // binds and starts serving; throws if it cannot bind
  void stop();
  unsigned short port() const;
  std::string base_url() const;            // "http://127.0.0.1:PORT" or "https://..."
  const std::string& ca_cert_pem() const;  // with tls: the CA to trust

  // The served data set; its start_time (late records of a finite set appear relative to it)
  // is the clock's value when this object was constructed.
  const dataset& data() const;
  // Revoke every token issued so far (the next call with one gets 401).
  void expire_tokens();
  // Calls of the tenant from now on get `profile` (same as POST /_sim/quality).
  void switch_quality(long long tenant_id, quality_profile profile);
  // Replaces the fault schedule; sequence numbers keep counting from the requests so far.
  void set_faults(fault_schedule faults);
  // Requests served so far by path ("/call-reports", "/authentication", "/tenants").
  std::uint64_t request_count(const std::string& path) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace voxo::sim

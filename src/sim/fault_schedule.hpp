#pragma once
// Faults the simulator injects on GET /call-reports, chosen by the request's sequence number
// (1-based, counting every GET /call-reports the simulator has received).
//
// Text form (voxo_sim --faults): comma-separated rules, each `N:kind[/arg]` (request N only)
// or `every=K:kind[/arg]` (requests K, 2K, 3K, ...). A rule for an exact N wins over `every`.
//   500         500 with a Feathers GeneralError body
//   503/S       503 with Retry-After: S (whole seconds)
//   429/S       429 with Retry-After: S (whole seconds)
//   slow/S      the normal answer, sent after S seconds (decimals allowed: slow/0.5)
//   truncate    headers with the full Content-Length, then half the body, then close
//   html        200 with an HTML error page as body (Content-Type text/html)
//   html/N      the same page with status N (400-599), e.g. a proxy's 503 page
//   status/N    status N (400-599) with a Feathers error body, e.g. status/502
//   badjson     200 with a complete body that is not JSON
//   401         401 once even with a valid token, and that token is revoked
//   reset       close the connection without answering
//   empty       200 with an empty body (Content-Length: 0)
// Example: "3:503/2,5:truncate,every=10:slow/1.5"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.hpp"

namespace voxo::sim {

enum class fault_kind : unsigned char {
  internal_error,  // 500
  unavailable,     // 503 + Retry-After
  rate_limited,    // 429 + Retry-After
  slow,
  truncate,
  html,
  unauthorized,  // 401 + revoke the token
  reset,
  empty,
  status,    // `status` with a Feathers error body
  bad_json,  // 200, a body that is not JSON
};

struct fault {
  fault_kind kind = fault_kind::internal_error;
  std::chrono::milliseconds arg{0};  // Retry-After (503/429, whole seconds) or delay (slow)
  unsigned status = 0;               // status/N, html/N (0: html's 200)
  friend bool operator==(const fault&, const fault&) = default;
};

struct fault_rule {
  std::uint64_t request = 0;  // exact 1-based sequence number, or 0 with `every`
  std::uint64_t every = 0;    // repeat on every K-th request, or 0
  fault what;
  friend bool operator==(const fault_rule&, const fault_rule&) = default;
};

class fault_schedule {
 public:
  fault_schedule() = default;

  fault_schedule& at(std::uint64_t request_number, fault f);  // request_number >= 1
  fault_schedule& every(std::uint64_t k, fault f);            // k >= 1

  // The fault for the n-th GET /call-reports (1-based), if any.
  std::optional<fault> for_request(std::uint64_t n) const;

  bool empty() const noexcept { return rules_.empty(); }
  const std::vector<fault_rule>& rules() const noexcept { return rules_; }

 private:
  std::vector<fault_rule> rules_;
};

// Parses the text form above. The error is a message that names the offending rule.
util::result<fault_schedule, std::string> parse_fault_schedule(std::string_view text);

// "503/2", "slow/1.5", "truncate": the inverse of the rule syntax, for logs and --help.
std::string describe(const fault& f);

}  // namespace voxo::sim

#pragma once
// What one GET /call-reports asks for: whose records, and which window.

#include <chrono>
#include <string>
#include <variant>

namespace voxo::api {

struct tenant_scope {
  long long tenant_id = 0;
};
struct billing_code_scope {
  std::string billing_code;
};
struct partner_scope {};  // partner admin, no tenantId/billingCode: 24 h cap

using query_scope = std::variant<tenant_scope, billing_code_scope, partner_scope>;

// A window of absolute instants; sent as `start`/`end` formatted in api.timezone.
struct time_window {
  std::chrono::sys_seconds start{};
  std::chrono::sys_seconds end{};
  friend bool operator==(const time_window&, const time_window&) = default;
};

struct call_reports_query {
  query_scope scope;
  time_window window;
};

// The API's caps on end - start.
inline constexpr std::chrono::seconds max_window_scoped{std::chrono::days{31}};
inline constexpr std::chrono::seconds max_window_partner{std::chrono::hours{24}};

std::chrono::seconds max_window(const query_scope& scope) noexcept;

}  // namespace voxo::api

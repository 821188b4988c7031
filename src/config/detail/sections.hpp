#pragma once
// The config file's sections, one reader each (config_loader.cpp walks the top level and calls
// them). Each reads its mapping strictly through yaml_reader and fails with a config_error naming
// the source, line and key; none reads a secret or touches the disk.
//   api_section.cpp        api: URL, time zones, timeouts, which credentials (presence only)
//   collector_section.cpp  collector: and metrics:
//   tenants_section.cpp    tenants: a list, {discover: true} or {partner: true}
//   duration_ranges.cpp    the range every duration must lie in

#include <array>
#include <chrono>
#include <cstdint>
#include <string_view>

#include "config/config.hpp"
#include "config/yaml_reader.hpp"

namespace voxo::config::detail {

// The keys of each mapping; `password` and `token` are known only to be refused with advice.
inline constexpr std::array<std::string_view, 4> top_keys{"api", "collector", "metrics", "tenants"};
inline constexpr std::array<std::string_view, 11> api_keys{
    "url",     "token_file",         "email",    "password_file", "timezone", "record_timezone", "ca_file",
    "timeout", "max_response_bytes", "password", "token"};
inline constexpr std::array<std::string_view, 7> collector_keys{
    "interval", "delay", "overlap", "lookback", "concurrency", "state_file", "max_requests_per_second"};
inline constexpr std::array<std::string_view, 4> metrics_keys{"per_tenant_histograms", "extra_labels",
                                                              "max_label_values", "new_series_hold"};
inline constexpr std::array<std::string_view, 3> tenant_keys{"id", "billing_code", "name"};
inline constexpr std::array<std::string_view, 4> discovery_keys{"discover", "include", "exclude", "refresh"};
inline constexpr std::array<std::string_view, 3> partner_keys{"partner", "accounts", "max_accounts"};

// Every duration has a range that makes sense for it: a typo such as 300y would otherwise
// overflow the clock (steady_clock counts nanoseconds: ~292 years) or poll in a tight loop.
struct duration_range {
  std::chrono::milliseconds min, max;
};
using namespace std::chrono_literals;
inline constexpr duration_range api_timeout_range{100ms, 1h};
inline constexpr duration_range interval_range{1s, 24h};
inline constexpr duration_range delay_range{0ms, 7 * 24h};
inline constexpr duration_range overlap_range{0ms, 7 * 24h};
inline constexpr duration_range lookback_range{1s, 366 * 24h};
inline constexpr duration_range refresh_range{10s, 7 * 24h};

// The duration at `v`; fails unless it lies in `range`.
std::chrono::milliseconds duration_in(const yaml_reader& r, const located& v, duration_range range);

void read_api(const yaml_reader& r, const located& section, api_config& api);
// After the whole file: the api: keys fit together, and a credential is given (a file named or
// VOXO_TOKEN / VOXO_PASSWORD set; nothing is read).
void check_credentials(const yaml_reader& r, const api_config& api);
void read_collector(const yaml_reader& r, const located& section, collector_config& c);
void read_metrics(const yaml_reader& r, const located& section, metrics_config& m);
// tenants: in any of its three forms; partner mode sets c.partner and c.tenants.
void read_tenants(const yaml_reader& r, const located& section, config& c);

}  // namespace voxo::config::detail

#pragma once
// What the collector keeps per polled tenant (configured, discovered, or the partner poll):
// where its collection stands (watermark, committed ids), how its polls go (failures, last
// error) and its series. One instance per label for the collector's life; the poll loop,
// discovery, state keeping and the status view all read it on the collector's one thread.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "collector/dedupe_set.hpp"
#include "config/config.hpp"
#include "metrics/tenant_metrics.hpp"

namespace voxo::collector {

struct tenant_state {
  config::tenant_config cfg;
  metrics::tenant_metrics* metrics = nullptr;
  std::optional<std::chrono::sys_seconds> watermark;
  dedupe_set seen;
  bool discovered = false;  // from list_tenants(), not the config file
  bool active = true;       // false once discovery no longer lists it
  bool loop_running = false;
  bool succeeded_once = false;
  std::optional<std::chrono::sys_seconds> last_success;
  unsigned failures = 0;     // consecutive
  std::uint64_t errors = 0;  // failed requests, ever
  std::string last_error;
  bool warned_record_zone = false;
  // Longest window that fit api.max_response_bytes lately (none: the API's cap).
  std::optional<std::chrono::seconds> max_window;
};

}  // namespace voxo::collector

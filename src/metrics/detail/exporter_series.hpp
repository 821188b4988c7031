#pragma once
// The exporter-wide series (not per tenant): build info, config reloads, the shard's share of
// tenants, the API budget's waits, partner records nobody owns and state-file saves. Each
// lives at one fixed label set, created at 0 when registered, so an alert on it sees a 0
// before the first event. Internal to metrics/: exporter_metrics owns one and forwards its
// public setters here; the caller bumps the generation after each change.

#include <prometheus/counter.h>
#include <prometheus/gauge.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "metrics/detail/families.hpp"

namespace voxo::metrics::detail {

class exporter_series {
 public:
  // Registers every family through `r` (so the data part serves them) and sets build_info.
  exporter_series(const registrar& r, families& f, const std::string& version, const std::string& revision);

  void set_config_reload(bool success, std::chrono::sys_seconds when);
  void set_shard_tenants(std::size_t tenants);
  void add_rate_limit_wait(double seconds);
  void count_unattributed(std::uint64_t records);
  void count_state_save(bool success, std::chrono::sys_seconds when);

 private:
  prometheus::Gauge* reload_success_ = nullptr;
  prometheus::Gauge* reload_timestamp_ = nullptr;
  prometheus::Gauge* shard_tenants_ = nullptr;
  prometheus::Counter* rate_limit_wait_ = nullptr;
  prometheus::Counter* unattributed_ = nullptr;
  prometheus::Counter* state_saves_ = nullptr;
  prometheus::Counter* state_save_failures_ = nullptr;
  prometheus::Gauge* state_last_save_ = nullptr;
};

}  // namespace voxo::metrics::detail

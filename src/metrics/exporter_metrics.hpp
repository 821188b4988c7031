#pragma once
// Every metric the exporter serves: owns the prometheus::Registry with its families, the series
// of each tenant (tenant_metrics), the exporter-wide series (detail/exporter_series.hpp), the
// process collector and the exposition cache (data part from the registry, rendered in the
// background; live part per scrape: live_part.hpp). Tests and benchmarks reach the registry,
// the cache and the generation through detail/exporter_metrics_access.hpp.
//
// All values are counted from CDRs the collector fetches in the background every
// collector.interval, not at scrape time. When a tenant's series appear and when they show
// what was counted: tenant_metrics.hpp. Series of a tenant are never removed while the
// process lives, so counters don't vanish.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "metrics/call_deltas.hpp"
#include "metrics/call_labels.hpp"
#include "metrics/collector_counts.hpp"
#include "metrics/exposition_cache.hpp"
#include "metrics/exposition_text.hpp"
#include "metrics/live_part.hpp"
#include "metrics/process_collector.hpp"
#include "metrics/tenant_metrics.hpp"

namespace voxo::metrics {

namespace detail {
struct families;
class exporter_series;
struct exporter_metrics_access;
}  // namespace detail

class exporter_metrics {
 public:
  struct options {
    std::string version = "unknown";  // voxo_exporter_build_info
    std::string revision = "unknown";
    std::string interval_text = "collector.interval";  // named in HELP texts, e.g. "60s"
    // Least time between two background renderings of the data part (see exposition_cache).
    std::chrono::steady_clock::duration render_interval = std::chrono::seconds(1);
    bool process_metrics = true;
    // Cardinality (metrics: in the config); fixed for the object's life.
    bool per_tenant_histograms = true;
    extra_label_options extra_labels{};
    // How long a new series shows 0 before it shows its values, for tenants in held mode
    // (metrics.new_series_hold; see tenant_metrics.hpp).
    std::chrono::steady_clock::duration new_series_hold{};
    // Set: the live part reads these fixed values instead of the clocks (golden tests).
    std::optional<frozen_clock> frozen_live_clock{};
  };

  exporter_metrics();  // util::build_version() / build_revision(), defaults otherwise
  explicit exporter_metrics(options opts);
  ~exporter_metrics();
  exporter_metrics(const exporter_metrics&) = delete;
  exporter_metrics& operator=(const exporter_metrics&) = delete;

  // The series of a tenant, created on first call (voxo_up = 0, counters at 0); `name`
  // sets voxo_tenant_info{tenant, name}. The reference stays valid for the object's life.
  tenant_metrics& tenant(const std::string& label, const std::string& name = {});

  // voxo_exporter_config_last_reload_successful and, on success,
  // voxo_exporter_config_last_reload_success_timestamp_seconds (set once at start-up too).
  void set_config_reload(bool success, std::chrono::sys_seconds when);
  // voxo_exporter_shard_tenants: the tenants this replica polls (all of them when unsharded).
  void set_shard_tenants(std::size_t tenants);
  // voxo_collector_rate_limit_wait_seconds_total: time requests waited for the API budget.
  void add_rate_limit_wait(double seconds);
  // voxo_collector_partner_unattributed_records_total: records of accounts past
  // tenants.max_accounts, counted under tenant="partner".
  void count_unattributed(std::uint64_t records);
  // voxo_exporter_state_saves_total, _save_failures_total and
  // _last_save_success_timestamp_seconds: while saves fail, counts are not shown (they would be
  // lower again after a restart), so this is what to alert on.
  void count_state_save(bool success, std::chrono::sys_seconds when);

  // Derives the extra label values of records (the collector's window batches use it).
  call_labeler& labeler() noexcept { return labeler_; }
  bool per_tenant_histograms() const noexcept;
  std::chrono::milliseconds new_series_hold() const noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(new_series_hold_);
  }

  exposition_source& exposition() noexcept { return *exposition_; }
  // The whole text exposition rendered right now, without the cache (tests, tools).
  std::string render() const { return render_data() + render_live(); }

 private:
  friend struct detail::exporter_metrics_access;

  // The data part: everything in the registry, serialized family by family (exposition_text).
  // Runs on the exposition's render thread, so it reads nothing but the (internally locked)
  // families.
  std::string render_data() const;
  // The live part (live_part.hpp); `served`: the data part it is served with.
  std::string render_live(const exposition_data* served = nullptr) const;
  std::uint64_t generation() const noexcept { return generation_.load(std::memory_order_relaxed); }

  struct tenant_entry {
    std::unique_ptr<tenant_metrics> metrics;
    prometheus::Gauge* info = nullptr;
    std::string name;
  };

  std::shared_ptr<prometheus::Registry> registry_;
  call_labeler labeler_;                                // before families_, which refers to it
  family_text text_;                                    // before families_: every family registered is added to it
  mutable std::atomic<std::size_t> last_data_size_{0};  // reserved by the next render_data()
  std::unique_ptr<detail::families> families_;
  std::unique_ptr<detail::exporter_series> series_;
  std::unique_ptr<process_collector> process_;
  std::atomic<std::uint64_t> generation_{1};
  std::map<std::string, tenant_entry, std::less<>> tenants_;
  std::unique_ptr<exposition_cache> exposition_;
  std::chrono::steady_clock::duration new_series_hold_{};
  std::optional<frozen_clock> frozen_live_clock_;
};

}  // namespace voxo::metrics

#pragma once
// Every metric the exporter serves: the prometheus::Registry with its families, the series
// of each tenant, the process collector and the exposition cache (data part from the
// registry, rendered in the background; live part per scrape).
//
// All values are counted from CDRs the collector fetches in the background every
// collector.interval, not at scrape time. Call series are created lazily (first call of a
// (tenant, direction, disposition)) and resolved once: the hot path indexes arrays by enum.
// Series of a tenant are never removed while the process lives, so counters don't vanish.

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

#include "api/call_labels.hpp"
#include "metrics/call_deltas.hpp"
#include "metrics/collector_counts.hpp"
#include "metrics/exposition_cache.hpp"
#include "metrics/exposition_text.hpp"
#include "metrics/process_collector.hpp"

namespace voxo::metrics {

namespace detail {
struct families;
}

// The series of one tenant. Every change bumps the exporter's generation, so the next
// scrape re-renders.
class tenant_metrics {
 public:
  tenant_metrics(detail::families& f, std::string label, std::atomic<std::uint64_t>& generation);
  tenant_metrics(const tenant_metrics&) = delete;
  tenant_metrics& operator=(const tenant_metrics&) = delete;

  const std::string& label() const noexcept { return label_; }

  // Adds a committed window's call values to the series and to totals().
  void apply(const call_deltas& d);
  // Cumulative values behind every call series (for status and a future state file).
  const call_deltas& totals() const noexcept { return totals_; }

  // Raises every call series and collector counter of the tenant to the given cumulative
  // values (a state restored at start or carried over a config reload); a value already at
  // or above its target is left alone, so restoring what the series already show is a no-op.
  void restore(const call_deltas& totals, const collector_counts& counts);
  // Cumulative values behind the tenant's collector counters (for a state file).
  const collector_counts& counts() const noexcept { return counts_; }

  void count_request(std::string_view code, double seconds);
  void count_ingest(std::uint64_t records, std::uint64_t duplicates, std::uint64_t invalid);
  // voxo_collector_revised_records_total: records counted before that came back changed.
  void count_revised(std::uint64_t revised);
  void count_poll(bool success);
  void set_up(bool up);
  void set_last_success(std::chrono::sys_seconds t);
  void set_watermark(std::chrono::sys_seconds t);
  std::optional<std::chrono::sys_seconds> watermark() const noexcept { return watermark_; }

 private:
  using counter_grid = std::array<std::array<prometheus::Counter*, api::disposition_count>, api::direction_count>;
  prometheus::Counter& call_counter(std::size_t dir, std::size_t disp);
  counter_grid& extra_counters(const extra_key& key);
  prometheus::Counter& extra_call_counter(const extra_key& key, counter_grid& grid, std::size_t dir, std::size_t disp);
  void restore_extra(const call_deltas& totals, call_deltas& d);
  prometheus::Histogram& histogram(call_histogram h, std::size_t dir);
  prometheus::Counter& request_counter(std::string_view code);
  prometheus::Counter& poll_counter(bool success);
  prometheus::Histogram& request_duration();
  void touch() noexcept { generation_.fetch_add(1, std::memory_order_relaxed); }

  detail::families& f_;
  std::string label_;
  std::atomic<std::uint64_t>& generation_;
  call_deltas totals_;
  collector_counts counts_;

  // Resolved once, on first use (null until then).
  counter_grid calls_{};
  std::map<extra_key, counter_grid, extra_key_less> extra_calls_;  // with extra labels on
  std::array<prometheus::Counter*, api::direction_count> recorded_{};
  std::array<prometheus::Counter*, api::direction_count> queued_{};
  std::array<std::array<prometheus::Histogram*, api::direction_count>, call_histogram_count> histograms_{};
  std::map<std::string, prometheus::Counter*, std::less<>> requests_;
  std::map<bool, prometheus::Counter*> polls_;
  prometheus::Histogram* request_duration_ = nullptr;
  prometheus::Counter* records_ = nullptr;
  prometheus::Counter* duplicates_ = nullptr;
  prometheus::Counter* invalid_ = nullptr;
  prometheus::Counter* revised_ = nullptr;
  prometheus::Gauge* up_ = nullptr;
  prometheus::Gauge* last_success_ = nullptr;
  prometheus::Gauge* watermark_gauge_ = nullptr;
  std::optional<std::chrono::sys_seconds> watermark_;
};

class exporter_metrics {
 public:
  struct options {
    std::string version = "unknown";   // voxo_exporter_build_info
    std::string revision = "unknown";
    std::string interval_text = "collector.interval";  // named in HELP texts, e.g. "60s"
    // Least time between two background renderings of the data part (see exposition_cache).
    std::chrono::steady_clock::duration render_interval = std::chrono::seconds(1);
    bool process_metrics = true;
    // Cardinality (metrics: in the config); fixed for the object's life.
    bool per_tenant_histograms = true;
    api::extra_label_options extra_labels{};
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

  // Derives the extra label values of records (the collector's window batches use it).
  api::call_labeler& labeler() noexcept { return labeler_; }
  bool per_tenant_histograms() const noexcept;

  exposition_source& exposition() noexcept { return *exposition_; }
  exposition_cache& exposition_cache_ref() noexcept { return *exposition_; }
  // Families registered through it directly are not served: register them in the constructor.
  prometheus::Registry& registry() noexcept { return *registry_; }
  std::uint64_t generation() const noexcept { return generation_.load(std::memory_order_relaxed); }
  // The data part: everything in the registry, serialized family by family (exposition_text).
  // Runs on the exposition's render thread, so it reads nothing but the (internally locked)
  // families.
  std::string render_data() const;
  // The live part, rendered per scrape on the I/O thread: process metrics, each tenant's
  // collector lag and, given the data part served with it, its render time and age.
  std::string render_live(const exposition_data* served = nullptr) const;
  // The whole text exposition rendered right now (tests, tools).
  std::string render() const { return render_data() + render_live(); }

 private:
  struct tenant_entry {
    std::unique_ptr<tenant_metrics> metrics;
    prometheus::Gauge* info = nullptr;
    std::string name;
  };

  std::shared_ptr<prometheus::Registry> registry_;
  api::call_labeler labeler_;  // before families_, which refers to it
  family_text text_;           // before families_: every family registered is added to it
  mutable std::atomic<std::size_t> last_data_size_{0};  // reserved by the next render_data()
  std::unique_ptr<detail::families> families_;
  prometheus::Gauge* reload_success_ = nullptr;
  prometheus::Gauge* reload_timestamp_ = nullptr;
  prometheus::Gauge* shard_tenants_ = nullptr;
  prometheus::Counter* rate_limit_wait_ = nullptr;
  prometheus::Counter* unattributed_ = nullptr;
  std::unique_ptr<process_collector> process_;
  std::atomic<std::uint64_t> generation_{1};
  std::map<std::string, tenant_entry, std::less<>> tenants_;
  std::unique_ptr<exposition_cache> exposition_;
};

}  // namespace voxo::metrics

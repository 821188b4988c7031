#pragma once
// The series of one tenant, and when what was counted becomes visible in them.
//
// Two sets of values: the truth (totals(), counts(): every committed window and request,
// what a state file saves) and what the series show. In the default, immediate mode every
// change is shown at once. A collector switches a tenant to held mode (hold_until_published()),
// where changes only reach the series when it calls publish(), and then under two rules that
// keep Prometheus' increase() exact:
//   - durable before visible: the collector publishes right after the state file saved the
//     truth, so a restart after kill -9 never resumes below a value a scrape already saw;
//   - born at zero: a series first appears at 0 (or at its baseline, below) and shows more
//     only from `hold` after its birth, when every scraper has stored the 0; otherwise
//     Prometheus would take the calls in its first sample as the baseline and never count them.
// Baseline: the calls of the tenant's first window (its lookback history, before
// close_baseline()) are no increase: its call series are born with those values. Values
// restored from a state file are shown at once (saved values Prometheus already had).
// Gauges (voxo_up, last success, watermark) are shown at once in both modes. A state file keeps
// the series still inside their hold (holds_after_publish()); restore() holds them again.

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/call_deltas.hpp"
#include "metrics/call_labels.hpp"
#include "metrics/collector_counts.hpp"
#include "metrics/held_series.hpp"

namespace voxo::metrics {

namespace detail {
struct families;

// A series and the time from which it may show more than it was born with.
template <class Series>
struct held_series {
  Series* series = nullptr;
  std::chrono::steady_clock::time_point grows_from{};
};
}  // namespace detail

class tenant_metrics {
 public:
  using clock = std::chrono::steady_clock;

  tenant_metrics(detail::families& f, std::string label, std::atomic<std::uint64_t>& generation, clock::duration hold);
  tenant_metrics(const tenant_metrics&) = delete;
  tenant_metrics& operator=(const tenant_metrics&) = delete;

  const std::string& label() const noexcept { return label_; }

  // --- the truth ---------------------------------------------------------------------
  // Adds a committed window's call values to totals().
  void apply(const call_deltas& d);
  // Cumulative values behind every call series (status page, state file).
  const call_deltas& totals() const noexcept { return totals_; }
  void count_request(std::string_view code, double seconds);
  void count_ingest(std::uint64_t records, std::uint64_t duplicates, std::uint64_t invalid);
  // voxo_collector_revised_records_total: records counted before that came back changed.
  void count_revised(std::uint64_t revised);
  // voxo_collector_records_outside_window_total: records counted whose time lies outside the
  // window asked for.
  void count_outside_window(std::uint64_t records);
  void count_poll(bool success);
  // Cumulative values behind the tenant's collector counters (state file).
  const collector_counts& counts() const noexcept { return counts_; }

  // Raises the truth AND the series to saved cumulative values (a state restored at start or
  // carried over a config reload) at once; a value already at or above its target is left
  // alone, so restoring what the series already show is a no-op. Ends the baseline. `held`: the
  // series a state file saved inside their hold (holds_after_publish()), held again.
  void restore(const call_deltas& totals, const collector_counts& counts,
               const std::vector<held_series_state>& held = {});

  // --- visibility ---------------------------------------------------------------------
  // Held mode from now on: new series are born at 0 and wait the hold, the call series wait
  // for close_baseline(). With `publish_each_change` false, changes also wait for publish();
  // true shows them at once as far as the hold allows (no state file to wait for).
  // Idempotent (a config reload calls it again on the same tenant).
  void hold_until_published(bool publish_each_change, clock::time_point now = clock::now());
  // The calls counted so far were the tenant's history: its call series may be born with them.
  void close_baseline();
  bool baseline_closed() const noexcept { return baseline_ != baseline_state::open; }
  // Shows the truth as far as the hold allows. Returns when a held value is next due
  // (time_point::max() when nothing is held).
  clock::time_point publish(clock::time_point now = clock::now());
  // The series the publish() at `now` would leave inside their hold, with their born values:
  // what a state file saved just before that publish keeps for a restart.
  std::vector<held_series_state> holds_after_publish(clock::time_point now = clock::now());
  // Something counted is not shown yet (changed since the last publish, or held).
  bool unpublished() const noexcept { return unpublished_; }

  // --- gauges, shown at once ------------------------------------------------------------
  void set_up(bool up);
  void set_last_success(std::chrono::sys_seconds t);
  void set_watermark(std::chrono::sys_seconds t);
  std::optional<std::chrono::sys_seconds> watermark() const noexcept { return watermark_; }

 private:
  using counter = detail::held_series<prometheus::Counter>;
  using histogram = detail::held_series<prometheus::Histogram>;
  using counter_grid = std::array<std::array<counter, api::disposition_count>, api::direction_count>;
  enum class baseline_state { open, closed, shown };

  // One publishing pass over the series.
  struct pass {
    clock::time_point now;
    clock::time_point next_due = clock::time_point::max();  // earliest held value
    bool restoring = false;                          // restore(): created series start at the target and grow at once
    bool at_start = false;                           // restore() before anything was shown: no hold at all
    bool changed = false;                            // a series changed: re-render
    std::vector<held_series_state>* plan = nullptr;  // plan only (holds_after_publish)
    const std::vector<held_series_state>* saved_holds = nullptr;  // restore(): saved in a hold
    const held_series_state* saved(const std::string& key) const;
  };
  // Raise a series toward `target`; a series created now starts at `born` (at most the target),
  // `create` makes it even at 0.
  void raise(counter& c, pass& p, std::uint64_t target, std::uint64_t& shown, std::uint64_t born, bool create,
             const std::string& key, const prometheus::Labels& labels, prometheus::Family<prometheus::Counter>& family);
  void raise(histogram& h, pass& p, const histogram_delta& target, histogram_delta& shown, const histogram_delta& born,
             const std::string& key, const prometheus::Labels& labels,
             prometheus::Family<prometheus::Histogram>& family, std::span<const double> bounds);
  void publish_calls(pass& p, const call_deltas& target);
  void publish_counts(pass& p, const collector_counts& target);
  extra_call_counts fold_extra(const extra_call_counts& saved) const;
  void changed();
  void touch() noexcept { generation_.fetch_add(1, std::memory_order_relaxed); }
  prometheus::Labels labels(std::size_t dir) const;
  prometheus::Labels labels(std::size_t dir, std::size_t disp) const;
  prometheus::Labels labels(const extra_key& key, std::size_t dir, std::size_t disp) const;

  detail::families& f_;
  std::string label_;
  std::atomic<std::uint64_t>& generation_;
  clock::duration hold_;
  bool held_mode_ = false;
  bool publish_each_change_ = true;
  bool unpublished_ = false;
  baseline_state baseline_ = baseline_state::shown;  // immediate mode has none
  std::unique_ptr<call_deltas> baseline_values_;     // from close_baseline() to the next publish()

  call_deltas totals_;  // the truth
  collector_counts counts_;
  call_deltas shown_totals_;  // what the series show
  collector_counts shown_counts_;

  counter_grid calls_{};
  std::map<extra_key, counter_grid, extra_key_less> extra_calls_;  // with extra labels on
  std::array<counter, api::direction_count> recorded_{};
  std::array<counter, api::direction_count> queued_{};
  std::array<std::array<histogram, api::direction_count>, call_histogram_count> histograms_{};
  std::map<std::string, counter, std::less<>> requests_;
  counter polls_success_;
  counter polls_failure_;
  histogram request_duration_;
  counter records_;
  counter duplicates_;
  counter invalid_;
  counter revised_;
  counter outside_window_;
  prometheus::Gauge* up_ = nullptr;
  prometheus::Gauge* last_success_ = nullptr;
  prometheus::Gauge* watermark_gauge_ = nullptr;
  std::optional<std::chrono::sys_seconds> watermark_;
};

}  // namespace voxo::metrics

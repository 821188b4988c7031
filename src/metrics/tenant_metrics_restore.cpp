// tenant_metrics::restore(): raising a tenant's truth and series to values a state file saved
// (at start) or a config reload carried over. The arithmetic: each saved value is a floor (a
// value already at or above it is left alone, so restoring twice changes nothing), the saved
// extra-label breakdown is folded through the labeler's current cap, and series that were
// inside their hold when the file was saved are held again. The publishing rules it relies on
// (born at zero, durable before visible) are in tenant_metrics.hpp and tenant_metrics.cpp.

#include <algorithm>
#include <vector>

#include "metrics/detail/families.hpp"
#include "metrics/detail/shortfall.hpp"
#include "metrics/tenant_metrics.hpp"

namespace voxo::metrics {

// The saved breakdown goes through the labeler's cap again (a lowered cap folds the values past
// it into `other`). Entries of another label set (extra_labels changed) are dropped: those
// series start from 0, the plain totals are still restored.
extra_call_counts tenant_metrics::fold_extra(const extra_call_counts& saved) const {
  extra_call_counts target;
  auto& labeler = f_.labeler;
  if (!labeler.enabled()) return target;
  for (const auto& [key, counts] : saved) {
    extra_key k;
    bool same_labels = true;
    for (std::size_t l = 0; l < api::extra_label_count && same_labels; ++l) {
      const auto which = static_cast<api::extra_label>(l);
      same_labels = key[l].empty() != labeler.options().on(which);
      if (same_labels && !key[l].empty()) k[l] = std::string(labeler.admit(which, key[l]));
    }
    if (!same_labels) continue;
    auto& sum = target[k];
    for (std::size_t dir = 0; dir < api::direction_count; ++dir)
      for (std::size_t disp = 0; disp < api::disposition_count; ++disp) sum[dir][disp] += counts[dir][disp];
  }
  return target;
}

namespace {

using detail::shortfall;

// Raises every value of `have` to at least the one in `target`.
void raise_to(call_deltas& have, const call_deltas& target) {
  for (std::size_t dir = 0; dir < api::direction_count; ++dir) {
    for (std::size_t disp = 0; disp < api::disposition_count; ++disp)
      have.calls[dir][disp] = std::max(have.calls[dir][disp], target.calls[dir][disp]);
    have.recorded[dir] = std::max(have.recorded[dir], target.recorded[dir]);
    have.queued[dir] = std::max(have.queued[dir], target.queued[dir]);
    for (std::size_t h = 0; h < call_histogram_count; ++h)
      have.histograms[h][dir].merge(shortfall(target.histograms[h][dir], have.histograms[h][dir]));
  }
  for (const auto& [key, counts] : target.extra_calls) {
    auto& mine = have.extra_calls[key];
    for (std::size_t dir = 0; dir < api::direction_count; ++dir)
      for (std::size_t disp = 0; disp < api::disposition_count; ++disp)
        mine[dir][disp] = std::max(mine[dir][disp], counts[dir][disp]);
  }
}

void raise_to(collector_counts& have, const collector_counts& target) {
  have.records = std::max(have.records, target.records);
  have.duplicates = std::max(have.duplicates, target.duplicates);
  have.invalid = std::max(have.invalid, target.invalid);
  have.revised = std::max(have.revised, target.revised);
  have.outside_window = std::max(have.outside_window, target.outside_window);
  have.polls_success = std::max(have.polls_success, target.polls_success);
  have.polls_failure = std::max(have.polls_failure, target.polls_failure);
  for (const auto& [code, n] : target.requests) have.requests[code] = std::max(have.requests[code], n);
  have.request_duration.merge(shortfall(target.request_duration, have.request_duration));
}

}  // namespace

void tenant_metrics::restore(const call_deltas& totals, const collector_counts& counts,
                             const std::vector<held_series_state>& held) {
  call_deltas target = totals;
  target.extra_calls = fold_extra(totals.extra_calls);
  raise_to(totals_, target);
  raise_to(counts_, counts);
  // Saved values: shown at once (they are durable, and Prometheus had them before a restart).
  // They are this tenant's baseline; calls counted from here on are born at 0.
  if (baseline_ == baseline_state::open) baseline_ = baseline_state::shown;
  baseline_values_.reset();
  if (baseline_ == baseline_state::closed) baseline_ = baseline_state::shown;
  pass p{clock::now()};
  p.restoring = true;
  // At start nothing was shown yet: the saved values are what scrapers had before the restart.
  // A reload carries what this process showed, so its held values stay held.
  p.at_start = shown_totals_ == call_deltas{} && shown_counts_ == collector_counts{};
  // Series that were inside their hold when the file was saved start at their born value and
  // wait a hold again: no scrape may have stored that value before the restart.
  if (p.at_start && !held.empty()) p.saved_holds = &held;
  publish_calls(p, target);
  publish_counts(p, counts);
  if (p.changed) touch();
  if (held_mode_) unpublished_ = unpublished_ || totals_ != shown_totals_ || counts_ != shown_counts_;
}

}  // namespace voxo::metrics

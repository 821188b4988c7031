// tenant_metrics: counting the truth, and publishing it into the series under the hold and
// baseline rules of tenant_metrics.hpp (raise(), publish_calls(), publish_counts()). Restoring
// saved values is its own job: tenant_metrics_restore.cpp.

#include "metrics/tenant_metrics.hpp"

#include <algorithm>
#include <vector>

#include "metrics/buckets.hpp"
#include "metrics/detail/families.hpp"
#include "metrics/detail/shortfall.hpp"

namespace voxo::metrics {

namespace {

using detail::shortfall;

void observe(prometheus::Histogram& h, const histogram_delta& d, std::size_t bucket_count) {
  std::vector<double> increments(bucket_count);
  for (std::size_t i = 0; i < bucket_count; ++i) increments[i] = static_cast<double>(d.buckets[i]);
  h.ObserveMultiple(increments, d.sum);
}

const call_deltas& no_calls() {
  static const call_deltas none;
  return none;
}

std::string direction_label(std::size_t dir) {
  return std::string(metrics::label(static_cast<api::call_direction>(dir)));
}

}  // namespace

tenant_metrics::tenant_metrics(detail::families& f, std::string label, std::atomic<std::uint64_t>& generation,
                               clock::duration hold)
    : f_(f), label_(std::move(label)), generation_(generation), hold_(hold) {
  // The self metrics with known labels exist from the start, at 0: rate(), increase() and
  // alerts need a 0 before the first event, and a stale-collector alert needs a last success
  // (0 = never) for a tenant that never succeeded.
  const prometheus::Labels t{{"tenant", label_}};
  const auto grows_from = clock::now() + hold_;
  up_ = &f_.up.Add(t);
  records_ = {&f_.records.Add(t), grows_from};
  duplicates_ = {&f_.duplicates.Add(t), grows_from};
  invalid_ = {&f_.invalid.Add(t), grows_from};
  revised_ = {&f_.revised.Add(t), grows_from};
  outside_window_ = {&f_.outside_window.Add(t), grows_from};
  polls_success_ = {&f_.polls.Add({{"tenant", label_}, {"result", "success"}}), grows_from};
  polls_failure_ = {&f_.polls.Add({{"tenant", label_}, {"result", "failure"}}), grows_from};
  request_duration_ = {
      &f_.request_duration.Add(
          t, prometheus::Histogram::BucketBoundaries(request_duration_buckets.begin(), request_duration_buckets.end())),
      grows_from};
  last_success_ = &f_.last_success.Add(t);
  touch();
}

prometheus::Labels tenant_metrics::labels(std::size_t dir) const {
  return {{"tenant", label_}, {"direction", direction_label(dir)}};
}

prometheus::Labels tenant_metrics::labels(std::size_t dir, std::size_t disp) const {
  return {{"tenant", label_},
          {"direction", direction_label(dir)},
          {"disposition", std::string(metrics::label(static_cast<api::call_disposition>(disp)))}};
}

prometheus::Labels tenant_metrics::labels(const extra_key& key, std::size_t dir, std::size_t disp) const {
  auto l = labels(dir, disp);
  for (std::size_t e = 0; e < extra_label_count; ++e)
    if (!key[e].empty()) l.emplace(std::string(metrics::name(static_cast<extra_label>(e))), key[e]);
  return l;
}

// ---- the truth ---------------------------------------------------------------------------

void tenant_metrics::apply(const call_deltas& d) {
  totals_.merge(d);
  changed();
}

void tenant_metrics::count_request(std::string_view code, double seconds) {
  ++counts_.requests[std::string(code)];
  counts_.request_duration.observe(request_duration_buckets, seconds);
  changed();
}

void tenant_metrics::count_ingest(std::uint64_t records, std::uint64_t duplicates, std::uint64_t invalid) {
  counts_.records += records;
  counts_.duplicates += duplicates;
  counts_.invalid += invalid;
  changed();
}

void tenant_metrics::count_revised(std::uint64_t revised) {
  if (revised == 0) return;
  counts_.revised += revised;
  changed();
}

void tenant_metrics::count_outside_window(std::uint64_t records) {
  if (records == 0) return;
  counts_.outside_window += records;
  changed();
}

void tenant_metrics::count_poll(bool success) {
  ++(success ? counts_.polls_success : counts_.polls_failure);
  changed();
}

void tenant_metrics::changed() {
  unpublished_ = true;
  if (publish_each_change_) publish(clock::now());
}

// ---- visibility ----------------------------------------------------------------------------

void tenant_metrics::hold_until_published(bool publish_each_change, clock::time_point now) {
  publish_each_change_ = publish_each_change;
  if (held_mode_) return;
  held_mode_ = true;
  // A tenant that already counted something in immediate mode has shown it: no baseline.
  if (totals_ == call_deltas{}) baseline_ = baseline_state::open;
  const auto grows_from = now + hold_;
  for (auto* c : {&records_, &duplicates_, &invalid_, &revised_, &outside_window_, &polls_success_, &polls_failure_})
    c->grows_from = std::max(c->grows_from, grows_from);
  request_duration_.grows_from = std::max(request_duration_.grows_from, grows_from);
}

void tenant_metrics::close_baseline() {
  if (baseline_ != baseline_state::open) return;
  baseline_values_ = std::make_unique<call_deltas>(totals_);
  baseline_ = baseline_state::closed;
  unpublished_ = true;
}

std::vector<held_series_state> tenant_metrics::holds_after_publish(clock::time_point now) {
  std::vector<held_series_state> out;
  if (!held_mode_ || !unpublished_) return out;  // nothing changed or held: nothing is
  pass p{now};
  p.plan = &out;
  publish_calls(p, totals_);
  publish_counts(p, counts_);
  return out;
}

tenant_metrics::clock::time_point tenant_metrics::publish(clock::time_point now) {
  pass p{now};
  publish_calls(p, totals_);
  publish_counts(p, counts_);
  unpublished_ = p.next_due != clock::time_point::max();
  if (p.changed) touch();
  return p.next_due;
}

const held_series_state* tenant_metrics::pass::saved(const std::string& key) const {
  if (!saved_holds) return nullptr;
  for (const auto& h : *saved_holds)
    if (h.key == key) return &h;
  return nullptr;
}

void tenant_metrics::raise(counter& c, pass& p, std::uint64_t target, std::uint64_t& shown, std::uint64_t born,
                           bool create, const std::string& key, const prometheus::Labels& labels,
                           prometheus::Family<prometheus::Counter>& family) {
  if (!c.series && target == 0 && !create) return;
  if (p.plan) {  // what the publish at p.now would leave held, without doing it
    const auto start = c.series ? shown : std::min(born, target);
    if (target > start && (!c.series || p.now < c.grows_from)) p.plan->push_back({key, start, std::nullopt});
    return;
  }
  // In a hold when the state file was saved: it may never have been scraped at its born value.
  const auto* saved = p.saved(key);
  if (!c.series || saved) {
    if (!c.series) {
      c.series = &family.Add(labels);
      c.grows_from = p.restoring && target > 0 && !saved ? p.now : p.now + hold_;
    } else {
      c.grows_from = std::max(c.grows_from, p.now + hold_);
    }
    born = saved ? std::min(saved->born, target) : p.restoring ? target : std::min(born, target);
    if (born > shown) {
      c.series->Increment(static_cast<double>(born - shown));
      shown = born;
    }
    p.changed = true;
  }
  if (target <= shown) return;
  if (held_mode_ && (!p.at_start || saved) && p.now < c.grows_from) {
    p.next_due = std::min(p.next_due, c.grows_from);
    return;
  }
  c.series->Increment(static_cast<double>(target - shown));
  shown = target;
  p.changed = true;
}

void tenant_metrics::raise(histogram& h, pass& p, const histogram_delta& target, histogram_delta& shown,
                           const histogram_delta& born, const std::string& key, const prometheus::Labels& labels,
                           prometheus::Family<prometheus::Histogram>& family, std::span<const double> bounds) {
  const auto bucket_count = bounds.size() + 1;
  if (!h.series && target.count == 0) return;
  if (p.plan) {
    const auto& start = h.series ? shown : (born.count <= target.count ? born : target);
    if (target.count > start.count && (!h.series || p.now < h.grows_from)) p.plan->push_back({key, 0, start});
    return;
  }
  const auto* saved = p.saved(key);
  if (!h.series || saved) {
    if (!h.series) {
      h.series = &family.Add(labels, prometheus::Histogram::BucketBoundaries(bounds.begin(), bounds.end()));
      h.grows_from = p.restoring && !saved ? p.now : p.now + hold_;
    } else {
      h.grows_from = std::max(h.grows_from, p.now + hold_);
    }
    const histogram_delta* start = &target;
    if (saved && saved->born_histogram && saved->born_histogram->count <= target.count) start = &*saved->born_histogram;
    else if (!saved && !p.restoring && born.count <= target.count) start = &born;
    else if (saved) start = &shown;  // nothing usable saved: show no more than now
    if (auto d = shortfall(*start, shown); d.count > 0) {
      observe(*h.series, d, bucket_count);
      shown.merge(d);
    }
    p.changed = true;
  }
  if (target.count <= shown.count) return;
  if (held_mode_ && (!p.at_start || saved) && p.now < h.grows_from) {
    p.next_due = std::min(p.next_due, h.grows_from);
    return;
  }
  const auto d = shortfall(target, shown);
  observe(*h.series, d, bucket_count);
  shown.merge(d);
  p.changed = true;
}

void tenant_metrics::publish_calls(pass& p, const call_deltas& target) {
  if (baseline_ == baseline_state::open) return;  // the history is not complete yet
  // Series created now start at the baseline (the history) or at 0.
  const call_deltas& born = baseline_ == baseline_state::closed ? *baseline_values_ : no_calls();
  // In held mode the plain call series of every direction and disposition exist from the
  // baseline on (30 series, cheap): the first BUSY or FAILED call then shows at once.
  const bool whole_grid = held_mode_ && !f_.labeler.enabled();
  if (f_.labeler.enabled()) {
    // voxo_calls_total is the extra labels' breakdown; plain `calls` only feeds totals().
    for (const auto& [key, counts] : target.extra_calls) {
      auto& grid = extra_calls_[key];
      auto& shown = shown_totals_.extra_calls[key];
      const auto b = born.extra_calls.find(key);
      for (std::size_t dir = 0; dir < api::direction_count; ++dir)
        for (std::size_t disp = 0; disp < api::disposition_count; ++disp)
          raise(
              grid[dir][disp], p, counts[dir][disp], shown[dir][disp],
              b == born.extra_calls.end() ? 0 : b->second[dir][disp], false,
              "calls/" + std::to_string(dir) + "/" + std::to_string(disp) + "/" + key[0] + "/" + key[1] + "/" + key[2],
              labels(key, dir, disp), f_.calls);
    }
  }
  for (std::size_t dir = 0; dir < api::direction_count; ++dir) {
    for (std::size_t disp = 0; disp < api::disposition_count && !f_.labeler.enabled(); ++disp)
      raise(calls_[dir][disp], p, target.calls[dir][disp], shown_totals_.calls[dir][disp], born.calls[dir][disp],
            whole_grid, "calls/" + std::to_string(dir) + "/" + std::to_string(disp), labels(dir, disp), f_.calls);
    raise(recorded_[dir], p, target.recorded[dir], shown_totals_.recorded[dir], born.recorded[dir], false,
          "recorded/" + std::to_string(dir), labels(dir), f_.recorded);
    raise(queued_[dir], p, target.queued[dir], shown_totals_.queued[dir], born.queued[dir], false,
          "queued/" + std::to_string(dir), labels(dir), f_.queued);
    for (std::size_t h = 0; h < call_histogram_count; ++h) {
      const auto kind = static_cast<call_histogram>(h);
      // Without a tenant label every tenant resolves the same child (Family::Add returns the
      // one it has), so the aggregate is the sum of what each tenant shows.
      auto l = labels(dir);
      if (!f_.per_tenant_histograms) l.erase("tenant");
      raise(histograms_[h][dir], p, target.histograms[h][dir], shown_totals_.histograms[h][dir],
            born.histograms[h][dir], "histogram/" + std::to_string(h) + "/" + std::to_string(dir), l,
            f_.call_histogram_family(kind), bucket_bounds(kind));
    }
  }
  if (baseline_ == baseline_state::closed && !p.plan) {
    baseline_ = baseline_state::shown;
    baseline_values_.reset();
  }
}

void tenant_metrics::publish_counts(pass& p, const collector_counts& target) {
  const prometheus::Labels none;
  raise(records_, p, target.records, shown_counts_.records, 0, false, "records", none, f_.records);
  raise(duplicates_, p, target.duplicates, shown_counts_.duplicates, 0, false, "duplicates", none, f_.duplicates);
  raise(invalid_, p, target.invalid, shown_counts_.invalid, 0, false, "invalid", none, f_.invalid);
  raise(revised_, p, target.revised, shown_counts_.revised, 0, false, "revised", none, f_.revised);
  raise(outside_window_, p, target.outside_window, shown_counts_.outside_window, 0, false, "outside_window", none,
        f_.outside_window);
  raise(polls_success_, p, target.polls_success, shown_counts_.polls_success, 0, false, "polls/success", none,
        f_.polls);
  raise(polls_failure_, p, target.polls_failure, shown_counts_.polls_failure, 0, false, "polls/failure", none,
        f_.polls);
  for (const auto& [code, n] : target.requests) {
    auto it = requests_.find(code);
    if (it == requests_.end()) it = requests_.emplace(code, counter{}).first;
    raise(it->second, p, n, shown_counts_.requests[code], 0, false, "requests/" + code,
          {{"tenant", label_}, {"code", code}}, f_.requests);
  }
  raise(request_duration_, p, target.request_duration, shown_counts_.request_duration, histogram_delta{},
        "request_duration", none, f_.request_duration, request_duration_buckets);
}

// ---- gauges --------------------------------------------------------------------------------

void tenant_metrics::set_up(bool up) {
  up_->Set(up ? 1 : 0);
  touch();
}

void tenant_metrics::set_last_success(std::chrono::sys_seconds t) {
  last_success_->Set(static_cast<double>(t.time_since_epoch().count()));
  touch();
}

void tenant_metrics::set_watermark(std::chrono::sys_seconds t) {
  if (!watermark_gauge_) watermark_gauge_ = &f_.watermark.Add({{"tenant", label_}});
  watermark_gauge_->Set(static_cast<double>(t.time_since_epoch().count()));
  watermark_ = t;
  touch();
}

}  // namespace voxo::metrics

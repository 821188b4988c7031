#include "metrics/exporter_metrics.hpp"
#include "util/build_info.hpp"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <vector>

namespace voxo::metrics {


namespace detail {

struct families {
  prometheus::Family<prometheus::Counter>& calls;
  prometheus::Family<prometheus::Histogram>& duration;
  prometheus::Family<prometheus::Histogram>& talk_duration;
  prometheus::Family<prometheus::Histogram>& mos;
  prometheus::Family<prometheus::Histogram>& jitter;
  prometheus::Family<prometheus::Histogram>& packet_loss;
  prometheus::Family<prometheus::Counter>& recorded;
  prometheus::Family<prometheus::Counter>& queued;
  prometheus::Family<prometheus::Gauge>& tenant_info;
  prometheus::Family<prometheus::Gauge>& build_info;
  prometheus::Family<prometheus::Gauge>& up;
  prometheus::Family<prometheus::Counter>& requests;
  prometheus::Family<prometheus::Histogram>& request_duration;
  prometheus::Family<prometheus::Counter>& records;
  prometheus::Family<prometheus::Counter>& duplicates;
  prometheus::Family<prometheus::Counter>& invalid;
  prometheus::Family<prometheus::Gauge>& last_success;
  prometheus::Family<prometheus::Gauge>& watermark;
  prometheus::Family<prometheus::Counter>& polls;
  prometheus::Family<prometheus::Counter>& revised;
  api::call_labeler& labeler;        // extra labels of voxo_calls_total, and their cap
  bool per_tenant_histograms = true;  // false: the call histograms are summed over tenants

  prometheus::Family<prometheus::Histogram>& call_histogram_family(call_histogram h) {
    switch (h) {
      case call_histogram::duration: return duration;
      case call_histogram::talk_duration: return talk_duration;
      case call_histogram::mos: return mos;
      case call_histogram::jitter: return jitter;
      case call_histogram::packet_loss: return packet_loss;
    }
    return duration;
  }
};

namespace {

// Registers a family and adds it to the data part's text (a family not added is not served).
struct registrar {
  prometheus::Registry& registry;
  family_text& text;
};

template <class Builder>
auto& build(Builder b, const registrar& r, const std::string& name, const std::string& help) {
  auto& f = b.Name(name).Help(help).Register(r.registry);
  r.text.add(f);
  return f;
}

std::unique_ptr<families> make_families(const registrar& r, const std::string& every, api::call_labeler& labeler,
                                        bool per_tenant_histograms) {
  using prometheus::BuildCounter;
  using prometheus::BuildGauge;
  using prometheus::BuildHistogram;
  const std::string from = " Counted from CDRs collected in the background every " + every + ".";
  // Call histograms only: the HELP says when they carry no tenant label.
  const std::string hfrom =
      per_tenant_histograms ? from : from + " Summed over the tenants of this replica (metrics.per_tenant_histograms: false).";
  return std::unique_ptr<families>(new families{
      build(BuildCounter(), r, "voxo_calls_total", "Calls (unique valid call records)." + from),
      build(BuildHistogram(), r, "voxo_call_duration_seconds", "Call duration in seconds, ringing included." + hfrom),
      build(BuildHistogram(), r, "voxo_call_talk_duration_seconds",
            "Talk time after answer in seconds, answered calls." + hfrom),
      build(BuildHistogram(), r, "voxo_call_mos",
            "Mean opinion score (1-5) of answered calls where it was measured." + hfrom),
      build(BuildHistogram(), r, "voxo_call_jitter_ratio", "Jitter as a ratio (percentJitter/100), answered calls." + hfrom),
      build(BuildHistogram(), r, "voxo_call_packet_loss_ratio",
            "Packet loss as a ratio (packetLoss/100), answered calls." + hfrom),
      build(BuildCounter(), r, "voxo_calls_recorded_total", "Calls that were recorded." + from),
      build(BuildCounter(), r, "voxo_queue_calls_total", "Calls that went through a call queue." + from),
      build(BuildGauge(), r, "voxo_tenant_info", "Configured tenant and its display name (always 1)."),
      build(BuildGauge(), r, "voxo_exporter_build_info", "Version and revision of voxo_exporter (always 1)."),
      build(BuildGauge(), r, "voxo_up", "1 when the last poll of the tenant's call reports succeeded, else 0."),
      build(BuildCounter(), r, "voxo_collector_requests_total",
            "API requests by HTTP status code, or code=\"error\" for transport faults."),
      build(BuildHistogram(), r, "voxo_collector_request_duration_seconds", "Duration of API requests in seconds."),
      build(BuildCounter(), r, "voxo_collector_records_total", "Unique valid call records ingested."),
      build(BuildCounter(), r, "voxo_collector_duplicate_records_total",
            "Call records skipped because their id was already counted (overlapping windows)."),
      build(BuildCounter(), r, "voxo_collector_invalid_records_total",
            "Call records skipped because they could not be trusted (no id, bad time, wrong type)."),
      build(BuildGauge(), r, "voxo_collector_last_success_timestamp_seconds",
            "Unix time the last successful poll of the tenant ended."),
      build(BuildGauge(), r, "voxo_collector_watermark_timestamp_seconds",
            "Unix time up to which the tenant's call reports were collected completely."),
      build(BuildCounter(), r, "voxo_collector_polls_total", "Polls of the tenant by result (success, failure)."),
      build(BuildCounter(), r, "voxo_collector_revised_records_total",
            "Call records that came back under an id already counted with changed values (the API filled in "
            "MOS, duration, ... later). The call is still counted once: its first version's values stay, "
            "the revised one is not added."),
      labeler,
      per_tenant_histograms,
  });
}

}  // namespace
}  // namespace detail

// ---------------------------------------------------------------------------------------

tenant_metrics::tenant_metrics(detail::families& f, std::string label, std::atomic<std::uint64_t>& generation)
    : f_(f), label_(std::move(label)), generation_(generation) {
  // The self metrics exist from the start (rate() and alerts need a 0 before the first event).
  const prometheus::Labels t{{"tenant", label_}};
  up_ = &f_.up.Add(t);
  records_ = &f_.records.Add(t);
  duplicates_ = &f_.duplicates.Add(t);
  invalid_ = &f_.invalid.Add(t);
  revised_ = &f_.revised.Add(t);
  touch();
}

prometheus::Counter& tenant_metrics::call_counter(std::size_t dir, std::size_t disp) {
  auto*& c = calls_[dir][disp];
  if (!c)
    c = &f_.calls.Add({{"tenant", label_},
                       {"direction", std::string(api::label(static_cast<api::call_direction>(dir)))},
                       {"disposition", std::string(api::label(static_cast<api::call_disposition>(disp)))}});
  return *c;
}

prometheus::Histogram& tenant_metrics::histogram(call_histogram h, std::size_t dir) {
  auto*& p = histograms_[static_cast<std::size_t>(h)][dir];
  if (!p) {
    const auto bounds = bucket_bounds(h);
    prometheus::Labels labels{{"direction", std::string(api::label(static_cast<api::call_direction>(dir)))}};
    // Without a tenant label every tenant resolves the same child (Family::Add returns the one
    // it has), so the aggregate is simply the sum of what each tenant observes.
    if (f_.per_tenant_histograms) labels.emplace("tenant", label_);
    p = &f_.call_histogram_family(h).Add(labels, prometheus::Histogram::BucketBoundaries(bounds.begin(), bounds.end()));
  }
  return *p;
}

tenant_metrics::counter_grid& tenant_metrics::extra_counters(const extra_key& key) {
  auto it = extra_calls_.find(key);
  if (it == extra_calls_.end()) it = extra_calls_.emplace(key, counter_grid{}).first;
  return it->second;
}

prometheus::Counter& tenant_metrics::extra_call_counter(const extra_key& key, counter_grid& grid, std::size_t dir,
                                                        std::size_t disp) {
  auto*& c = grid[dir][disp];
  if (!c) {
    prometheus::Labels labels{{"tenant", label_},
                              {"direction", std::string(api::label(static_cast<api::call_direction>(dir)))},
                              {"disposition", std::string(api::label(static_cast<api::call_disposition>(disp)))}};
    for (std::size_t l = 0; l < api::extra_label_count; ++l)
      if (!key[l].empty()) labels.emplace(std::string(api::name(static_cast<api::extra_label>(l))), key[l]);
    c = &f_.calls.Add(labels);
  }
  return *c;
}

void tenant_metrics::apply(const call_deltas& d) {
  // With extra labels on, voxo_calls_total is the extra_calls breakdown; calls (the same
  // calls) then only feeds totals().
  const bool extra = f_.labeler.enabled();
  if (extra)
    for (const auto& [key, counts] : d.extra_calls) {
      auto& grid = extra_counters(key);  // one lookup per label combination and window
      for (std::size_t dir = 0; dir < api::direction_count; ++dir)
        for (std::size_t disp = 0; disp < api::disposition_count; ++disp)
          if (auto n = counts[dir][disp]) extra_call_counter(key, grid, dir, disp).Increment(static_cast<double>(n));
    }
  for (std::size_t dir = 0; dir < api::direction_count; ++dir) {
    const std::string direction(api::label(static_cast<api::call_direction>(dir)));
    for (std::size_t disp = 0; disp < api::disposition_count && !extra; ++disp)
      if (auto n = d.calls[dir][disp]) call_counter(dir, disp).Increment(static_cast<double>(n));
    if (auto n = d.recorded[dir]) {
      if (!recorded_[dir]) recorded_[dir] = &f_.recorded.Add({{"tenant", label_}, {"direction", direction}});
      recorded_[dir]->Increment(static_cast<double>(n));
    }
    if (auto n = d.queued[dir]) {
      if (!queued_[dir]) queued_[dir] = &f_.queued.Add({{"tenant", label_}, {"direction", direction}});
      queued_[dir]->Increment(static_cast<double>(n));
    }
    for (std::size_t h = 0; h < call_histogram_count; ++h) {
      const auto& delta = d.histograms[h][dir];
      if (delta.count == 0) continue;
      const auto kind = static_cast<call_histogram>(h);
      const auto n = bucket_bounds(kind).size() + 1;
      std::vector<double> increments(n);
      for (std::size_t i = 0; i < n; ++i) increments[i] = static_cast<double>(delta.buckets[i]);
      histogram(kind, dir).ObserveMultiple(increments, delta.sum);
    }
  }
  totals_.merge(d);
  touch();
}

namespace {

std::uint64_t shortfall(std::uint64_t target, std::uint64_t have) noexcept { return target > have ? target - have : 0; }

// What `have` lacks to reach `target` (nothing when it already counted as many observations).
histogram_delta shortfall(const histogram_delta& target, const histogram_delta& have) noexcept {
  histogram_delta d;
  if (target.count <= have.count) return d;
  for (std::size_t i = 0; i < d.buckets.size(); ++i) d.buckets[i] = shortfall(target.buckets[i], have.buckets[i]);
  d.count = target.count - have.count;
  d.sum = have.count == 0 ? target.sum : target.sum - have.sum;
  return d;
}

}  // namespace

// The saved breakdown goes through the labeler's cap again (a lowered cap folds the values past
// it into `other`). Entries of another label set (extra_labels changed) are dropped: those
// series start from 0, the plain totals are still restored.
void tenant_metrics::restore_extra(const call_deltas& totals, call_deltas& d) {
  auto& labeler = f_.labeler;
  if (!labeler.enabled()) return;
  extra_call_counts target;
  for (const auto& [key, counts] : totals.extra_calls) {
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
  for (const auto& [key, counts] : target) {
    const auto have = totals_.extra_calls.find(key);
    call_counts missing{};
    bool any = false;
    for (std::size_t dir = 0; dir < api::direction_count; ++dir)
      for (std::size_t disp = 0; disp < api::disposition_count; ++disp) {
        const auto had = have == totals_.extra_calls.end() ? 0 : have->second[dir][disp];
        missing[dir][disp] = shortfall(counts[dir][disp], had);
        any = any || missing[dir][disp] > 0;
      }
    if (any) d.extra_calls.emplace(key, missing);
  }
}

prometheus::Counter& tenant_metrics::request_counter(std::string_view code) {
  auto it = requests_.find(code);
  if (it == requests_.end())
    it = requests_.emplace(std::string(code), &f_.requests.Add({{"tenant", label_}, {"code", std::string(code)}}))
             .first;
  return *it->second;
}

prometheus::Counter& tenant_metrics::poll_counter(bool success) {
  auto& c = polls_[success];
  if (!c) c = &f_.polls.Add({{"tenant", label_}, {"result", success ? "success" : "failure"}});
  return *c;
}

prometheus::Histogram& tenant_metrics::request_duration() {
  if (!request_duration_)
    request_duration_ = &f_.request_duration.Add(
        {{"tenant", label_}},
        prometheus::Histogram::BucketBoundaries(request_duration_buckets.begin(), request_duration_buckets.end()));
  return *request_duration_;
}

void tenant_metrics::restore(const call_deltas& totals, const collector_counts& counts) {
  call_deltas d;
  for (std::size_t dir = 0; dir < api::direction_count; ++dir) {
    for (std::size_t disp = 0; disp < api::disposition_count; ++disp)
      d.calls[dir][disp] = shortfall(totals.calls[dir][disp], totals_.calls[dir][disp]);
    d.recorded[dir] = shortfall(totals.recorded[dir], totals_.recorded[dir]);
    d.queued[dir] = shortfall(totals.queued[dir], totals_.queued[dir]);
    for (std::size_t h = 0; h < call_histogram_count; ++h)
      d.histograms[h][dir] = shortfall(totals.histograms[h][dir], totals_.histograms[h][dir]);
  }
  restore_extra(totals, d);
  if (d != call_deltas{}) apply(d);

  auto raise = [](prometheus::Counter& c, std::uint64_t& have, std::uint64_t target) {
    if (auto n = shortfall(target, have)) {
      c.Increment(static_cast<double>(n));
      have = target;
    }
  };
  raise(*records_, counts_.records, counts.records);
  raise(*duplicates_, counts_.duplicates, counts.duplicates);
  raise(*invalid_, counts_.invalid, counts.invalid);
  raise(*revised_, counts_.revised, counts.revised);
  for (const auto& [code, n] : counts.requests) raise(request_counter(code), counts_.requests[code], n);
  if (counts.polls_success > 0) raise(poll_counter(true), counts_.polls_success, counts.polls_success);
  if (counts.polls_failure > 0) raise(poll_counter(false), counts_.polls_failure, counts.polls_failure);
  const auto rd = shortfall(counts.request_duration, counts_.request_duration);
  if (rd.count > 0) {
    std::vector<double> increments(request_duration_buckets.size() + 1);
    for (std::size_t i = 0; i < increments.size(); ++i) increments[i] = static_cast<double>(rd.buckets[i]);
    request_duration().ObserveMultiple(increments, rd.sum);
    counts_.request_duration.merge(rd);
  }
  touch();
}

void tenant_metrics::count_request(std::string_view code, double seconds) {
  request_counter(code).Increment();
  ++counts_.requests[std::string(code)];
  request_duration().Observe(seconds);
  counts_.request_duration.observe(request_duration_buckets, seconds);
  touch();
}

void tenant_metrics::count_ingest(std::uint64_t records, std::uint64_t duplicates, std::uint64_t invalid) {
  records_->Increment(static_cast<double>(records));
  duplicates_->Increment(static_cast<double>(duplicates));
  invalid_->Increment(static_cast<double>(invalid));
  counts_.records += records;
  counts_.duplicates += duplicates;
  counts_.invalid += invalid;
  touch();
}

void tenant_metrics::count_revised(std::uint64_t revised) {
  if (revised == 0) return;
  revised_->Increment(static_cast<double>(revised));
  counts_.revised += revised;
  touch();
}

void tenant_metrics::count_poll(bool success) {
  poll_counter(success).Increment();
  ++(success ? counts_.polls_success : counts_.polls_failure);
  touch();
}

void tenant_metrics::set_up(bool up) {
  up_->Set(up ? 1 : 0);
  touch();
}

void tenant_metrics::set_last_success(std::chrono::sys_seconds t) {
  if (!last_success_) last_success_ = &f_.last_success.Add({{"tenant", label_}});
  last_success_->Set(static_cast<double>(t.time_since_epoch().count()));
  touch();
}

void tenant_metrics::set_watermark(std::chrono::sys_seconds t) {
  if (!watermark_gauge_) watermark_gauge_ = &f_.watermark.Add({{"tenant", label_}});
  watermark_gauge_->Set(static_cast<double>(t.time_since_epoch().count()));
  watermark_ = t;
  touch();
}

// ---------------------------------------------------------------------------------------

exporter_metrics::exporter_metrics() : exporter_metrics(options{std::string(util::build_version()), std::string(util::build_revision())}) {}

exporter_metrics::exporter_metrics(options opts)
    : registry_(std::make_shared<prometheus::Registry>()),
      labeler_(opts.extra_labels),
      families_(detail::make_families({*registry_, text_}, opts.interval_text, labeler_, opts.per_tenant_histograms)),
      process_(opts.process_metrics ? std::make_unique<process_collector>() : nullptr) {
  families_->build_info.Add({{"version", opts.version}, {"revision", opts.revision}}).Set(1);
  const detail::registrar r{*registry_, text_};
  using prometheus::BuildCounter;
  using prometheus::BuildGauge;
  reload_success_ = &detail::build(BuildGauge(), r, "voxo_exporter_config_last_reload_successful",
                                   "1 when the last configuration reload (start-up or SIGHUP) succeeded, else 0.")
                         .Add({});
  reload_timestamp_ = &detail::build(BuildGauge(), r, "voxo_exporter_config_last_reload_success_timestamp_seconds",
                                     "Unix time of the last successful configuration reload (start-up or SIGHUP).")
                           .Add({});
  shard_tenants_ = &detail::build(BuildGauge(), r, "voxo_exporter_shard_tenants",
                                  "Tenants this replica polls (with --shard.count > 1, its share of them).")
                        .Add({});
  rate_limit_wait_ = &detail::build(BuildCounter(), r, "voxo_collector_rate_limit_wait_seconds_total",
                                    "Seconds API requests waited for the budget (collector.max_requests_per_second), "
                                    "summed over requests.")
                          .Add({});
  unattributed_ = &detail::build(BuildCounter(), r, "voxo_collector_partner_unattributed_records_total",
                                 "Partner-wide records of accounts past tenants.max_accounts, counted as tenant=\"partner\".")
                       .Add({});
  exposition_cache::timing timing;
  timing.min_interval = opts.render_interval;
  exposition_ = std::make_unique<exposition_cache>([this] { return render_data(); },
                                                   [this](const exposition_data& d) { return render_live(&d); },
                                                   [this] { return generation(); }, timing);
}

exporter_metrics::~exporter_metrics() = default;

tenant_metrics& exporter_metrics::tenant(const std::string& label, const std::string& name) {
  auto it = tenants_.find(label);
  if (it == tenants_.end()) {
    tenant_entry e;
    e.metrics = std::make_unique<tenant_metrics>(*families_, label, generation_);
    it = tenants_.emplace(label, std::move(e)).first;
  }
  auto& e = it->second;
  if (!e.info || e.name != name) {  // a discovered tenant may be renamed: one info series per tenant
    if (e.info) families_->tenant_info.Remove(e.info);
    e.name = name;
    e.info = &families_->tenant_info.Add({{"tenant", label}, {"name", name}});
    e.info->Set(1);
    generation_.fetch_add(1, std::memory_order_relaxed);
  }
  return *e.metrics;
}

void exporter_metrics::set_config_reload(bool success, std::chrono::sys_seconds when) {
  reload_success_->Set(success ? 1 : 0);
  if (success) reload_timestamp_->Set(static_cast<double>(when.time_since_epoch().count()));
  generation_.fetch_add(1, std::memory_order_relaxed);
}

bool exporter_metrics::per_tenant_histograms() const noexcept { return families_->per_tenant_histograms; }

void exporter_metrics::set_shard_tenants(std::size_t tenants) {
  shard_tenants_->Set(static_cast<double>(tenants));
  generation_.fetch_add(1, std::memory_order_relaxed);
}

void exporter_metrics::add_rate_limit_wait(double seconds) {
  rate_limit_wait_->Increment(seconds);
  generation_.fetch_add(1, std::memory_order_relaxed);
}

void exporter_metrics::count_unattributed(std::uint64_t records) {
  unattributed_->Increment(static_cast<double>(records));
  generation_.fetch_add(1, std::memory_order_relaxed);
}

std::string exporter_metrics::render_data() const {
  // A little more than last time: the data usually grows a bit between renderings.
  const auto last = last_data_size_.load(std::memory_order_relaxed);
  auto text = text_.render(last + last / 32);
  last_data_size_.store(text.size(), std::memory_order_relaxed);
  return text;
}

namespace {

prometheus::MetricFamily gauge_family(std::string name, std::string help) {
  prometheus::MetricFamily f;
  f.name = std::move(name);
  f.help = std::move(help);
  f.type = prometheus::MetricType::Gauge;
  return f;
}

void add_value(prometheus::MetricFamily& f, double value) {
  prometheus::ClientMetric m;
  m.gauge.value = value;
  f.metric.push_back(std::move(m));
}

double to_seconds(std::chrono::steady_clock::duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace

std::string exporter_metrics::render_live(const exposition_data* served) const {
  std::vector<prometheus::MetricFamily> families;
  if (process_) families = process_->Collect();
  // Lag is computed now rather than stored, so it grows while polls fail.
  auto lag = gauge_family("voxo_collector_lag_seconds",
                          "Seconds between now and the tenant's watermark (how far behind the collection is).");
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  lag.metric.reserve(tenants_.size());
  for (const auto& [label, e] : tenants_) {
    if (auto wm = e.metrics->watermark()) {
      prometheus::ClientMetric m;
      m.label.push_back({"tenant", label});
      m.gauge.value = static_cast<double>((now - *wm).count());
      lag.metric.push_back(std::move(m));
    }
  }
  if (!lag.metric.empty()) families.push_back(std::move(lag));
  if (served) {
    auto took = gauge_family("voxo_exporter_exposition_render_seconds",
                             "Seconds the last background rendering and compression of the metrics took.");
    add_value(took, to_seconds(served->took));
    families.push_back(std::move(took));
    auto age = gauge_family("voxo_exporter_exposition_age_seconds",
                            "Seconds since the metrics served (all but process_*, lag and these) were rendered.");
    add_value(age, to_seconds(std::chrono::steady_clock::now() - served->started));
    families.push_back(std::move(age));
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace voxo::metrics

#include "metrics/exporter_metrics.hpp"
#include "metrics/detail/families.hpp"
#include "util/build_info.hpp"

#include <prometheus/text_serializer.h>

#include <algorithm>
#include <vector>

namespace voxo::metrics {

// ---------------------------------------------------------------------------------------

exporter_metrics::exporter_metrics() : exporter_metrics(options{std::string(util::build_version()), std::string(util::build_revision())}) {}

exporter_metrics::exporter_metrics(options opts)
    : registry_(std::make_shared<prometheus::Registry>()),
      labeler_(opts.extra_labels),
      families_(detail::make_families({*registry_, text_}, opts.interval_text, labeler_, opts.per_tenant_histograms)),
      process_(opts.process_metrics ? std::make_unique<process_collector>() : nullptr),
      new_series_hold_(opts.new_series_hold) {
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
  // collector.state_file saves (a failures/total pair like Prometheus' own, plus the time of
  // the last success): while saves fail, the call counters stand still.
  state_saves_ = &detail::build(BuildCounter(), r, "voxo_exporter_state_saves_total",
                                "Attempts to save collector.state_file.")
                      .Add({});
  state_save_failures_ = &detail::build(BuildCounter(), r, "voxo_exporter_state_save_failures_total",
                                        "Failed saves of collector.state_file. Counts are shown only once saved: "
                                        "while saves fail, the call counters stand still.")
                              .Add({});
  state_last_save_ = &detail::build(BuildGauge(), r, "voxo_exporter_state_last_save_success_timestamp_seconds",
                                    "Unix time of the last successful save of collector.state_file (0: none yet).")
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
    e.metrics = std::make_unique<tenant_metrics>(*families_, label, generation_, new_series_hold_);
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

void exporter_metrics::count_state_save(bool success, std::chrono::sys_seconds when) {
  state_saves_->Increment();
  if (success)
    state_last_save_->Set(static_cast<double>(when.time_since_epoch().count()));
  else
    state_save_failures_->Increment();
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

#include "metrics/exporter_metrics.hpp"

#include <vector>

#include "metrics/detail/exporter_series.hpp"
#include "metrics/detail/families.hpp"
#include "util/build_info.hpp"

namespace voxo::metrics {

exporter_metrics::exporter_metrics()
    : exporter_metrics(options{std::string(util::build_version()), std::string(util::build_revision())}) {}

exporter_metrics::exporter_metrics(options opts)
    : registry_(std::make_shared<prometheus::Registry>()),
      labeler_(opts.extra_labels),
      families_(detail::make_families({*registry_, text_}, opts.interval_text, labeler_, opts.per_tenant_histograms)),
      series_(std::make_unique<detail::exporter_series>(detail::registrar{*registry_, text_}, *families_, opts.version,
                                                        opts.revision)),
      process_(opts.process_metrics ? std::make_unique<process_collector>() : nullptr),
      new_series_hold_(opts.new_series_hold),
      frozen_live_clock_(opts.frozen_live_clock) {
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

bool exporter_metrics::per_tenant_histograms() const noexcept { return families_->per_tenant_histograms; }

// ---- exporter-wide series: each change moves the generation, so the data part re-renders ----

void exporter_metrics::set_config_reload(bool success, std::chrono::sys_seconds when) {
  series_->set_config_reload(success, when);
  generation_.fetch_add(1, std::memory_order_relaxed);
}

void exporter_metrics::set_shard_tenants(std::size_t tenants) {
  series_->set_shard_tenants(tenants);
  generation_.fetch_add(1, std::memory_order_relaxed);
}

void exporter_metrics::add_rate_limit_wait(double seconds) {
  series_->add_rate_limit_wait(seconds);
  generation_.fetch_add(1, std::memory_order_relaxed);
}

void exporter_metrics::count_unattributed(std::uint64_t records) {
  series_->count_unattributed(records);
  generation_.fetch_add(1, std::memory_order_relaxed);
}

void exporter_metrics::count_state_save(bool success, std::chrono::sys_seconds when) {
  series_->count_state_save(success, when);
  generation_.fetch_add(1, std::memory_order_relaxed);
}

// ---- the two parts of the exposition ---------------------------------------------------

std::string exporter_metrics::render_data() const {
  // A little more than last time: the data usually grows a bit between renderings.
  const auto last = last_data_size_.load(std::memory_order_relaxed);
  auto text = text_.render(last + last / 32);
  last_data_size_.store(text.size(), std::memory_order_relaxed);
  return text;
}

std::string exporter_metrics::render_live(const exposition_data* served) const {
  std::vector<detail::tenant_watermark> watermarks;
  watermarks.reserve(tenants_.size());
  for (const auto& [label, e] : tenants_)
    if (auto wm = e.metrics->watermark()) watermarks.push_back({label, *wm});
  return detail::render_live_part(process_.get(), watermarks, served, frozen_live_clock_);
}

}  // namespace voxo::metrics

#include "metrics/live_part.hpp"

#include <prometheus/text_serializer.h>

namespace voxo::metrics::detail {

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

std::string render_live_part(const process_collector* process, const std::vector<tenant_watermark>& watermarks,
                             const exposition_data* served, const std::optional<frozen_clock>& frozen) {
  std::vector<prometheus::MetricFamily> families;
  if (process) families = process->Collect();
  auto lag = gauge_family("voxo_collector_lag_seconds",
                          "Seconds between now and the tenant's watermark (how far behind the collection is).");
  const auto now = frozen ? frozen->now : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  lag.metric.reserve(watermarks.size());
  for (const auto& w : watermarks) {
    prometheus::ClientMetric m;
    m.label.push_back({"tenant", std::string(w.tenant)});
    m.gauge.value = static_cast<double>((now - w.watermark).count());
    lag.metric.push_back(std::move(m));
  }
  if (!lag.metric.empty()) families.push_back(std::move(lag));
  if (served) {
    auto took = gauge_family("voxo_exporter_exposition_render_seconds",
                             "Seconds the last background rendering and compression of the metrics took.");
    add_value(took, to_seconds(frozen ? frozen->render_took : served->took));
    families.push_back(std::move(took));
    auto age = gauge_family("voxo_exporter_exposition_age_seconds",
                            "Seconds since the metrics served (all but process_*, lag and these) were rendered.");
    add_value(age, to_seconds(frozen ? frozen->age : std::chrono::steady_clock::now() - served->started));
    families.push_back(std::move(age));
  }
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace voxo::metrics::detail

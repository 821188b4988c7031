#pragma once
// Test and benchmark access to exporter_metrics' internals, kept out of its public header so
// the exporter's own code cannot come to depend on them: the registry (to compare with
// prometheus-cpp's own serializer), the exposition cache (to wait for a background
// rendering), the generation it renders from, and the data part rendered on the spot.

#include <prometheus/registry.h>

#include <cstdint>
#include <string>

#include "metrics/exporter_metrics.hpp"
#include "metrics/exposition_cache.hpp"

namespace voxo::metrics::detail {

struct exporter_metrics_access {
  static prometheus::Registry& registry(exporter_metrics& m) noexcept { return *m.registry_; }
  static exposition_cache& cache(exporter_metrics& m) noexcept { return *m.exposition_; }
  static std::uint64_t generation(const exporter_metrics& m) noexcept { return m.generation(); }
  static std::string render_data(const exporter_metrics& m) { return m.render_data(); }
};

}  // namespace voxo::metrics::detail

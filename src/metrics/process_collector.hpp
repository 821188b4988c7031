#pragma once
// The process_* metrics every exporter has, read from /proc when collected.

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <vector>

namespace voxo::metrics {

class process_collector : public prometheus::Collectable {
 public:
  std::vector<prometheus::MetricFamily> Collect() const override;
};

}  // namespace voxo::metrics

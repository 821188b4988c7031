#pragma once
// The text of a prometheus::Registry, serialized one family at a time.
//
// Registry::Collect() materializes every series of every family (labels, buckets) before
// TextSerializer writes a byte: several hundred MB at 10,000 tenants, freed right after. Here
// each family is collected, serialized and freed before the next, so the transient peak is the
// largest family, and the text is appended straight to one string (no stream copy).
// The output is byte-identical to TextSerializer().Serialize(registry.Collect()) as long as
// every family registered is added here; prometheus-cpp 1.0.1 collects counters, then gauges,
// then histograms, then summaries, each kind in registration order, and so does this.

#include <cstddef>
#include <string>
#include <vector>

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/summary.h>

namespace voxo::metrics {

class family_text {
 public:
  // Call for each family right after registering it.
  void add(const prometheus::Family<prometheus::Counter>& f) { counters_.push_back(&f); }
  void add(const prometheus::Family<prometheus::Gauge>& f) { gauges_.push_back(&f); }
  void add(const prometheus::Family<prometheus::Histogram>& f) { histograms_.push_back(&f); }
  void add(const prometheus::Family<prometheus::Summary>& f) { summaries_.push_back(&f); }

  // The text exposition of every family added; `reserve` bytes are reserved up front (the
  // size of the previous rendering, so the string does not grow by doubling).
  std::string render(std::size_t reserve = 0) const;

 private:
  std::vector<const prometheus::Collectable*> counters_, gauges_, histograms_, summaries_;
};

}  // namespace voxo::metrics

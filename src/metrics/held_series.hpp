#pragma once
// A series inside its new-series hold (see tenant_metrics.hpp): the value it was born with,
// which is all a scraper may have seen of it. A state file keeps these, so a restart holds them
// again instead of showing values no scrape stored a 0 before.

#include <cstdint>
#include <optional>
#include <string>

#include "metrics/call_deltas.hpp"

namespace voxo::metrics {

struct held_series_state {
  std::string key;         // which series of the tenant, e.g. "calls/0/2", "histogram/2/3", "requests/503"
  std::uint64_t born = 0;  // a counter's born value
  std::optional<histogram_delta> born_histogram;  // a histogram's
  friend bool operator==(const held_series_state&, const held_series_state&) = default;
};

}  // namespace voxo::metrics

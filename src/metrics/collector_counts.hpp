#pragma once
// The cumulative values behind a tenant's own collector counters (voxo_collector_*_total and
// the request duration histogram), as plain numbers: a state file saves them and a restart
// restores them, so increase() over a restart is exact for these counters too.

#include <cstdint>
#include <map>
#include <string>

#include "metrics/call_deltas.hpp"

namespace voxo::metrics {

struct collector_counts {
  std::uint64_t records = 0;                                   // voxo_collector_records_total
  std::uint64_t duplicates = 0;                                // voxo_collector_duplicate_records_total
  std::uint64_t invalid = 0;                                   // voxo_collector_invalid_records_total
  std::uint64_t revised = 0;                                   // voxo_collector_revised_records_total
  std::uint64_t outside_window = 0;                            // voxo_collector_records_outside_window_total
  std::map<std::string, std::uint64_t, std::less<>> requests;  // voxo_collector_requests_total by code
  std::uint64_t polls_success = 0;                             // voxo_collector_polls_total{result}
  std::uint64_t polls_failure = 0;
  histogram_delta request_duration;  // voxo_collector_request_duration_seconds

  friend bool operator==(const collector_counts&, const collector_counts&) = default;
};

}  // namespace voxo::metrics

#pragma once
// The live part of /metrics (see exposition.hpp), rendered for each scrape on the I/O thread:
// the process_* metrics, each tenant's collector lag and, given the data part it is served
// with, that part's render time and age. Lag is now minus the tenant's watermark, computed at
// render time rather than stored, so it grows while polls fail. Every family here is absent
// from the registry, so data part + live part is one valid exposition. The clocks are read
// here only; a frozen_clock replaces them where output must be byte-stable (golden tests).

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/exposition.hpp"
#include "metrics/process_collector.hpp"

namespace voxo::metrics {

// Fixed readings for the live part (exporter_metrics::options::frozen_live_clock): collector
// lag is taken at `now`; the data part's render time and age are shown as given.
struct frozen_clock {
  std::chrono::sys_seconds now{};
  std::chrono::steady_clock::duration render_took{};
  std::chrono::steady_clock::duration age{};
};

namespace detail {

struct tenant_watermark {
  std::string_view tenant;
  std::chrono::sys_seconds watermark;
};

// `process` null: no process_* metrics. `served` null: no render time and age (render()).
std::string render_live_part(const process_collector* process, const std::vector<tenant_watermark>& watermarks,
                             const exposition_data* served, const std::optional<frozen_clock>& frozen);

}  // namespace detail
}  // namespace voxo::metrics

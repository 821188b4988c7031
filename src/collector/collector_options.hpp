#pragma once
// The collector's knobs that are not configuration: tests shorten or fake them, the binary
// takes the defaults. Every part of the collector reads them (see collector.hpp).

#include <chrono>
#include <functional>

#include "collector/backoff.hpp"
#include "collector/token_bucket.hpp"

namespace voxo::collector {

struct collector_options {
  std::function<std::chrono::sys_seconds()> clock;                      // wall clock for windows; default system_clock
  backoff_policy backoff;                                               // cap is further limited to collector.interval
  bool spread_first_polls = true;                                       // first polls spread over the first interval
  std::chrono::milliseconds state_save_every{std::chrono::seconds(5)};  // at most this often
  // Whole-request deadline (0 = 10 x api.timeout, which bounds each I/O step only).
  std::chrono::milliseconds request_deadline{0};
  // Windows over api.max_response_bytes are split down to this length, not further.
  std::chrono::seconds min_split_window{1};
  // The API budget's clock (default steady_clock); tests freeze it and poke budget().
  token_bucket::clock_fn budget_clock;
  // The clock voxo_collector_request_duration_seconds measures on (default steady_clock); the
  // golden tests freeze it so the whole /metrics text is byte-stable.
  std::function<std::chrono::steady_clock::time_point()> request_clock;
};

// The wall clock, to the second: opts.clock when set, else system_clock.
inline std::chrono::sys_seconds wall_now(const collector_options& opts) {
  return opts.clock ? opts.clock() : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

}  // namespace voxo::collector

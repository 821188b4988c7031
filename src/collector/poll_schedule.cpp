#include "collector/poll_schedule.hpp"

#include <algorithm>

namespace voxo::collector {

using std::chrono::steady_clock;

steady_clock::duration first_poll_delay(std::size_t i, std::size_t n, steady_clock::duration interval,
                                        double jitter) noexcept {
  // The first tenant polls at once: an exporter (or one with a single tenant) has data and is
  // ready without waiting up to a whole interval; the others land at random in their own slots.
  if (n == 0 || i == 0 || interval <= steady_clock::duration::zero()) return {};
  jitter = std::clamp(jitter, 0.0, 1.0);
  const double slot = static_cast<double>(std::min(i, n - 1)) + jitter;
  const auto d = std::chrono::duration_cast<steady_clock::duration>(std::chrono::duration<double, steady_clock::period>(
      static_cast<double>(interval.count()) * slot / static_cast<double>(n)));
  return std::clamp(d, steady_clock::duration::zero(), interval);
}

steady_clock::time_point next_tick(steady_clock::time_point anchor, steady_clock::time_point now,
                                   steady_clock::duration interval) noexcept {
  if (anchor > now) return anchor;
  return anchor + ((now - anchor) / interval + 1) * interval;
}

}  // namespace voxo::collector

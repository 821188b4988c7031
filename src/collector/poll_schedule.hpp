#pragma once
// When a tenant polls. Each tenant has its own phase: its first poll lands in its own slot of
// the first interval (slot i of n, at a random point inside it; the first tenant polls at once,
// so a single tenant never waits a whole interval for its first data), and every later regular poll
// stays on that tenant's grid (first poll + k x interval). A retry after a failure runs off the
// grid (backoff with jitter), but the next poll after a success returns to the grid: after an
// outage that hit every tenant at once, the tenants do not come back in lockstep, and a poll
// that ran long (a slow reply, a backlog, a tight API budget) skips ticks rather than bunching.

#include <chrono>
#include <cstddef>

namespace voxo::collector {

// The delay of tenant i's first poll when n start together; jitter in [0, 1).
std::chrono::steady_clock::duration first_poll_delay(std::size_t i, std::size_t n,
                                                     std::chrono::steady_clock::duration interval,
                                                     double jitter) noexcept;

// The first tick of the grid anchor + k x interval (k >= 0) that is later than `now`,
// or `anchor` itself while it is still ahead. interval > 0.
std::chrono::steady_clock::time_point next_tick(std::chrono::steady_clock::time_point anchor,
                                                std::chrono::steady_clock::time_point now,
                                                std::chrono::steady_clock::duration interval) noexcept;

}  // namespace voxo::collector

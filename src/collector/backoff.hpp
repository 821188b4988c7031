#pragma once
// How long a failing tenant waits before the next try.

#include <chrono>
#include <optional>

namespace voxo::collector {

struct backoff_policy {
  std::chrono::milliseconds base{std::chrono::seconds(1)};
  std::chrono::milliseconds cap{std::chrono::minutes(5)};
};

// Exponential (base, 2 base, 4 base ... up to cap) with "equal jitter": a random point in the
// upper half, so thousands of tenants failing together don't retry in lockstep. `jitter` is
// in [0, 1). A Retry-After from the server is a floor: never retry earlier than it asked
// (bounded by one hour against absurd values).
std::chrono::milliseconds backoff_delay(const backoff_policy& policy, unsigned failures,
                                        std::optional<std::chrono::seconds> retry_after, double jitter) noexcept;

}  // namespace voxo::collector

#pragma once
// What a cumulative value lacks to reach a target: how far tenant_metrics raises a series
// (publishing) or its truth (restoring saved values). Never negative: a value already at or
// above its target lacks nothing. Internal to metrics/.

#include <cstddef>
#include <cstdint>

#include "metrics/call_deltas.hpp"

namespace voxo::metrics::detail {

inline std::uint64_t shortfall(std::uint64_t target, std::uint64_t have) noexcept {
  return target > have ? target - have : 0;
}

// What `have` lacks to reach `target` (nothing when it already counted as many observations).
inline histogram_delta shortfall(const histogram_delta& target, const histogram_delta& have) noexcept {
  histogram_delta d;
  if (target.count <= have.count) return d;
  for (std::size_t i = 0; i < d.buckets.size(); ++i) d.buckets[i] = shortfall(target.buckets[i], have.buckets[i]);
  d.count = target.count - have.count;
  d.sum = have.count == 0 ? target.sum : target.sum - have.sum;
  return d;
}

}  // namespace voxo::metrics::detail

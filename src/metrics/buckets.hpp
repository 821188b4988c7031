#pragma once
// Bucket boundaries of every histogram. Cardinality is tenant x direction x buckets, so each
// set stays at or under 12 boundaries (max_bucket_bounds).

#include <array>
#include <cstddef>
#include <span>

namespace voxo::metrics {

inline constexpr std::size_t max_bucket_bounds = 12;

// Call and talk durations, seconds: short rings/abandons (5-30 s), typical talk (1-10 min),
// long conference or support calls (20 min - 2 h).
inline constexpr std::array<double, 11> duration_buckets{5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200};

// MOS: the E-model user-satisfaction bands (4.3 very satisfied, 4.0 satisfied, 3.6 some users
// dissatisfied, 3.1 many dissatisfied, 2.6 nearly all dissatisfied), plus 1 and 2 for broken
// calls and 4.5/5 to separate wideband-quality calls from merely good ones.
inline constexpr std::array<double, 9> mos_buckets{1, 2, 2.6, 3.1, 3.6, 4.0, 4.3, 4.5, 5};

// Jitter and packet loss as ratios: 0.1 % is clean, loss above 1-2 % is audible, 5-20 % is a
// broken call.
inline constexpr std::array<double, 8> ratio_buckets{0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2};

// One GET /call-reports, seconds: a small reply is tens of ms, a 31-day backlog takes long.
inline constexpr std::array<double, 10> request_duration_buckets{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

static_assert(duration_buckets.size() <= max_bucket_bounds && mos_buckets.size() <= max_bucket_bounds &&
              ratio_buckets.size() <= max_bucket_bounds && request_duration_buckets.size() <= max_bucket_bounds);

// Index of the bucket `value` falls in (le semantics); bounds.size() is the +Inf bucket.
// Bounds ascend, so the bounds below `value` are a prefix: counting them needs no early exit,
// and a fixed trip count is what keeps a few million observations a second free of branch misses.
inline std::size_t bucket_index(std::span<const double> bounds, double value) noexcept {
  std::size_t i = 0;
  for (const double bound : bounds) i += value > bound ? 1 : 0;
  return i;
}

}  // namespace voxo::metrics

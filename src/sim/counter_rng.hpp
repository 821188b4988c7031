#pragma once
// Counter-based randomness: a call's content is a pure function of its coordinates
// (seed, tenant, minute, index), so any window is reproducible without stored state.

#include <cstdint>

namespace voxo::sim::detail {

constexpr std::uint64_t splitmix64(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Chained so that (a, b) and (b, a) give unrelated keys.
constexpr std::uint64_t hash_key(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0,
                                 std::uint64_t c = 0) noexcept {
  return splitmix64(splitmix64(splitmix64(splitmix64(seed) ^ a) ^ b) ^ c);
}

// A splitmix64 stream started from a key.
class counter_rng {
 public:
  explicit constexpr counter_rng(std::uint64_t key) noexcept : state_(key) {}
  constexpr std::uint64_t next() noexcept {
    state_ += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // [0, 1)
  double uniform() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // [lo, hi], inclusive
  long long between(long long lo, long long hi) noexcept {
    return lo + static_cast<long long>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) noexcept { return uniform() < p; }

 private:
  std::uint64_t state_;
};

}  // namespace voxo::sim::detail

#include "collector/backoff.hpp"

#include <algorithm>

namespace voxo::collector {

std::chrono::milliseconds backoff_delay(const backoff_policy& policy, unsigned failures,
                                        std::optional<std::chrono::seconds> retry_after, double jitter) noexcept {
  using std::chrono::milliseconds;
  const auto cap = std::max(policy.cap, milliseconds(1));
  auto delay = std::min(std::max(policy.base, milliseconds(1)), cap);
  for (unsigned i = 1; i < failures && delay < cap; ++i) delay = std::min(delay * 2, cap);
  jitter = std::clamp(jitter, 0.0, 1.0);
  auto jittered =
      milliseconds(static_cast<milliseconds::rep>(static_cast<double>(delay.count()) * (0.5 + 0.5 * jitter)));
  if (retry_after) jittered = std::max(jittered, milliseconds(std::min(*retry_after, std::chrono::seconds(3600))));
  return std::max(jittered, milliseconds(1));
}

}  // namespace voxo::collector

#include "collector/window_sizing.hpp"

#include <algorithm>

#include "api/window_split.hpp"

namespace voxo::collector {

std::chrono::sys_seconds window_start_after(std::chrono::sys_seconds watermark, std::chrono::milliseconds overlap) {
  return std::chrono::floor<std::chrono::seconds>(watermark - overlap);
}

api::time_window poll_span(const tenant_state& t, std::chrono::sys_seconds now, const config::collector_config& cfg) {
  const auto end = std::chrono::floor<std::chrono::seconds>(now - cfg.delay);
  const auto start = t.watermark ? window_start_after(*t.watermark, cfg.overlap)
                                 : std::chrono::floor<std::chrono::seconds>(now - cfg.lookback);
  return {start, end};
}

std::chrono::seconds window_cap(const tenant_state& t) {
  const auto cap = api::max_window(t.cfg.scope);
  return t.max_window ? std::min(*t.max_window, cap) : cap;
}

window_queue::window_queue(const api::time_window& span, std::chrono::seconds cap) {
  const auto pieces = api::split_window(span, cap);
  todo_.assign(pieces.begin(), pieces.end());  // in time order
}

bool window_queue::halve_front(tenant_state& t, std::chrono::seconds min) {
  const auto chunk = todo_.front();
  const auto length = chunk.end - chunk.start;
  if (length <= min) return false;
  const auto half = std::chrono::seconds(length.count() / 2);
  todo_.pop_front();
  todo_.push_front({chunk.start + half, chunk.end});
  todo_.push_front({chunk.start, chunk.start + half});
  t.max_window = half;
  return true;
}

void grow_after_reply(tenant_state& t, std::uint64_t bytes, std::uint64_t max_response_bytes) {
  if (!t.max_window || bytes >= max_response_bytes / 4) return;
  const auto cap = api::max_window(t.cfg.scope);
  t.max_window = *t.max_window * 2 >= cap ? std::nullopt : std::optional(*t.max_window * 2);
}

}  // namespace voxo::collector

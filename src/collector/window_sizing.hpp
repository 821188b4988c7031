#pragma once
// Which windows a poll asks for. A poll covers [watermark - overlap, now - delay] (the first
// [now - lookback, now - delay]), cut at the tenant's window cap: the API's cap for its scope
// (31 days, 24 h partner-wide), or shorter while replies were too large lately. A reply over
// api.max_response_bytes has its window halved, recursively, down to a minimum length; the
// tenant then remembers the length that fit, and later polls double it again while replies
// stay under a quarter of the limit, until the API's cap is reached. The poll loop
// (poll_loop.hpp) is the only caller; these promise nothing beyond that arithmetic.

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>

#include "api/call_reports_query.hpp"
#include "collector/tenant_state.hpp"
#include "config/config.hpp"

namespace voxo::collector {

// Where the window after `watermark` starts: `overlap` before it, to the second.
std::chrono::sys_seconds window_start_after(std::chrono::sys_seconds watermark, std::chrono::milliseconds overlap);

// The whole span a poll of `t` at wall time `now` asks for, before cutting.
api::time_window poll_span(const tenant_state& t, std::chrono::sys_seconds now, const config::collector_config& cfg);

// The longest window one request of `t` asks for now.
std::chrono::seconds window_cap(const tenant_state& t);

// The windows of one poll still to collect, earliest first.
class window_queue {
 public:
  // `span` cut into windows of at most `cap`.
  window_queue(const api::time_window& span, std::chrono::seconds cap);

  bool empty() const noexcept { return todo_.empty(); }
  const api::time_window& front() const noexcept { return todo_.front(); }
  void pop() { todo_.pop_front(); }  // the front window was collected
  // The front window's reply was too large: it becomes its two halves (earlier first), which
  // also become `t`'s remembered length. False (nothing changes) when it is `min` or shorter.
  bool halve_front(tenant_state& t, std::chrono::seconds min);

 private:
  std::deque<api::time_window> todo_;
};

// After a reply of `bytes` succeeded: small again (under max_response_bytes / 4), so the next
// poll of `t` may ask windows twice as long (none remembered once that reaches the API's cap).
void grow_after_reply(tenant_state& t, std::uint64_t bytes, std::uint64_t max_response_bytes);

}  // namespace voxo::collector

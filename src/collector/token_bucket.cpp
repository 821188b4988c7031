#include "collector/token_bucket.hpp"

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <cmath>

#include "util/asio.hpp"

namespace voxo::collector {

namespace {

[[noreturn]] void aborted() {
  throw boost::system::system_error(make_error_code(boost::asio::error::operation_aborted));
}

}  // namespace

token_bucket::token_bucket(boost::asio::any_io_executor ex, double rate, double burst, clock_fn now)
    : ex_(std::move(ex)), state_(std::make_shared<state>()) {
  auto& s = *state_;
  s.rate = std::isfinite(rate) && rate > 0 ? rate : 0;
  s.burst = std::isfinite(burst) && burst > 0 ? std::max(1.0, burst) : std::max(1.0, s.rate);
  s.tokens = s.burst;
  s.now = now ? std::move(now) : clock_fn([] { return clock::now(); });
  s.last = s.now();
}

void token_bucket::state::refill() {
  const auto t = now();
  if (t > last) {
    tokens = std::min(burst, tokens + std::chrono::duration<double>(t - last).count() * rate);
    last = t;
  }
}

boost::asio::awaitable<token_bucket::clock::duration> token_bucket::acquire() {
  auto s = state_;
  if (s->cancelled) aborted();
  if (s->rate <= 0) co_return clock::duration::zero();
  s->refill();
  const auto start = s->now();
  s->tokens -= 1;
  if (s->tokens >= 0) co_return clock::duration::zero();
  // This token arrives when the deficit has flowed in.
  const auto due =
      start + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double>(-s->tokens / s->rate));
  auto w = std::make_shared<waiter>(ex_);
  auto at = s->waiters.insert(s->waiters.end(), w);
  for (;;) {
    const auto t = s->now();
    if (t >= due) break;
    w->poked = false;
    w->timer.expires_after(due - t);
    auto [ec] = co_await w->timer.async_wait(util::nothrow_awaitable);
    if (s->cancelled || (ec && !w->poked)) {
      s->waiters.erase(at);
      s->tokens += 1;  // the reservation is given back
      aborted();
    }
  }
  s->waiters.erase(at);
  co_return s->now() - start;
}

void token_bucket::poke() {
  for (auto& w : state_->waiters) {
    w->poked = true;
    w->timer.cancel();
  }
}

void token_bucket::cancel() {
  state_->cancelled = true;
  for (auto& w : state_->waiters) w->timer.cancel();
}

}  // namespace voxo::collector

#include "collector/async_semaphore.hpp"

#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>

#include "util/asio.hpp"

namespace voxo::collector {

void async_semaphore::state::release() {
  if (!waiters.empty()) {
    // Hand the permit straight to the first waiter, so in_use never dips and a newcomer
    // cannot overtake the queue.
    auto w = std::move(waiters.front());
    waiters.pop_front();
    w->granted = true;
    w->timer.cancel();
    return;
  }
  if (in_use > 0) --in_use;
}

async_semaphore::permit& async_semaphore::permit::operator=(permit&& o) noexcept {
  if (this != &o) {
    release();
    state_ = std::move(o.state_);
  }
  return *this;
}

void async_semaphore::permit::release() {
  if (auto s = std::move(state_)) s->release();
}

async_semaphore::async_semaphore(boost::asio::any_io_executor ex, std::size_t limit)
    : ex_(std::move(ex)), state_(std::make_shared<state>()) {
  state_->limit = std::max<std::size_t>(1, limit);
}

boost::asio::awaitable<async_semaphore::permit> async_semaphore::acquire() {
  auto s = state_;
  if (s->in_use < s->limit && s->waiters.empty()) {
    ++s->in_use;
    co_return permit(s);
  }
  auto w = std::make_shared<waiter>(ex_);
  w->timer.expires_at(boost::asio::steady_timer::time_point::max());
  s->waiters.push_back(w);
  auto [ec] = co_await w->timer.async_wait(util::nothrow_awaitable);
  if (w->granted) co_return permit(s);
  std::erase(s->waiters, w);
  throw boost::system::system_error(ec ? ec : make_error_code(boost::asio::error::operation_aborted));
}

}  // namespace voxo::collector

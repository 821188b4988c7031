#pragma once
// A counting semaphore for coroutines on one io_context (Asio has none): acquire() suspends
// until a permit is free; waiters are served in FIFO order. Cancelling a waiting coroutine
// (terminal cancellation, e.g. on stop) removes it from the queue and throws
// boost::system::system_error(operation_aborted).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <deque>
#include <memory>

namespace voxo::collector {

class async_semaphore {
  struct waiter {
    explicit waiter(const boost::asio::any_io_executor& ex) : timer(ex) {}
    boost::asio::steady_timer timer;
    bool granted = false;
  };
  struct state {
    std::size_t limit = 1;
    std::size_t in_use = 0;
    std::deque<std::shared_ptr<waiter>> waiters;
    void release();
  };

 public:
  // Holds one permit; gives it back when released or destroyed. Shares the semaphore's
  // state, so a permit outliving the semaphore (a coroutine frame destroyed late) is safe.
  class permit {
   public:
    permit() = default;
    permit(permit&& o) noexcept : state_(std::move(o.state_)) {}
    permit& operator=(permit&& o) noexcept;
    ~permit() { release(); }
    void release();
    explicit operator bool() const noexcept { return static_cast<bool>(state_); }

   private:
    friend class async_semaphore;
    explicit permit(std::shared_ptr<state> s) : state_(std::move(s)) {}
    std::shared_ptr<state> state_;
  };

  async_semaphore(boost::asio::any_io_executor ex, std::size_t limit);

  boost::asio::awaitable<permit> acquire();
  std::size_t in_use() const noexcept { return state_->in_use; }
  std::size_t waiting() const noexcept { return state_->waiters.size(); }

 private:
  boost::asio::any_io_executor ex_;
  std::shared_ptr<state> state_;
};

}  // namespace voxo::collector

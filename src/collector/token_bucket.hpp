#pragma once
// The API budget (collector.max_requests_per_second): a token bucket every API request of
// the exporter waits on. `rate` tokens per second flow in, up to `burst`; a request takes one.
// Waiters are served in FIFO order: each reserves the next token as it arrives (the count
// goes negative), so nobody overtakes and nothing starves. Rate 0 = unlimited.
//
// The clock is injectable: tests freeze it and call poke() after moving it, waiters then
// re-check; with the real clock nobody needs to poke. Cancelling a waiting coroutine (terminal
// cancellation, e.g. on stop) or cancel() gives its token back and throws
// boost::system::system_error(operation_aborted).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <list>
#include <memory>

namespace voxo::collector {

class token_bucket {
 public:
  using clock = std::chrono::steady_clock;
  using clock_fn = std::function<clock::time_point()>;

  // burst <= 0 means max(1, rate).
  token_bucket(boost::asio::any_io_executor ex, double rate, double burst = 0, clock_fn now = {});

  bool unlimited() const noexcept { return state_->rate <= 0; }
  double rate() const noexcept { return state_->rate; }
  double burst() const noexcept { return state_->burst; }

  // Takes one token, waiting as long as needed; returns how long it waited (by the clock).
  boost::asio::awaitable<clock::duration> acquire();
  // Waiters re-check the clock now (tests with a fake clock).
  void poke();
  // Every waiter and every later acquire() fails with operation_aborted.
  void cancel();
  std::size_t waiting() const noexcept { return state_->waiters.size(); }

 private:
  struct waiter {
    explicit waiter(const boost::asio::any_io_executor& ex) : timer(ex) {}
    boost::asio::steady_timer timer;
    bool poked = false;
  };
  struct state {
    double rate = 0;
    double burst = 1;
    double tokens = 1;  // may be negative: tokens reserved by waiters
    clock::time_point last{};
    bool cancelled = false;
    clock_fn now;
    std::list<std::shared_ptr<waiter>> waiters;
    void refill();
  };

  boost::asio::any_io_executor ex_;
  std::shared_ptr<state> state_;  // shared with waiting frames, which may end after the bucket
};

}  // namespace voxo::collector

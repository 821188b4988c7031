#pragma once
// The collector's coroutines (tenant polls, discovery, the publisher) as one group: spawn()
// starts one on the collector's executor, cancel() ends them all at their next suspension
// and sets stopped(), which every coroutine checks after each co_await. A coroutine's end is
// logged, never fatal: no exception leaves a spawned coroutine. The collector owns one group
// and its parts spawn into it; running() lets a retired collector know when it may be freed.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>

#include <cstddef>
#include <exception>
#include <list>
#include <memory>
#include <string>
#include <utility>

#include "util/asio.hpp"

namespace voxo::collector {

namespace detail {
// Logs how a spawned coroutine ended (nothing when it returned; debug when cancelled).
void log_coroutine_end(std::exception_ptr e, const char* what, const std::string& tenant);
}  // namespace detail

class task_group {
 public:
  explicit task_group(boost::asio::any_io_executor ex) : ex_(std::move(ex)) {}

  const boost::asio::any_io_executor& executor() const noexcept { return ex_; }

  // `what` names the task in logs (a literal), `tenant` its tenant ("" for none).
  template <class Awaitable>
  void spawn(Awaitable&& a, const char* what, std::string tenant) {
    auto& signal = signals_->emplace_back();
    ++*running_;
    boost::asio::co_spawn(
        ex_, std::forward<Awaitable>(a),
        boost::asio::bind_cancellation_slot(signal.slot(), [signals = signals_, running = running_, what,
                                                            tenant = std::move(tenant)](std::exception_ptr e) {
          --*running;
          detail::log_coroutine_end(e, what, tenant);
        }));
  }

  // Cancels every coroutine (terminal); later checks of stopped() say so. Safe twice.
  void cancel();
  bool stopped() const noexcept { return stopped_; }
  std::size_t running() const noexcept { return *running_; }

 private:
  boost::asio::any_io_executor ex_;
  // Shared with the coroutines' completion handlers, so they outlive every operation they cancel.
  std::shared_ptr<std::list<boost::asio::cancellation_signal>> signals_ =
      std::make_shared<std::list<boost::asio::cancellation_signal>>();
  std::shared_ptr<std::size_t> running_ = std::make_shared<std::size_t>(0);
  bool stopped_ = false;
};

}  // namespace voxo::collector

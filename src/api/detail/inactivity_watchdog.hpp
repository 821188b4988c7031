#pragma once
// Cancels a socket's waits once nothing arrived for `timeout`. One timer per body, not one per
// read: a read only stores the time (note_progress), and the timer, when it fires, re-arms
// itself for what is left of the timeout. Arming a timer around every read cost a
// timerfd_settime and an epoll round per piece (issue #14).

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

namespace voxo::api::detail {

class inactivity_watchdog {
 public:
  inactivity_watchdog(boost::asio::ip::tcp::socket& socket, std::chrono::milliseconds timeout);
  ~inactivity_watchdog();
  inactivity_watchdog(const inactivity_watchdog&) = delete;
  inactivity_watchdog& operator=(const inactivity_watchdog&) = delete;

  void note_progress() noexcept;
  // True once the timeout passed without progress (the socket's waits were then cancelled).
  bool expired() const noexcept;

 private:
  struct state;
  static void arm(const std::shared_ptr<state>& s);
  // Shared with the timer's handler, which may run after this object is gone.
  std::shared_ptr<state> state_;
};

}  // namespace voxo::api::detail

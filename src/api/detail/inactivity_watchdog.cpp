#include "api/detail/inactivity_watchdog.hpp"

namespace voxo::api::detail {

struct inactivity_watchdog::state {
  state(boost::asio::ip::tcp::socket& s, std::chrono::milliseconds t)
      : socket(&s), timer(s.get_executor()), timeout(t), last(std::chrono::steady_clock::now()) {}
  boost::asio::ip::tcp::socket* socket;  // null once the watchdog is gone
  boost::asio::steady_timer timer;
  std::chrono::milliseconds timeout;
  std::chrono::steady_clock::time_point last;
  bool expired = false;
};

inactivity_watchdog::inactivity_watchdog(boost::asio::ip::tcp::socket& socket, std::chrono::milliseconds timeout)
    : state_(std::make_shared<state>(socket, timeout)) {
  arm(state_);
}

inactivity_watchdog::~inactivity_watchdog() {
  state_->socket = nullptr;
  state_->timer.cancel();
}

void inactivity_watchdog::note_progress() noexcept { state_->last = std::chrono::steady_clock::now(); }
bool inactivity_watchdog::expired() const noexcept { return state_->expired; }

void inactivity_watchdog::arm(const std::shared_ptr<state>& s) {
  s->timer.expires_at(s->last + s->timeout);
  s->timer.async_wait([s](const boost::system::error_code& ec) {
    if (ec || !s->socket) return;                                                // cancelled: the body ended
    if (std::chrono::steady_clock::now() - s->last < s->timeout) return arm(s);  // bytes came meanwhile
    s->expired = true;
    boost::system::error_code ignored;
    s->socket->cancel(ignored);
  });
}

}  // namespace voxo::api::detail

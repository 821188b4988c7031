#include "api/connection_pool.hpp"

#include <algorithm>

namespace voxo::api::detail {

connection_pool::connection_pool(boost::asio::any_io_executor executor, api_url url, boost::asio::ssl::context* tls,
                                 std::chrono::milliseconds timeout, unsigned max_idle)
    : executor_(std::move(executor)),
      url_(std::move(url)),
      tls_(tls),
      timeout_(timeout),
      max_idle_(std::max(max_idle, 1u)) {}

std::unique_ptr<http_connection> connection_pool::take_idle() {
  while (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    if (!conn->quiet()) {  // bytes nobody asked for, or a close: not a reply to our next request
      conn->close();
      continue;
    }
    conn->mark_reused();
    return conn;
  }
  return nullptr;
}

boost::asio::awaitable<api_result<std::unique_ptr<http_connection>>> connection_pool::open_new() {
  return http_connection::open(executor_, url_, tls_, timeout_);
}

void connection_pool::give_back(std::unique_ptr<http_connection> conn) {
  if (!conn) return;
  if (idle_.size() >= max_idle_ || !conn->quiet()) {
    conn->close();
    return;
  }
  idle_.push_back(std::move(conn));
}

}  // namespace voxo::api::detail

#pragma once
// Idle keep-alive connections to the API host, reused before a new one is opened.
// Single-threaded: used from the one io_context's coroutines only.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <memory>
#include <vector>

#include "api/http_connection.hpp"
#include "api/url.hpp"

namespace voxo::api::detail {

class connection_pool {
 public:
  // `tls` null for http://; at most `max_idle` connections are kept for reuse.
  connection_pool(boost::asio::any_io_executor executor, api_url url, boost::asio::ssl::context* tls,
                  std::chrono::milliseconds timeout, unsigned max_idle);

  // The most recently used idle connection that is still quiet (idle ones that received
  // bytes or were closed by the server meanwhile are dropped), or null.
  std::unique_ptr<http_connection> take_idle();
  boost::asio::awaitable<api_result<std::unique_ptr<http_connection>>> open_new();
  // Keeps a healthy connection for the next request (closes it when the pool is full, or when
  // it is not quiet: see http_connection::quiet()).
  void give_back(std::unique_ptr<http_connection> conn);
  std::size_t idle_count() const noexcept { return idle_.size(); }

 private:
  boost::asio::any_io_executor executor_;
  api_url url_;
  boost::asio::ssl::context* tls_;
  std::chrono::milliseconds timeout_;
  unsigned max_idle_;
  std::vector<std::unique_ptr<http_connection>> idle_;
};

}  // namespace voxo::api::detail

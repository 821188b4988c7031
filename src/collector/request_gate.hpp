#pragma once
// What every API request passes before it starts: a concurrency permit
// (collector.concurrency), then a token of the API budget (collector.max_requests_per_second).
// Polls, chunks, retries, split halves and discovery all pass it, in that order (after the
// permit, so requests start at the budget's pace, not in bursts), and only then start their
// deadline. Time spent waiting for the budget is counted (voxo_exporter_rate_limit_wait).

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <string>
#include <utility>

#include "api/api_client.hpp"
#include "collector/async_semaphore.hpp"
#include "collector/token_bucket.hpp"
#include "metrics/exporter_metrics.hpp"

namespace voxo::collector {

struct request_gate {
  request_gate(boost::asio::any_io_executor ex, unsigned concurrency, double requests_per_second,
               token_bucket::clock_fn budget_clock, metrics::exporter_metrics& m);

  boost::asio::awaitable<void> take_token();  // waits for the API budget

  async_semaphore permits;
  token_bucket budget;
  metrics::exporter_metrics& metrics;
};

namespace detail {
// A request that ended without a reply (deadline, exception) as the API's transport error.
template <class T>
api::api_result<T> transport_failure(std::string message) {
  return api::api_result<T>(boost::system::in_place_error,
                            api::api_error{api::api_errc::transport, 0, std::nullopt, std::move(message)});
}
}  // namespace detail

}  // namespace voxo::collector

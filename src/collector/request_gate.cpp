#include "collector/request_gate.hpp"

#include <algorithm>
#include <chrono>

namespace voxo::collector {

request_gate::request_gate(boost::asio::any_io_executor ex, unsigned concurrency, double requests_per_second,
                           token_bucket::clock_fn budget_clock, metrics::exporter_metrics& m)
    : permits(ex, std::max(1u, concurrency)), budget(ex, requests_per_second, 0, std::move(budget_clock)), metrics(m) {}

boost::asio::awaitable<void> request_gate::take_token() {
  if (budget.unlimited()) co_return;
  const auto waited = co_await budget.acquire();
  if (waited > std::chrono::steady_clock::duration::zero())
    metrics.add_rate_limit_wait(std::chrono::duration<double>(waited).count());
}

}  // namespace voxo::collector

#pragma once
// The poll loop: one coroutine per polled tenant, on its own grid (poll_schedule.hpp). Each
// poll asks the windows window_sizing.hpp plans, one request at a time, each through the
// request gate (permit, then budget) and racing its deadline (a stuck request gives back its
// permit). A window's reply streams into a window_stage that is committed only when the reply
// succeeded; then the watermark moves to the window's end. The first failure ends the poll:
// the watermark stays, the retry (backoff with jitter, or Retry-After) asks again, and
// de-duplication by id makes that harmless, so an outage of any length loses nothing. A reply
// over api.max_response_bytes has its window halved instead. One slow or failing tenant never
// holds up the others. Nothing a poll throws ends the tenant's polling (only stop() does).
// The collector facade and discovery call start(); the rest is internal.

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <vector>

#include "api/api_client.hpp"
#include "collector/collector_options.hpp"
#include "collector/request_gate.hpp"
#include "collector/state_keeper.hpp"
#include "collector/task_group.hpp"
#include "collector/tenant_book.hpp"
#include "collector/window_stage.hpp"
#include "config/config.hpp"
#include "metrics/exporter_metrics.hpp"

namespace voxo::collector {

class poll_loop {
 public:
  poll_loop(const config::config& cfg, const collector_options& opts, api::api_client& client, request_gate& gate,
            tenant_book& book, state_keeper& state, task_group& tasks, metrics::exporter_metrics& m);

  // Starts polling `fresh` (tenants not polled now). With opts.spread_first_polls, their first
  // polls are spread over the first interval so thousands of tenants don't start at once.
  void start(const std::vector<std::shared_ptr<tenant_state>>& fresh);

 private:
  struct poll_outcome {
    bool ok = true;
    std::optional<api::api_error> error;  // none with !ok: abandoned by stop(), not a failure
  };
  struct timed_reply {
    std::optional<api::api_result<api::fetch_summary>> result;
    double seconds = 0;
  };

  boost::asio::awaitable<void> tenant_loop(std::shared_ptr<tenant_state> t,
                                           std::chrono::steady_clock::duration first_delay);
  boost::asio::awaitable<poll_outcome> poll(tenant_state& t);
  boost::asio::awaitable<timed_reply> request(const tenant_state& t, const api::time_window& window,
                                              api::record_sink& sink);
  boost::asio::awaitable<api::api_result<api::fetch_summary>> fetch(const api::call_reports_query& q,
                                                                    api::record_sink& sink);
  void commit(tenant_state& t, window_stage& stage, const api::time_window& window);
  api::api_error too_large_at_minimum(api::api_error err, const api::time_window& window) const;
  void on_success(tenant_state& t);
  void on_failure(tenant_state& t, const api::api_error& err);
  std::chrono::milliseconds retry_delay(unsigned failures, std::optional<std::chrono::seconds> retry_after);

  config::collector_config cfg_;
  const collector_options& opts_;
  api::api_client& client_;
  request_gate& gate_;
  tenant_book& book_;
  state_keeper& state_;
  task_group& tasks_;
  metrics::exporter_metrics& metrics_;
  std::chrono::milliseconds request_deadline_;
  std::uint64_t max_response_bytes_;
  std::minstd_rand rng_;
};

}  // namespace voxo::collector

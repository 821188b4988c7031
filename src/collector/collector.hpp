#pragma once
// Polls GET /call-reports for every tenant on one io_context and feeds the metrics. This is
// the facade src/app and the tests use: it owns the collector's parts, wires them, and starts
// and stops them; each part's header has its contract:
//   tenant_book.hpp     every tenant known (polled ones, partner-wide accounts, pending states)
//   tenant_state.hpp    what is kept per polled tenant
//   account_book.hpp    partner-wide mode's accounts and their series
//   poll_loop.hpp       per tenant: the poll schedule, requests racing their deadline, retries
//   window_sizing.hpp   which windows a poll asks (caps, halving replies over the size limit)
//   window_stage.hpp    one window's reply staged, committed only when it succeeded (plain or
//                       partner-wide with account attribution, one interface)
//   discovery.hpp       tenants listed by the API (discovery.enabled)
//   state_keeper.hpp    the state file, and showing counts durable before visible
//   status_view.hpp     what the landing page and /-/ready show
//   request_gate.hpp    the concurrency permits and the API budget every request passes
//   task_group.hpp      the coroutines, their cancellation, and how their ends are logged
//   collector_options.hpp  the knobs that are not configuration (tests fake them)
//
// Per tenant: a watermark (end of the last window collected completely). Each poll asks
// [watermark - overlap, now - delay] (the first [now - lookback, now - delay]), split at the
// API's caps; every chunk's records are staged and committed only when the reply succeeded,
// then the watermark moves to the chunk's end. The first failure ends the poll: the watermark
// stays, the retry asks again, and de-duplication by id makes that harmless. An outage of any
// length therefore loses nothing: after it, the backlog from the watermark is fetched chunk
// by chunk within the caps.
//
// Replies over api.max_response_bytes have their window halved (window_sizing.hpp); every
// request has a deadline and failures back off per tenant, so one slow or failing tenant never
// holds up the others. Partner-wide mode (tenants: {partner: true}) is one more tenant, label
// "partner", polled the same way, whose records are attributed to the accounts they name
// (account_book.hpp). The API budget (collector.max_requests_per_second) makes polls late,
// never lossy (request_gate.hpp). With collector.state_file, counts are shown only once the
// file holds them (state_keeper.hpp).
//
// Coroutines (the rule for every co_await in src/, checked by tests/lint/check_co_await_operands.py):
// the operand of co_await is a call whose arguments are named objects, references, pointers,
// numbers or completion tokens. Never a braced temporary (fetch({scope, window}, sink)), a
// string literal or std::string built in place, a std::function or lambda made in place, or
// another call's result of class type: build those in named locals first, and take coroutine
// parameters by const&. g++ 12 destroyed such a temporary twice when the request failed inside
// a try block (issue #12: a billing code's std::string freed twice, SIGSEGV).
//
// Lifetime: stop() cancels every coroutine; let the io_context run until they finished (or
// destroy the io_context) before destroying the collector.

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "api/api_client.hpp"
#include "collector/collector_options.hpp"
#include "collector/discovery.hpp"
#include "collector/poll_loop.hpp"
#include "collector/request_gate.hpp"
#include "collector/state_file.hpp"
#include "collector/state_keeper.hpp"
#include "collector/status.hpp"
#include "collector/task_group.hpp"
#include "collector/tenant_book.hpp"
#include "collector/tenant_state.hpp"
#include "collector/token_bucket.hpp"
#include "config/config.hpp"
#include "metrics/exporter_metrics.hpp"

namespace voxo::collector {

class collector {
 public:
  collector(boost::asio::any_io_executor ex, api::api_client& client, metrics::exporter_metrics& m,
            const config::config& cfg, collector_options opts = {});
  ~collector();
  collector(const collector&) = delete;
  collector& operator=(const collector&) = delete;

  // Spawns the polling coroutines, after loading collector.state_file (if any).
  void start();
  // Same, from a state taken by snapshot() of a collector being replaced (config reload);
  // the state file is not read.
  void start(std::vector<tenant_snapshot> carried);
  void stop();  // cancels them (in-flight requests are abandoned) and saves the state; safe twice
  // Writes collector.state_file now (no-op without one); false when writing failed.
  bool save_state();
  // The state of every tenant as of now (known and not yet known ones), with runtime status.
  // After stop() nothing changes it any more. The ids are copied (see take_state()).
  std::vector<tenant_snapshot> snapshot() const;
  // The same for a config reload, after stop(): the ids are moved out, not copied, so the
  // handover never holds them twice; this collector forgets them (its file is already saved).
  std::vector<tenant_snapshot> take_state();

  // The status view (status_view.hpp): per tenant, and ready once discovery listed once and
  // every polled tenant has completed one poll.
  std::vector<tenant_status> tenants() const;
  bool ready() const;

  // Per-tenant state by label (tests; later the state file).
  const tenant_state* find(const std::string& label) const { return book_.find(label); }
  // Every change is shown (with a state file: saved and shown); held new series aside.
  bool published() const noexcept { return state_.published(); }
  // Polls still running (0 once everything stopped).
  std::size_t running() const noexcept { return tasks_.running(); }
  token_bucket& budget() noexcept { return gate_.budget; }

 private:
  void begin(std::vector<tenant_snapshot> restored);

  std::vector<config::tenant_config> static_tenants_;
  collector_options opts_;  // normalized; the parts below keep a reference
  task_group tasks_;
  request_gate gate_;
  tenant_book book_;
  state_keeper state_;
  poll_loop polls_;
  tenant_discovery discovery_;
  bool started_ = false;
};

}  // namespace voxo::collector

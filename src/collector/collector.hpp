#pragma once
// Polls GET /call-reports for every tenant on one io_context and feeds the metrics.
//
// Per tenant: a watermark (end of the last window collected completely). Each poll asks
// [watermark - overlap, now - delay] (the first [now - lookback, now - delay]), split at the
// API's caps; every chunk's records are staged in a window_batch and committed only when the
// reply succeeded, then the watermark moves to the chunk's end. The first failure ends the
// poll: the watermark stays, the retry asks again, and de-duplication by id makes that harmless.
// An outage of any length therefore loses nothing: after it, the backlog from the watermark
// is fetched chunk by chunk within the caps.
//
// A reply over api.max_response_bytes (api_errc::too_large) is abandoned and its window split
// in two, recursively, down to one second; later polls of the tenant start with the size that
// fit, and grow it again while replies stay small. Every request has a deadline (a stuck
// request gives back its concurrency permit), and failures back off per tenant, so one slow or
// failing tenant never holds up the others.
//
// Partner-wide mode (tenants: {partner: true}) is one more tenant, label "partner", whose
// scope has no tenantId/billingCode (24 h cap): the same loop, watermark, overlap, dedupe,
// splitting and backoff. Its records are attributed to the accounts they name (see
// partner_batch.hpp); a window is committed to all its accounts at once or not at all. An
// account's call series look like a tenant's; its voxo_up follows the partner poll, and the
// request, poll, watermark and lag series are the partner poll's only.
//
// The API budget (collector.max_requests_per_second) is a token bucket every request waits on
// (polls, chunks, retries, split halves, discovery), after its concurrency permit and before its
// deadline starts. A budget too small for the tenants makes polls late, never lossy: windows
// just grow and voxo_collector_lag_seconds shows the delay.
//
// With collector.state_file, the state (see state_file.hpp) is written after applied windows,
// at most every state_save_every, and on stop(); start() restores it. Counts reach the series
// only after the file holds them (durable before visible), and new series first show 0 for
// metrics.new_series_hold (born at zero): see publish_loop() and metrics/tenant_metrics.hpp.
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
#include <boost/asio/awaitable.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "api/api_client.hpp"
#include "collector/async_semaphore.hpp"
#include "collector/backoff.hpp"
#include "collector/dedupe_set.hpp"
#include "collector/partner_batch.hpp"
#include "collector/state_file.hpp"
#include "collector/status.hpp"
#include "collector/tenant_filter.hpp"
#include "collector/token_bucket.hpp"
#include "config/config.hpp"
#include "metrics/exporter_metrics.hpp"

namespace voxo::collector {

// Knobs that are not configuration (tests shorten or fake them).
struct collector_options {
  std::function<std::chrono::sys_seconds()> clock;  // wall clock for windows; default system_clock
  backoff_policy backoff;                           // cap is further limited to collector.interval
  bool spread_first_polls = true;                   // first polls spread over the first interval
  std::chrono::milliseconds state_save_every{std::chrono::seconds(5)};  // at most this often
  // Whole-request deadline (0 = 10 x api.timeout, which bounds each I/O step only).
  std::chrono::milliseconds request_deadline{0};
  // Windows over api.max_response_bytes are split down to this length, not further.
  std::chrono::seconds min_split_window{1};
  // The API budget's clock (default steady_clock); tests freeze it and poke budget().
  token_bucket::clock_fn budget_clock;
};

// What a state file will need per tenant (and what the status page shows).
struct tenant_state {
  config::tenant_config cfg;
  metrics::tenant_metrics* metrics = nullptr;
  std::optional<std::chrono::sys_seconds> watermark;
  dedupe_set seen;
  bool discovered = false;     // from list_tenants(), not the config file
  bool active = true;          // false once discovery no longer lists it
  bool loop_running = false;
  bool succeeded_once = false;
  std::optional<std::chrono::sys_seconds> last_success;
  unsigned failures = 0;       // consecutive
  std::uint64_t errors = 0;    // failed requests, ever
  std::string last_error;
  bool warned_record_zone = false;
  // Longest window that fit api.max_response_bytes lately (none: the API's cap).
  std::optional<std::chrono::seconds> max_window;
};

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
  void stop();   // cancels them (in-flight requests are abandoned) and saves the state; safe twice
  // Writes collector.state_file now (no-op without one); false when writing failed.
  bool save_state();
  // The state of every tenant as of now (known and not yet known ones), with runtime status.
  // After stop() nothing changes it any more. The ids are copied (see take_state()).
  std::vector<tenant_snapshot> snapshot() const;
  // The same for a config reload, after stop(): the ids are moved out, not copied, so the
  // handover never holds them twice; this collector forgets them (its file is already saved).
  std::vector<tenant_snapshot> take_state();

  std::vector<tenant_status> tenants() const;
  bool ready() const;

  // Per-tenant state by label (tests; later the state file).
  const tenant_state* find(const std::string& label) const;
  // Every change is shown (with a state file: saved and shown); held new series aside.
  bool published() const noexcept { return !dirty_; }
  // Polls still running (0 once everything stopped).
  std::size_t running() const noexcept { return *running_; }
  token_bucket& budget() noexcept { return budget_; }

 private:
  struct poll_outcome {
    bool ok = true;
    std::optional<api::api_error> error;
  };

  std::shared_ptr<tenant_state> add_tenant(const config::tenant_config& tc, bool discovered);
  void spawn_tenant(const std::shared_ptr<tenant_state>& t, std::chrono::steady_clock::duration first_delay);
  template <class Awaitable>
  void spawn(Awaitable&& a, const char* what, std::string tenant);

  boost::asio::awaitable<void> tenant_loop(std::shared_ptr<tenant_state> t,
                                           std::chrono::steady_clock::duration first_delay);
  boost::asio::awaitable<poll_outcome> poll(tenant_state& t);
  boost::asio::awaitable<api::api_result<api::fetch_summary>> fetch(const api::call_reports_query& q,
                                                                    api::record_sink& sink);
  boost::asio::awaitable<void> take_token();  // waits for the API budget
  std::chrono::seconds window_cap(const tenant_state& t) const;
  void mark_dirty();
  void commit(tenant_state& t, class window_batch& batch, const api::time_window& chunk, partner_batch* split);
  void commit_accounts(tenant_state& t, const partner_batch& split);
  metrics::tenant_metrics& account(const std::string& label);  // an attributed account's series
  void adopt_accounts();  // partner mode: restored states other than the partner's are accounts
  std::chrono::sys_seconds window_start_after(std::chrono::sys_seconds watermark) const;
  boost::asio::awaitable<void> discovery_loop();
  void apply_discovery(const std::vector<api::tenant_info>& listed);
  boost::asio::awaitable<void> publish_loop();
  void publish();  // shows what the tenants counted (after a save, with a state file)
  void close_baseline(tenant_state& t);
  void load_state();
  void begin(std::vector<tenant_snapshot> restored);
  tenant_snapshot live_snapshot(const tenant_state& t) const;  // all but the ids
  static tenant_snapshot account_snapshot(const std::string& label, const metrics::tenant_metrics& m);
  void on_success(tenant_state& t);
  void on_failure(tenant_state& t, const api::api_error& err);
  std::chrono::sys_seconds now() const;
  void publish_owned_tenants();  // voxo_exporter_shard_tenants
  std::chrono::milliseconds retry_delay(unsigned failures, std::optional<std::chrono::seconds> retry_after);

  boost::asio::any_io_executor ex_;
  api::api_client& client_;
  metrics::exporter_metrics& metrics_;
  config::collector_config cfg_;
  config::discovery_config discovery_;
  config::shard_config shard_;  // discovered tenants are sharded here; configured ones by the loader
  std::vector<config::tenant_config> static_tenants_;
  collector_options opts_;
  tenant_filter filter_;
  async_semaphore sem_;
  std::map<std::string, std::shared_ptr<tenant_state>> tenants_;
  // Shared with the coroutines' completion handlers, so they outlive every operation they cancel.
  std::shared_ptr<std::list<boost::asio::cancellation_signal>> signals_;
  std::shared_ptr<std::size_t> running_;
  std::minstd_rand rng_;
  bool started_ = false;
  bool stopped_ = false;
  bool discovered_once_ = false;
  std::map<std::string, tenant_snapshot> pending_state_;  // loaded, tenant not (yet) known
  std::chrono::milliseconds request_deadline_;
  std::uint64_t max_response_bytes_;
  // Changes not shown yet (with a state file: not saved yet); the timer wakes the publisher.
  bool dirty_ = false;
  std::chrono::steady_clock::time_point next_held_due_ = std::chrono::steady_clock::time_point::max();
  std::chrono::steady_clock::time_point publish_time_{};  // the instant of the last save
  boost::asio::steady_timer state_timer_;
  std::chrono::steady_clock::time_point last_save_{};
  std::chrono::steady_clock::duration last_save_took_{};
  bool save_failing_ = false;
  // The state file could not be read but is there (not a regular file, no permission): saving
  // over it would lose what it holds, so saves fail (and are counted) until a restart.
  std::optional<std::string> state_unusable_;
  bool state_taken_ = false;  // take_state() moved the ids out
  token_bucket budget_;
  // Partner-wide mode only: the accounts records are attributed to, and their series.
  std::unique_ptr<account_map> accounts_;
  std::map<std::string, metrics::tenant_metrics*, std::less<>> account_series_;
  bool warned_unattributed_ = false;
};

}  // namespace voxo::collector

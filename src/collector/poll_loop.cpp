#include "collector/poll_loop.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <exception>
#include <string>

#include "collector/poll_schedule.hpp"
#include "collector/window_sizing.hpp"
#include "util/asio.hpp"
#include "util/log.hpp"

namespace voxo::collector {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using std::chrono::steady_clock;

poll_loop::poll_loop(const config::config& cfg, const collector_options& opts, api::api_client& client,
                     request_gate& gate, tenant_book& book, state_keeper& state, task_group& tasks,
                     metrics::exporter_metrics& m)
    : cfg_(cfg.collector),
      opts_(opts),
      client_(client),
      gate_(gate),
      book_(book),
      state_(state),
      tasks_(tasks),
      metrics_(m),
      request_deadline_(opts.request_deadline.count() > 0 ? opts.request_deadline : cfg.api.timeout * 10),
      max_response_bytes_(cfg.api.max_response_bytes),
      rng_(std::random_device{}()) {
  cfg_.interval = std::max(cfg_.interval, std::chrono::milliseconds(1));
  request_deadline_ = std::max(request_deadline_, std::chrono::milliseconds(1));
}

void poll_loop::start(const std::vector<std::shared_ptr<tenant_state>>& fresh) {
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    const auto first_delay =
        opts_.spread_first_polls
            ? first_poll_delay(i, fresh.size(), cfg_.interval, std::uniform_real_distribution<double>(0.0, 1.0)(rng_))
            : steady_clock::duration{};
    fresh[i]->loop_running = true;
    tasks_.spawn(tenant_loop(fresh[i], first_delay), "poll", fresh[i]->cfg.label);
  }
}

std::chrono::milliseconds poll_loop::retry_delay(unsigned failures, std::optional<std::chrono::seconds> retry_after) {
  const double jitter = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  return backoff_delay(opts_.backoff, failures, retry_after, jitter);
}

asio::awaitable<void> poll_loop::tenant_loop(std::shared_ptr<tenant_state> t, steady_clock::duration first_delay) {
  struct running_flag {
    tenant_state& t;
    ~running_flag() { t.loop_running = false; }
  } flag{*t};
  asio::steady_timer timer(tasks_.executor());
  const steady_clock::duration interval = cfg_.interval;
  auto anchor = steady_clock::now() + first_delay;  // the regular schedule: anchor += interval, no drift
  auto next = anchor;
  for (;;) {
    timer.expires_at(next);
    auto [ec] = co_await timer.async_wait(util::nothrow_awaitable);
    if (ec || tasks_.stopped() || !t->active) co_return;

    poll_outcome outcome;
    try {
      outcome = co_await poll(*t);
    } catch (const std::exception& e) {  // a bug must not end this tenant's polling for good
      if (tasks_.stopped()) throw;
      outcome = {false, api::api_error{api::api_errc::transport, 0, std::nullopt, e.what()}};
    }
    if (tasks_.stopped()) co_return;
    if (t->watermark) state_.close_baseline(*t);  // its first window is in: what follows is live
    if (outcome.ok) on_success(*t);
    else if (outcome.error) on_failure(*t, *outcome.error);
    if (!t->active) co_return;

    const auto now = steady_clock::now();
    anchor = next_tick(anchor, now, interval);  // skips ticks a long poll overran; keeps the phase
    next =
        outcome.ok ? anchor : now + retry_delay(t->failures, outcome.error ? outcome.error->retry_after : std::nullopt);
  }
}

asio::awaitable<poll_loop::poll_outcome> poll_loop::poll(tenant_state& t) {
  window_queue todo(poll_span(t, wall_now(opts_), cfg_), window_cap(t));
  while (!todo.empty()) {
    const auto window = todo.front();
    // Partner-wide or not, one path: the stage knows whose records they are.
    const auto stage = make_stage(t, window, book_.accounts(), metrics_, cfg_.lookback);
    api::record_sink& sink = stage->sink();
    const auto reply = co_await request(t, window, sink);
    if (tasks_.stopped()) co_return poll_outcome{false, std::nullopt};  // abandoned by shutdown: not a failure

    const auto& result = *reply.result;
    if (!result) {  // the stage is dropped: nothing of a failed reply is used
      t.metrics->count_request(result.error().code_label(), reply.seconds);
      state_.mark_dirty();
      if (result.error().code != api::api_errc::too_large) co_return poll_outcome{false, result.error()};
      // Too much for one reply: ask the two halves instead, earlier half first.
      if (!todo.halve_front(t, opts_.min_split_window))
        co_return poll_outcome{false, too_large_at_minimum(result.error(), window)};
      log::debug("reply over api.max_response_bytes; window split",
                 {{"tenant", t.cfg.label}, {"seconds", std::to_string((window.end - window.start).count())}});
      continue;
    }
    t.metrics->count_request(std::to_string(result->http_status), reply.seconds);
    commit(t, *stage, window);
    todo.pop();
    grow_after_reply(t, result->bytes, max_response_bytes_);  // replies small again: longer windows
  }
  co_return poll_outcome{};
}

api::api_error poll_loop::too_large_at_minimum(api::api_error err, const api::time_window& window) const {
  err.message = "a window of " + std::to_string((window.end - window.start).count()) +
                " s is as small as windows get and its reply is still over api.max_response_bytes (" + err.message +
                ")";
  return err;
}

asio::awaitable<poll_loop::timed_reply> poll_loop::request(const tenant_state& t, const api::time_window& window,
                                                           api::record_sink& sink) {
  timed_reply reply;
  auto permit = co_await gate_.permits.acquire();
  co_await gate_.take_token();  // after the permit: requests start at the budget's pace, not in bursts
  const auto clock = [this] { return opts_.request_clock ? opts_.request_clock() : steady_clock::now(); };
  const auto t0 = clock();
  // A named query, not fetch({scope, window}, sink): g++ 12 destroyed that braced temporary
  // twice when the request failed (issue #12; see "Coroutines" in collector.hpp).
  const api::call_reports_query query{t.cfg.scope, window};
  try {
    auto fetched = co_await fetch(query, sink);
    reply.result.emplace(std::move(fetched));
  } catch (const std::exception& e) {
    if (tasks_.stopped()) throw;
    reply.result.emplace(detail::transport_failure<api::fetch_summary>(e.what()));
  }
  reply.seconds = std::chrono::duration<double>(clock() - t0).count();
  co_return reply;
}

asio::awaitable<api::api_result<api::fetch_summary>> poll_loop::fetch(const api::call_reports_query& q,
                                                                      api::record_sink& sink) {
  // The request races its deadline; the loser is cancelled, and both have ended when this
  // returns (the stage outlives the request). Cancelling the poll (stop) cancels both.
  // The operations are named locals, not temporaries of the co_await (see "Coroutines" in
  // collector.hpp).
  asio::steady_timer deadline(tasks_.executor(), request_deadline_);
  auto request = asio::co_spawn(tasks_.executor(), client_.fetch_call_reports(q, sink), asio::deferred);
  auto expiry = deadline.async_wait(asio::deferred);
  auto group = asio::experimental::make_parallel_group(std::move(request), std::move(expiry));
  constexpr asio::experimental::wait_for_one first_done;
  auto [order, ex, reply, timer_ec] = co_await group.async_wait(first_done, asio::use_awaitable);
  if (order[0] == 1 && !timer_ec)
    co_return detail::transport_failure<api::fetch_summary>(
        "no complete reply within " + std::to_string(request_deadline_.count()) + " ms (request deadline)");
  if (ex) std::rethrow_exception(ex);
  co_return std::move(reply);
}

void poll_loop::commit(tenant_state& t, window_stage& stage, const api::time_window& window) {
  stage.commit(t);
  if (!t.watermark || *t.watermark < window.end) t.watermark = window.end;  // never moves back
  t.metrics->set_watermark(*t.watermark);
  // Windows are inclusive at the API: keep one extra second before the next window's start.
  t.seen.prune_before(window_start_after(*t.watermark, cfg_.overlap) - 1s);
  state_.mark_dirty();
}

void poll_loop::on_success(tenant_state& t) {
  if (t.failures > 0) log::info("poll recovered", {{"tenant", t.cfg.label}, {"failures", std::to_string(t.failures)}});
  t.failures = 0;
  t.succeeded_once = true;
  t.last_success = wall_now(opts_);
  t.metrics->set_up(true);
  book_.accounts().set_up(true);  // the partner poll is theirs (no accounts otherwise)
  t.metrics->set_last_success(*t.last_success);
  t.metrics->count_poll(true);
  state_.mark_dirty();
}

void poll_loop::on_failure(tenant_state& t, const api::api_error& err) {
  ++t.failures;
  ++t.errors;
  auto text = err.describe();
  // Logged when a failure streak starts or its cause changes, not on every retry.
  if (t.failures == 1 || text != t.last_error)
    log::warn("poll failed", {{"tenant", t.cfg.label}, {"err", text}, {"failures", std::to_string(t.failures)}});
  else log::debug("poll failed again", {{"tenant", t.cfg.label}, {"failures", std::to_string(t.failures)}});
  t.last_error = std::move(text);
  t.metrics->set_up(false);
  book_.accounts().set_up(false);
  t.metrics->count_poll(false);
  state_.mark_dirty();
}

}  // namespace voxo::collector

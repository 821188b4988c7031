#include "collector/collector.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <algorithm>
#include <deque>
#include <exception>
#include <set>

#include "api/window_split.hpp"
#include "collector/poll_schedule.hpp"
#include "collector/window_batch.hpp"
#include "util/log.hpp"

namespace voxo::collector {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using std::chrono::steady_clock;

namespace {

constexpr auto nothrow_awaitable = asio::as_tuple(asio::use_awaitable);

template <class T>
api::api_result<T> failed(std::string message) {
  return api::api_result<T>(boost::system::in_place_error,
                            api::api_error{api::api_errc::transport, 0, std::nullopt, std::move(message)});
}

double median_mos(const metrics::call_deltas& totals) {
  metrics::histogram_delta all;
  for (std::size_t d = 0; d < api::direction_count; ++d)
    all.merge(totals.histogram(metrics::call_histogram::mos, static_cast<api::call_direction>(d)));
  double out = 0;
  return metrics::estimate_quantile(metrics::mos_buckets, all, 0.5, out) ? out : -1;
}

}  // namespace

collector::collector(asio::any_io_executor ex, api::api_client& client, metrics::exporter_metrics& m,
                     const config::config& cfg, collector_options opts)
    : ex_(ex),
      client_(client),
      metrics_(m),
      cfg_(cfg.collector),
      discovery_(cfg.discovery),
      shard_(cfg.shard),
      static_tenants_(cfg.tenants),
      opts_(std::move(opts)),
      filter_(cfg.discovery.include, cfg.discovery.exclude),
      sem_(ex, std::max(1u, cfg.collector.concurrency)),
      signals_(std::make_shared<std::list<asio::cancellation_signal>>()),
      running_(std::make_shared<std::size_t>(0)),
      rng_(std::random_device{}()),
      request_deadline_(opts_.request_deadline.count() > 0 ? opts_.request_deadline : cfg.api.timeout * 10),
      max_response_bytes_(cfg.api.max_response_bytes),
      state_timer_(ex),
      budget_(ex, cfg.collector.max_requests_per_second, 0, opts_.budget_clock) {
  if (cfg.partner.enabled && !cfg.tenants.empty())
    accounts_ = std::make_unique<account_map>(cfg.partner, cfg.tenants.front().label);
  cfg_.interval = std::max(cfg_.interval, std::chrono::milliseconds(1));
  request_deadline_ = std::max(request_deadline_, std::chrono::milliseconds(1));
  opts_.min_split_window = std::max(opts_.min_split_window, std::chrono::seconds(1));
  // Never back off longer than one interval (unless the server asks for it with Retry-After).
  opts_.backoff.cap = std::min(opts_.backoff.cap, cfg_.interval);
}

collector::~collector() { stop(); }

std::chrono::sys_seconds collector::now() const {
  return opts_.clock ? opts_.clock() : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::chrono::sys_seconds collector::window_start_after(std::chrono::sys_seconds watermark) const {
  return std::chrono::floor<std::chrono::seconds>(watermark - cfg_.overlap);
}

std::chrono::milliseconds collector::retry_delay(unsigned failures, std::optional<std::chrono::seconds> retry_after) {
  const double jitter = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  return backoff_delay(opts_.backoff, failures, retry_after, jitter);
}

template <class Awaitable>
void collector::spawn(Awaitable&& a, const char* what, std::string tenant) {
  auto& signal = signals_->emplace_back();
  ++*running_;
  asio::co_spawn(ex_, std::forward<Awaitable>(a),
                 asio::bind_cancellation_slot(
                     signal.slot(), [signals = signals_, running = running_, what,
                                     tenant = std::move(tenant)](std::exception_ptr e) {
                       --*running;
                       if (!e) return;
                       // Nothing escapes: a coroutine's end is logged, never fatal.
                       try {
                         std::rethrow_exception(e);
                       } catch (const boost::system::system_error& se) {
                         if (se.code() == asio::error::operation_aborted)
                           log::debug("coroutine cancelled", {{"task", what}, {"tenant", tenant}});
                         else
                           log::error("coroutine failed", {{"task", what}, {"tenant", tenant}, {"err", se.what()}});
                       } catch (const std::exception& ex) {
                         log::error("coroutine failed", {{"task", what}, {"tenant", tenant}, {"err", ex.what()}});
                       } catch (...) {
                         log::error("coroutine failed", {{"task", what}, {"tenant", tenant}, {"err", "unknown"}});
                       }
                     }));
}

std::shared_ptr<tenant_state> collector::add_tenant(const config::tenant_config& tc, bool discovered) {
  auto t = std::make_shared<tenant_state>();
  t->cfg = tc;
  t->discovered = discovered;
  t->metrics = &metrics_.tenant(tc.label, tc.name);
  // With a state file, counts become visible when it saved them (publish_loop()).
  t->metrics->hold_until_published(!cfg_.state_file);
  auto it = pending_state_.find(tc.label);
  if (it == pending_state_.end() || !it->second.runtime) t->metrics->set_up(false);
  if (it != pending_state_.end()) {
    // Restored: counters go on from their saved values, polling from the saved watermark.
    auto& snap = it->second;
    t->watermark = snap.watermark;
    if (snap.watermark) t->metrics->set_watermark(*snap.watermark);
    t->seen = std::move(snap.ids);  // moved: a reload never copies a tenant's ids
    // Raises the series to the saved values: after a restart they start there, after a config
    // reload (same series, already there) nothing changes.
    t->metrics->restore(snap.totals, snap.counts, snap.held);
    if (snap.runtime) {
      t->succeeded_once = snap.runtime->succeeded_once;
      t->last_success = snap.runtime->last_success;
      if (t->last_success) t->metrics->set_last_success(*t->last_success);
      t->failures = snap.runtime->failures;
      t->errors = snap.runtime->errors;
      t->last_error = snap.runtime->last_error;
    }
    pending_state_.erase(it);
  }
  tenants_[tc.label] = t;
  return t;
}

void collector::spawn_tenant(const std::shared_ptr<tenant_state>& t, steady_clock::duration first_delay) {
  t->loop_running = true;
  spawn(tenant_loop(t, first_delay), "poll", t->cfg.label);
}

void collector::start() {
  if (started_ || stopped_) return;
  load_state();
  begin({});
}

void collector::start(std::vector<tenant_snapshot> carried) {
  if (started_ || stopped_) return;
  begin(std::move(carried));
}

void collector::begin(std::vector<tenant_snapshot> restored) {
  started_ = true;
  for (auto& snap : restored) {
    auto label = snap.label;
    pending_state_[label] = std::move(snap);
  }
  std::vector<std::shared_ptr<tenant_state>> fresh;
  for (const auto& tc : static_tenants_)
    if (!tenants_.count(tc.label)) fresh.push_back(add_tenant(tc, false));
  if (accounts_) adopt_accounts();
  if (!pending_state_.empty() && !discovery_.enabled)
    log::info("state kept for tenants not in the config (they resume if they come back)",
              {{"tenants", std::to_string(pending_state_.size())}});
  // Spread the first polls over the first interval so thousands of tenants don't start at once.
  for (std::size_t i = 0; i < fresh.size(); ++i)
    spawn_tenant(fresh[i], opts_.spread_first_polls
                               ? first_poll_delay(i, fresh.size(), cfg_.interval,
                                                  std::uniform_real_distribution<double>(0.0, 1.0)(rng_))
                               : steady_clock::duration{});
  publish_owned_tenants();
  if (discovery_.enabled) spawn(discovery_loop(), "discovery", "");
  // What was restored is saved already: show it, and work out when restored holds end.
  publish_time_ = steady_clock::now();
  publish();
  spawn(publish_loop(), "publish", "");
  log::info("collector started", {{"tenants", std::to_string(fresh.size())},
                                  {"discovery", discovery_.enabled ? "on" : "off"}});
}

void collector::stop() {
  if (stopped_) return;
  stopped_ = true;
  budget_.cancel();
  for (auto& s : *signals_) s.emit(asio::cancellation_type::terminal);
  // Nothing half-done is in the file (batches commit atomically); what it holds may be shown.
  if (started_ && save_state()) publish();
}

void collector::load_state() {
  if (!cfg_.state_file) return;
  std::vector<tenant_snapshot> loaded;
  std::string error;
  switch (load_state_file(*cfg_.state_file, loaded, error)) {
    case state_load::missing:
      log::info("no state file yet; starting fresh", {{"path", *cfg_.state_file}});
      break;
    case state_load::corrupt:
      log::error("state file refused; starting fresh from lookback", {{"path", *cfg_.state_file}, {"err", error}});
      break;
    case state_load::not_a_file:
      log::error("state file unusable; it is left alone and nothing is saved over it", {{"path", *cfg_.state_file}, {"err", error}});
      state_unusable_ = error;
      break;
    case state_load::loaded:
      log::info("state loaded", {{"path", *cfg_.state_file}, {"tenants", std::to_string(loaded.size())}});
      std::size_t dropped = 0;
      for (auto& snap : loaded) {
        // A tenant another replica owns now is counted there: resuming from this old state if
        // it ever came back would count the calls in between twice. Unsharded, every tenant is ours.
        if (!config::owns(shard_, snap.label)) {
          ++dropped;
          continue;
        }
        auto label = snap.label;
        pending_state_[label] = std::move(snap);
      }
      if (dropped > 0)
        log::info("state dropped for tenants other shards own now",
                  {{"tenants", std::to_string(dropped)}, {"shard", std::to_string(shard_.index) + "/" + std::to_string(shard_.count)}});
      break;
  }
}

std::vector<tenant_snapshot> collector::snapshot() const {
  std::vector<tenant_snapshot> snaps;
  snaps.reserve(tenants_.size() + account_series_.size() + pending_state_.size());
  for (const auto& [label, t] : tenants_) {
    snaps.push_back(live_snapshot(*t));
    snaps.back().ids = t->seen;  // a copy of the compact set (20 bytes per id), no string per id
  }
  for (const auto& [label, m] : account_series_) snaps.push_back(account_snapshot(label, *m));
  for (const auto& [label, snap] : pending_state_) snaps.push_back(snap);  // not known (yet): keep
  return snaps;
}

std::vector<tenant_snapshot> collector::take_state() {
  state_taken_ = true;  // what is left is not the state any more: never saved over the file
  std::vector<tenant_snapshot> snaps;
  snaps.reserve(tenants_.size() + account_series_.size() + pending_state_.size());
  for (auto& [label, t] : tenants_) {
    snaps.push_back(live_snapshot(*t));
    snaps.back().ids = std::move(t->seen);
    t->seen = dedupe_set{};
  }
  for (const auto& [label, m] : account_series_) snaps.push_back(account_snapshot(label, *m));
  for (auto& [label, snap] : pending_state_) snaps.push_back(std::move(snap));
  pending_state_.clear();
  return snaps;
}

tenant_snapshot collector::live_snapshot(const tenant_state& t) const {
  tenant_snapshot s;
  s.label = t.cfg.label;
  s.watermark = t.watermark;
  s.totals = t.metrics->totals();
  s.counts = t.metrics->counts();
  s.runtime = tenant_runtime{t.succeeded_once, t.last_success, t.failures, t.errors, t.last_error};
  return s;
}

tenant_snapshot collector::account_snapshot(const std::string& label, const metrics::tenant_metrics& m) {
  tenant_snapshot s;  // attributed accounts: counters only
  s.label = label;
  s.totals = m.totals();
  s.counts = m.counts();
  s.runtime = tenant_runtime{};
  return s;
}

bool collector::save_state() {
  if (!cfg_.state_file || state_taken_) return true;
  const auto t0 = steady_clock::now();
  const auto at = publish_time_ = t0;  // the publish after a successful save uses the same instant
  std::string error;
  // One instant on this thread: watermark, ids and counters always agree in the file.
  // Streamed from the live sets tenant by tenant: a save costs a write buffer and one tenant's
  // counters, not a copy of every id (see state_file.hpp).
  const dedupe_set none;
  const auto saved_at = now();
  if (state_unusable_) error = *state_unusable_;
  const bool ok = !state_unusable_ && write_state_file(
      *cfg_.state_file, saved_at,
      [&](state_writer& w) {
        // With each tenant, the series the publish after this save leaves in their hold.
        for (const auto& [label, t] : tenants_)
          w.tenant(label, t->watermark, t->seen, t->metrics->totals(), t->metrics->counts(),
                   t->metrics->holds_after_publish(at));
        for (const auto& [label, m] : account_series_)
          w.tenant(label, std::nullopt, none, m->totals(), m->counts(), m->holds_after_publish(at));
        for (const auto& [label, snap] : pending_state_) w.tenant(snap);
      },
      error);
  last_save_ = steady_clock::now();
  last_save_took_ = last_save_ - t0;
  metrics_.count_state_save(ok, saved_at);
  if (!ok) {
    if (!save_failing_)
      log::error("cannot write the state file; counts are not shown until it can be written",
                 {{"path", *cfg_.state_file}, {"err", error}});
    else
      log::debug("cannot write the state file", {{"path", *cfg_.state_file}, {"err", error}});
    save_failing_ = true;
    return false;
  }
  if (save_failing_) log::info("state file written again", {{"path", *cfg_.state_file}});
  save_failing_ = false;
  dirty_ = false;
  return true;
}

void collector::mark_dirty() {
  if (dirty_) return;
  dirty_ = true;
  state_timer_.cancel();  // wakes the publisher if it waits
}

void collector::publish() {
  // Right after a save: the instant it planned the holds for, so the file and the series agree.
  const auto now = cfg_.state_file ? publish_time_ : steady_clock::now();
  auto next = steady_clock::time_point::max();
  for (const auto& [label, t] : tenants_)
    if (t->metrics->unpublished()) next = std::min(next, t->metrics->publish(now));
  for (const auto& [label, m] : account_series_)
    if (m->unpublished()) next = std::min(next, m->publish(now));
  next_held_due_ = next;
  if (!cfg_.state_file) dirty_ = false;
}

asio::awaitable<void> collector::publish_loop() {
  // Durable before visible: with a state file, changes are shown only right after a save
  // wrote them (so a restart after kill -9 never resumes below what a scrape saw). The first
  // change is saved at once, later ones at most every state_save_every (longer when a write
  // takes long: a huge state never keeps the thread busy more than ~10% of the time). Without
  // a state file, changes are shown at once. Either way, values a new series holds back
  // (tenant_metrics.hpp) are shown when due.
  last_save_ = steady_clock::now() - std::chrono::hours(1);
  for (;;) {
    const auto now = steady_clock::now();
    auto wake = steady_clock::time_point::max();
    if (!cfg_.state_file) {
      if (dirty_ || now >= next_held_due_) {
        publish();
        continue;
      }
      wake = next_held_due_;
    } else {
      // A change is saved when due; a held value too, but only with a save (the file must know
      // it is no longer held before a scrape can see it grown).
      const auto gap = std::max<steady_clock::duration>(std::max(opts_.state_save_every, std::chrono::milliseconds(1)),
                                                        last_save_took_ * 10);
      const auto save_due = last_save_ + gap;
      const auto due = std::min(dirty_ ? save_due : steady_clock::time_point::max(),
                                next_held_due_ == steady_clock::time_point::max()
                                    ? next_held_due_
                                    : std::max(next_held_due_, save_due));
      if (now >= due) {
        if (save_state()) publish();
        continue;
      }
      wake = due;
    }
    state_timer_.expires_at(wake);
    co_await state_timer_.async_wait(nothrow_awaitable);  // cancelled: a change, or stop()
    if (stopped_) co_return;
  }
}

asio::awaitable<void> collector::tenant_loop(std::shared_ptr<tenant_state> t, steady_clock::duration first_delay) {
  struct running_flag {
    tenant_state& t;
    ~running_flag() { t.loop_running = false; }
  } flag{*t};
  asio::steady_timer timer(ex_);
  const steady_clock::duration interval = cfg_.interval;
  auto anchor = steady_clock::now() + first_delay;  // the regular schedule: anchor += interval, no drift
  auto next = anchor;
  for (;;) {
    timer.expires_at(next);
    auto [ec] = co_await timer.async_wait(nothrow_awaitable);
    if (ec || stopped_ || !t->active) co_return;

    poll_outcome outcome;
    try {
      outcome = co_await poll(*t);
    } catch (const std::exception& e) {  // a bug must not end this tenant's polling for good
      if (stopped_) throw;
      outcome = {false, api::api_error{api::api_errc::transport, 0, std::nullopt, e.what()}};
    }
    if (stopped_) co_return;
    if (t->watermark) close_baseline(*t);  // its first window is in: what follows is live
    if (outcome.ok)
      on_success(*t);
    else if (outcome.error)
      on_failure(*t, *outcome.error);
    if (!t->active) co_return;

    const auto now = steady_clock::now();
    anchor = next_tick(anchor, now, interval);  // skips ticks a long poll overran; keeps the phase
    next = outcome.ok ? anchor
                      : now + retry_delay(t->failures, outcome.error ? outcome.error->retry_after : std::nullopt);
  }
}

std::chrono::seconds collector::window_cap(const tenant_state& t) const {
  const auto cap = api::max_window(t.cfg.scope);
  return t.max_window ? std::min(*t.max_window, cap) : cap;
}

asio::awaitable<void> collector::take_token() {
  if (budget_.unlimited()) co_return;
  const auto waited = co_await budget_.acquire();
  if (waited > steady_clock::duration::zero())
    metrics_.add_rate_limit_wait(std::chrono::duration<double>(waited).count());
}

asio::awaitable<api::api_result<api::fetch_summary>> collector::fetch(const api::call_reports_query& q,
                                                                      api::record_sink& batch) {
  // The request races its deadline; the loser is cancelled, and both have ended when this
  // returns (the batch outlives the request). Cancelling the poll (stop) cancels both.
  // The operations are named locals, not temporaries of the co_await (see "Coroutines" in
  // collector.hpp).
  asio::steady_timer deadline(ex_, request_deadline_);
  auto request = asio::co_spawn(ex_, client_.fetch_call_reports(q, batch), asio::deferred);
  auto expiry = deadline.async_wait(asio::deferred);
  auto group = asio::experimental::make_parallel_group(std::move(request), std::move(expiry));
  constexpr asio::experimental::wait_for_one first_done;
  auto [order, ex, reply, timer_ec] = co_await group.async_wait(first_done, asio::use_awaitable);
  if (order[0] == 1 && !timer_ec)
    co_return failed<api::fetch_summary>("no complete reply within " +
                                         std::to_string(request_deadline_.count()) + " ms (request deadline)");
  if (ex) std::rethrow_exception(ex);
  co_return std::move(reply);
}

asio::awaitable<collector::poll_outcome> collector::poll(tenant_state& t) {
  const auto wall = now();
  const auto end = std::chrono::floor<std::chrono::seconds>(wall - cfg_.delay);
  const auto start =
      t.watermark ? window_start_after(*t.watermark) : std::chrono::floor<std::chrono::seconds>(wall - cfg_.lookback);

  const auto pieces = api::split_window({start, end}, window_cap(t));
  std::deque<api::time_window> todo(pieces.begin(), pieces.end());  // in time order
  while (!todo.empty()) {
    const auto chunk = todo.front();
    // Partner-wide: the same staging, split by account.
    std::optional<window_batch> plain;
    std::optional<partner_batch> split;
    if (accounts_ && std::holds_alternative<api::partner_scope>(t.cfg.scope))
      split.emplace(t.seen, chunk, *accounts_, &metrics_.labeler());
    else
      plain.emplace(t.seen, chunk, &metrics_.labeler());
    window_batch& batch = split ? split->whole() : *plain;
    batch.hold_outside_ids_for(std::chrono::ceil<std::chrono::seconds>(cfg_.lookback));
    api::record_sink& sink = split ? static_cast<api::record_sink&>(*split) : *plain;
    std::optional<api::api_result<api::fetch_summary>> reply;
    double seconds = 0;
    {
      auto permit = co_await sem_.acquire();
      co_await take_token();  // after the permit: requests start at the budget's pace, not in bursts
      const auto t0 = steady_clock::now();
      // A named query, not fetch({scope, chunk}, sink): g++ 12 destroyed that braced temporary
      // twice when the request failed (issue #12; see "Coroutines" in collector.hpp).
      const api::call_reports_query query{t.cfg.scope, chunk};
      try {
        auto fetched = co_await fetch(query, sink);
        reply.emplace(std::move(fetched));
      } catch (const std::exception& e) {
        if (stopped_) throw;
        reply.emplace(failed<api::fetch_summary>(e.what()));
      }
      seconds = std::chrono::duration<double>(steady_clock::now() - t0).count();
    }
    if (stopped_) co_return poll_outcome{false, std::nullopt};  // abandoned by shutdown: not a failure

    if (!*reply) {  // the batch is dropped: nothing of a failed reply is used
      t.metrics->count_request(reply->error().code_label(), seconds);
      mark_dirty();
      const auto length = chunk.end - chunk.start;
      if (reply->error().code == api::api_errc::too_large && length > opts_.min_split_window) {
        // Too much for one reply: ask the two halves instead, earlier half first.
        const auto half = std::chrono::seconds(length.count() / 2);
        todo.pop_front();
        todo.push_front({chunk.start + half, chunk.end});
        todo.push_front({chunk.start, chunk.start + half});
        t.max_window = half;
        log::debug("reply over api.max_response_bytes; window split",
                   {{"tenant", t.cfg.label}, {"seconds", std::to_string(length.count())}});
        continue;
      }
      if (reply->error().code == api::api_errc::too_large) {
        auto err = reply->error();
        err.message = "a window of " + std::to_string(length.count()) +
                      " s is as small as windows get and its reply is still over api.max_response_bytes (" +
                      err.message + ")";
        co_return poll_outcome{false, std::move(err)};
      }
      co_return poll_outcome{false, reply->error()};
    }
    t.metrics->count_request(std::to_string((*reply)->http_status), seconds);
    commit(t, batch, chunk, split ? &*split : nullptr);
    todo.pop_front();
    // Replies are small again: let the next poll ask longer windows (doubling, up to the cap).
    if (t.max_window && (*reply)->bytes < max_response_bytes_ / 4) {
      const auto cap = api::max_window(t.cfg.scope);
      t.max_window = *t.max_window * 2 >= cap ? std::nullopt : std::optional(*t.max_window * 2);
    }
  }
  co_return poll_outcome{};
}

void collector::commit(tenant_state& t, window_batch& batch, const api::time_window& chunk, partner_batch* split) {
  if (split) {
    commit_accounts(t, *split);
  } else {
    t.metrics->apply(batch.deltas());
    t.metrics->count_ingest(batch.records(), batch.duplicates(), batch.invalid());
    t.metrics->count_revised(batch.revised());
  }
  t.metrics->count_outside_window(batch.outside_window());
  if (batch.outside_window() > 0 && !t.warned_record_zone) {
    t.warned_record_zone = true;
    log::warn("records outside the window asked for; check api.record_timezone",
              {{"tenant", t.cfg.label}, {"records", std::to_string(batch.outside_window())}});
  }
  batch.commit_ids(t.seen);
  if (!t.watermark || *t.watermark < chunk.end) t.watermark = chunk.end;  // never moves back
  t.metrics->set_watermark(*t.watermark);
  // Windows are inclusive at the API: keep one extra second before the next window's start.
  t.seen.prune_before(window_start_after(*t.watermark) - 1s);
  mark_dirty();
}

metrics::tenant_metrics& collector::account(const std::string& label) {
  auto it = account_series_.find(label);
  if (it == account_series_.end()) {
    auto& m = metrics_.tenant(label, accounts_->name_of(label));
    m.hold_until_published(!cfg_.state_file);
    // An account first seen after the partner poll's first window: its calls are live.
    const auto* partner = find(accounts_->partner_label());
    if (partner && partner->metrics->baseline_closed()) m.close_baseline();
    it = account_series_.emplace(label, &m).first;
  }
  return *it->second;
}

void collector::close_baseline(tenant_state& t) {
  if (t.metrics->baseline_closed()) return;
  t.metrics->close_baseline();
  if (accounts_ && t.cfg.label == accounts_->partner_label())
    for (auto& [label, m] : account_series_) m->close_baseline();
  if (!cfg_.state_file) publish();  // the baseline is shown with the poll that completed it
  mark_dirty();
}

void collector::commit_accounts(tenant_state& t, const partner_batch& split) {
  // One synchronous step on the collector's thread: every account of the window or none.
  for (const auto& label : split.new_accounts()) {
    accounts_->admit(label);
    account(label).set_up(true);  // created by a reply that succeeded
    log::debug("account attributed", {{"tenant", label}});
  }
  for (const auto& [label, part] : split.parts()) {
    auto& m = label == t.cfg.label ? *t.metrics : account(label);
    m.apply(part.deltas);
    m.count_ingest(part.records, part.duplicates, 0);
    m.count_revised(part.revised);
  }
  t.metrics->count_ingest(0, 0, split.whole().invalid());
  if (split.overflow() > 0) {
    metrics_.count_unattributed(split.overflow());
    if (!warned_unattributed_) {
      warned_unattributed_ = true;
      log::warn("more accounts in partner-wide replies than tenants.max_accounts; the rest count as tenant=partner",
                {{"max_accounts", std::to_string(accounts_->max_accounts())}});
    }
  }
}

void collector::adopt_accounts() {
  // Counters of accounts go on from their saved values (a restart or a config reload). A state
  // of a tenant polled per tenant before (a mode switch) is adopted the same way.
  for (auto& [label, snap] : pending_state_) {
    auto& m = account(label);
    accounts_->admit(label);
    m.restore(snap.totals, snap.counts, snap.held);
    if (!snap.runtime) m.set_up(false);
  }
  pending_state_.clear();
}

void collector::on_success(tenant_state& t) {
  if (t.failures > 0)
    log::info("poll recovered", {{"tenant", t.cfg.label}, {"failures", std::to_string(t.failures)}});
  t.failures = 0;
  t.succeeded_once = true;
  t.last_success = now();
  t.metrics->set_up(true);
  if (accounts_)
    for (auto& [label, m] : account_series_) m->set_up(true);  // the partner poll is theirs
  t.metrics->set_last_success(*t.last_success);
  t.metrics->count_poll(true);
  mark_dirty();
}

void collector::on_failure(tenant_state& t, const api::api_error& err) {
  ++t.failures;
  ++t.errors;
  auto text = err.describe();
  // Logged when a failure streak starts or its cause changes, not on every retry.
  if (t.failures == 1 || text != t.last_error)
    log::warn("poll failed", {{"tenant", t.cfg.label}, {"err", text}, {"failures", std::to_string(t.failures)}});
  else
    log::debug("poll failed again", {{"tenant", t.cfg.label}, {"failures", std::to_string(t.failures)}});
  t.last_error = std::move(text);
  t.metrics->set_up(false);
  if (accounts_)
    for (auto& [label, m] : account_series_) m->set_up(false);
  t.metrics->count_poll(false);
  mark_dirty();
}

asio::awaitable<void> collector::discovery_loop() {
  asio::steady_timer timer(ex_);
  unsigned failures = 0;
  std::string last_error;
  for (;;) {
    std::optional<api::api_result<std::vector<api::tenant_info>>> reply;
    {
      auto permit = co_await sem_.acquire();
      co_await take_token();
      try {
        auto listed = co_await client_.list_tenants();  // a named result (see "Coroutines")
        reply.emplace(std::move(listed));
      } catch (const std::exception& e) {
        if (stopped_) throw;
        reply.emplace(failed<std::vector<api::tenant_info>>(e.what()));
      }
    }
    if (stopped_) co_return;
    std::chrono::milliseconds wait = discovery_.refresh;
    if (*reply) {
      failures = 0;
      last_error.clear();
      apply_discovery(**reply);
      discovered_once_ = true;
    } else {
      ++failures;
      auto text = reply->error().describe();
      if (text != last_error) log::warn("tenant discovery failed", {{"err", text}});
      last_error = std::move(text);
      backoff_policy p = opts_.backoff;
      p.cap = std::min(opts_.backoff.cap, discovery_.refresh);
      wait = std::min(discovery_.refresh, backoff_delay(p, failures, reply->error().retry_after, 0.5));
    }
    timer.expires_after(std::max(wait, std::chrono::milliseconds(1)));
    auto [ec] = co_await timer.async_wait(nothrow_awaitable);
    if (ec || stopped_) co_return;
  }
}

void collector::apply_discovery(const std::vector<api::tenant_info>& listed) {
  std::set<std::string> seen;
  std::vector<std::shared_ptr<tenant_state>> fresh;
  for (const auto& info : listed) {
    const auto label = std::to_string(info.id);
    if (!filter_.accepts(label, info.match_name()) || !config::owns(shard_, label)) continue;
    seen.insert(label);
    auto it = tenants_.find(label);
    if (it == tenants_.end()) {
      log::info("tenant discovered", {{"tenant", label}});
      fresh.push_back(add_tenant({api::tenant_scope{info.id}, label, info.name}, true));
      continue;
    }
    auto& t = *it->second;
    if (!t.discovered) continue;  // configured by hand: the config file wins
    if (t.cfg.name != info.name) {
      t.cfg.name = info.name;
      metrics_.tenant(label, info.name);
    }
    if (!t.active) {
      // Back again: resume from its old watermark and ids, so nothing is counted twice.
      log::info("tenant listed again", {{"tenant", label}});
      t.active = true;
      if (!t.loop_running) fresh.push_back(it->second);
    }
  }
  // Vanished tenants stop being polled, but keep their series: counters must not vanish
  // mid-life (a reset would look like a drop to rate()); voxo_up shows their last state.
  for (auto& [label, t] : tenants_) {
    if (t->discovered && t->active && !seen.count(label)) {
      log::info("tenant no longer listed; polling stops", {{"tenant", label}});
      t->active = false;
    }
  }
  for (std::size_t i = 0; i < fresh.size(); ++i)
    spawn_tenant(fresh[i], opts_.spread_first_polls
                               ? first_poll_delay(i, fresh.size(), cfg_.interval,
                                                  std::uniform_real_distribution<double>(0.0, 1.0)(rng_))
                               : steady_clock::duration{});
  publish_owned_tenants();
}

void collector::publish_owned_tenants() {
  std::size_t owned = 0;
  for (const auto& [label, t] : tenants_) owned += t->active ? 1 : 0;
  metrics_.set_shard_tenants(owned);
}

std::vector<tenant_status> collector::tenants() const {
  std::vector<tenant_status> out;
  for (const auto& [label, t] : tenants_) {
    if (!t->active) continue;
    tenant_status s;
    s.label = label;
    s.name = t->cfg.name;
    s.last_success = t->last_success;
    s.watermark = t->watermark;
    const auto& totals = t->metrics->totals();
    s.calls = totals.total_calls();
    s.answered = totals.answered_calls();
    if (const double m = median_mos(totals); m >= 0) s.median_mos = m;
    s.errors = t->errors;
    s.last_error = t->last_error;
    out.push_back(std::move(s));
  }
  const tenant_state* partner = accounts_ ? find(accounts_->partner_label()) : nullptr;
  for (const auto& [label, m] : account_series_) {
    tenant_status s;
    s.label = label;
    s.name = accounts_->name_of(label);
    if (partner) {
      s.last_success = partner->last_success;
      s.watermark = partner->watermark;
    }
    const auto& totals = m->totals();
    s.calls = totals.total_calls();
    s.answered = totals.answered_calls();
    if (const double med = median_mos(totals); med >= 0) s.median_mos = med;
    out.push_back(std::move(s));
  }
  return out;
}

bool collector::ready() const {
  if (discovery_.enabled && !discovered_once_) return false;
  return std::all_of(tenants_.begin(), tenants_.end(),
                     [](const auto& kv) { return !kv.second->active || kv.second->succeeded_once; });
}

const tenant_state* collector::find(const std::string& label) const {
  auto it = tenants_.find(label);
  return it == tenants_.end() ? nullptr : it->second.get();
}

}  // namespace voxo::collector

#include "collector/state_keeper.hpp"

#include <algorithm>

#include "util/asio.hpp"
#include "util/log.hpp"

namespace voxo::collector {

namespace asio = boost::asio;
using std::chrono::steady_clock;

namespace {

tenant_snapshot live_snapshot(const tenant_state& t) {  // all but the ids
  tenant_snapshot s;
  s.label = t.cfg.label;
  s.watermark = t.watermark;
  s.totals = t.metrics->totals();
  s.counts = t.metrics->counts();
  s.runtime = tenant_runtime{t.succeeded_once, t.last_success, t.failures, t.errors, t.last_error};
  return s;
}

tenant_snapshot account_snapshot(const std::string& label, const metrics::tenant_metrics& m) {
  tenant_snapshot s;  // attributed accounts: counters only
  s.label = label;
  s.totals = m.totals();
  s.counts = m.counts();
  s.runtime = tenant_runtime{};
  return s;
}

}  // namespace

state_keeper::state_keeper(asio::any_io_executor ex, const config::config& cfg, const collector_options& opts,
                           metrics::exporter_metrics& m, tenant_book& book, const task_group& tasks)
    : path_(cfg.collector.state_file),
      shard_(cfg.shard),
      opts_(opts),
      metrics_(m),
      book_(book),
      tasks_(tasks),
      timer_(ex) {}

void state_keeper::load() {
  if (!path_) return;
  auto loaded = load_state_file(*path_);
  if (!loaded) {
    const auto error = loaded.error();
    switch (error.kind) {
      case state_load::missing: log::info("no state file yet; starting fresh", {{"path", *path_}}); break;
      case state_load::corrupt:
        log::error("state file refused; starting fresh from lookback", {{"path", *path_}, {"err", error.message}});
        break;
      case state_load::not_a_file:
        log::error("state file unusable; it is left alone and nothing is saved over it",
                   {{"path", *path_}, {"err", error.message}});
        unusable_ = error.message;
        break;
    }
    return;
  }
  log::info("state loaded", {{"path", *path_}, {"tenants", std::to_string(loaded->size())}});
  std::size_t dropped = 0;
  for (auto& snap : *loaded) {
    // A tenant another replica owns now is counted there: resuming from this old state if
    // it ever came back would count the calls in between twice. Unsharded, every tenant is ours.
    if (!config::owns(shard_, snap.label)) {
      ++dropped;
      continue;
    }
    auto label = snap.label;
    book_.pending()[label] = std::move(snap);
  }
  if (dropped > 0)
    log::info("state dropped for tenants other shards own now",
              {{"tenants", std::to_string(dropped)},
               {"shard", std::to_string(shard_.index) + "/" + std::to_string(shard_.count)}});
}

std::vector<tenant_snapshot> state_keeper::snapshot() const {
  std::vector<tenant_snapshot> snaps;
  const auto& accounts = book_.accounts().series();
  snaps.reserve(book_.tenants().size() + accounts.size() + book_.pending().size());
  for (const auto& [label, t] : book_.tenants()) {
    snaps.push_back(live_snapshot(*t));
    snaps.back().ids = t->seen;  // a copy of the compact set (20 bytes per id), no string per id
  }
  for (const auto& [label, m] : accounts) snaps.push_back(account_snapshot(label, *m));
  for (const auto& [label, snap] : book_.pending()) snaps.push_back(snap);  // not known (yet): keep
  return snaps;
}

std::vector<tenant_snapshot> state_keeper::take_state() {
  taken_ = true;  // what is left is not the state any more: never saved over the file
  std::vector<tenant_snapshot> snaps;
  const auto& accounts = book_.accounts().series();
  snaps.reserve(book_.tenants().size() + accounts.size() + book_.pending().size());
  for (auto& [label, t] : book_.tenants()) {
    snaps.push_back(live_snapshot(*t));
    snaps.back().ids = std::move(t->seen);
    t->seen = dedupe_set{};
  }
  for (const auto& [label, m] : accounts) snaps.push_back(account_snapshot(label, *m));
  for (auto& [label, snap] : book_.pending()) snaps.push_back(std::move(snap));
  book_.pending().clear();
  return snaps;
}

void state_keeper::write_state(state_writer& w, steady_clock::time_point at) {
  // With each tenant, the series the publish after this save leaves in their hold.
  const dedupe_set none;
  for (const auto& [label, t] : book_.tenants())
    w.tenant(label, t->watermark, t->seen, t->metrics->totals(), t->metrics->counts(),
             t->metrics->holds_after_publish(at));
  for (const auto& [label, m] : book_.accounts().series())
    w.tenant(label, std::nullopt, none, m->totals(), m->counts(), m->holds_after_publish(at));
  for (const auto& [label, snap] : book_.pending()) w.tenant(snap);
}

bool state_keeper::save() {
  if (!path_ || taken_) return true;
  const auto t0 = steady_clock::now();
  const auto at = publish_time_ = t0;  // the publish after a successful save uses the same instant
  // One instant on this thread: watermark, ids and counters always agree in the file.
  // Streamed from the live sets tenant by tenant: a save costs a write buffer and one tenant's
  // counters, not a copy of every id (see state_file.hpp).
  const auto saved_at = wall_now(opts_);
  bool ok = false;
  std::string error;
  if (unusable_) error = *unusable_;
  else if (auto written = write_state_file(*path_, saved_at, [&](state_writer& w) { write_state(w, at); })) ok = true;
  else error = written.error();
  last_save_ = steady_clock::now();
  last_save_took_ = last_save_ - t0;
  metrics_.count_state_save(ok, saved_at);
  log_save(ok, error);
  if (!ok) return false;
  dirty_ = false;
  return true;
}

void state_keeper::log_save(bool ok, const std::string& error) {
  if (!ok) {
    if (!save_failing_)
      log::error("cannot write the state file; counts are not shown until it can be written",
                 {{"path", *path_}, {"err", error}});
    else log::debug("cannot write the state file", {{"path", *path_}, {"err", error}});
    save_failing_ = true;
    return;
  }
  if (save_failing_) log::info("state file written again", {{"path", *path_}});
  save_failing_ = false;
}

void state_keeper::mark_dirty() {
  if (dirty_) return;
  dirty_ = true;
  timer_.cancel();  // wakes the publisher if it waits
}

void state_keeper::publish() {
  // Right after a save: the instant it planned the holds for, so the file and the series agree.
  const auto now = path_ ? publish_time_ : steady_clock::now();
  auto next = steady_clock::time_point::max();
  for (const auto& [label, t] : book_.tenants())
    if (t->metrics->unpublished()) next = std::min(next, t->metrics->publish(now));
  for (const auto& [label, m] : book_.accounts().series())
    if (m->unpublished()) next = std::min(next, m->publish(now));
  next_held_due_ = next;
  if (!path_) dirty_ = false;
}

void state_keeper::publish_restored() {
  publish_time_ = steady_clock::now();
  publish();
}

void state_keeper::close_baseline(tenant_state& t) {
  if (t.metrics->baseline_closed()) return;
  t.metrics->close_baseline();
  book_.accounts().close_baseline(t);
  if (!path_) publish();  // the baseline is shown with the poll that completed it
  mark_dirty();
}

steady_clock::time_point state_keeper::save_due() const {
  // A change is saved when due; a held value too, but only with a save (the file must know
  // it is no longer held before a scrape can see it grown).
  const auto gap = std::max<steady_clock::duration>(std::max(opts_.state_save_every, std::chrono::milliseconds(1)),
                                                    last_save_took_ * 10);
  const auto save_due = last_save_ + gap;
  return std::min(dirty_ ? save_due : steady_clock::time_point::max(), next_held_due_ == steady_clock::time_point::max()
                                                                           ? next_held_due_
                                                                           : std::max(next_held_due_, save_due));
}

asio::awaitable<void> state_keeper::publish_loop() {
  // Durable before visible: with a state file, changes are shown only right after a save
  // wrote them (so a restart after kill -9 never resumes below what a scrape saw). The first
  // change is saved at once, later ones at most every state_save_every (longer when a write
  // takes long: a huge state never keeps the thread busy more than ~10% of the time). Without
  // a state file, changes are shown at once. Either way, values a new series holds back
  // (tenant_metrics.hpp) are shown when due.
  last_save_ = steady_clock::now() - std::chrono::hours(1);
  for (;;) {
    const auto now = steady_clock::now();
    const auto due = path_ ? save_due() : (dirty_ ? now : next_held_due_);
    if (now >= due) {
      if (!path_) publish();
      else if (save()) publish();
      continue;
    }
    timer_.expires_at(due);
    co_await timer_.async_wait(util::nothrow_awaitable);  // cancelled: a change, or stop()
    if (tasks_.stopped()) co_return;
  }
}

}  // namespace voxo::collector

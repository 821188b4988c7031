#include "collector/collector.hpp"

#include <algorithm>
#include <chrono>

#include "collector/status_view.hpp"
#include "util/log.hpp"

namespace voxo::collector {

namespace {

collector_options normalized(collector_options opts, const config::config& cfg) {
  opts.min_split_window = std::max(opts.min_split_window, std::chrono::seconds(1));
  // Never back off longer than one interval (unless the server asks for it with Retry-After).
  opts.backoff.cap = std::min(opts.backoff.cap, std::max(cfg.collector.interval, std::chrono::milliseconds(1)));
  return opts;
}

}  // namespace

collector::collector(boost::asio::any_io_executor ex, api::api_client& client, metrics::exporter_metrics& m,
                     const config::config& cfg, collector_options opts)
    : static_tenants_(cfg.tenants),
      opts_(normalized(std::move(opts), cfg)),
      tasks_(ex),
      gate_(ex, cfg.collector.concurrency, cfg.collector.max_requests_per_second, opts_.budget_clock, m),
      book_(m, cfg),
      state_(ex, cfg, opts_, m, book_, tasks_),
      polls_(cfg, opts_, client, gate_, book_, state_, tasks_, m),
      discovery_(cfg, opts_, client, gate_, book_, polls_, tasks_) {}

collector::~collector() { stop(); }

void collector::start() {
  if (started_ || tasks_.stopped()) return;
  state_.load();
  begin({});
}

void collector::start(std::vector<tenant_snapshot> carried) {
  if (started_ || tasks_.stopped()) return;
  begin(std::move(carried));
}

void collector::begin(std::vector<tenant_snapshot> restored) {
  started_ = true;
  for (auto& snap : restored) {
    auto label = snap.label;
    book_.pending()[label] = std::move(snap);
  }
  std::vector<std::shared_ptr<tenant_state>> fresh;
  for (const auto& tc : static_tenants_)
    if (!book_.contains(tc.label)) fresh.push_back(book_.add(tc, false));
  book_.accounts().adopt(book_.pending());  // partner-wide: the other states are accounts
  if (!book_.pending().empty() && !discovery_.enabled())
    log::info("state kept for tenants not in the config (they resume if they come back)",
              {{"tenants", std::to_string(book_.pending().size())}});
  polls_.start(fresh);
  book_.publish_owned();
  if (discovery_.enabled()) tasks_.spawn(discovery_.run(), "discovery", "");
  // What was restored is saved already: show it, and work out when restored holds end.
  state_.publish_restored();
  tasks_.spawn(state_.publish_loop(), "publish", "");
  log::info("collector started",
            {{"tenants", std::to_string(fresh.size())}, {"discovery", discovery_.enabled() ? "on" : "off"}});
}

void collector::stop() {
  if (tasks_.stopped()) return;
  gate_.budget.cancel();
  tasks_.cancel();
  // Nothing half-done is in the file (batches commit atomically); what it holds may be shown.
  if (started_ && state_.save()) state_.publish();
}

bool collector::save_state() { return state_.save(); }

std::vector<tenant_snapshot> collector::snapshot() const { return state_.snapshot(); }

std::vector<tenant_snapshot> collector::take_state() { return state_.take_state(); }

std::vector<tenant_status> collector::tenants() const { return tenant_statuses(book_); }

bool collector::ready() const { return discovery_.listed_once() && all_polled_once(book_); }

}  // namespace voxo::collector

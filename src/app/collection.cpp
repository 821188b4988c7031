#include "app/collection.hpp"

#include <boost/asio/error.hpp>

#include <algorithm>

#include "api/http_api_client.hpp"
#include "collector/status.hpp"
#include "util/log.hpp"

namespace voxo::app {

collection::collection(boost::asio::any_io_executor ex, metrics::exporter_metrics& m)
    : ex_(ex), metrics_(m), reaper_(ex) {}

collection::~collection() { stop(); }

std::unique_ptr<collection::pipeline> collection::build(const config::config& cfg) {
  auto options = cfg.api;
  options.max_connections = cfg.collector.concurrency;  // one connection per request in flight
  auto p = std::make_unique<pipeline>();
  p->client = api::make_http_api_client(ex_, options);
  p->collector = std::make_unique<collector::collector>(ex_, *p->client, metrics_, cfg);
  return p;
}

void collection::start(const config::config& cfg) {
  current_ = build(cfg);
  current_->collector->start();
}

void collection::replace(const config::config& cfg) {
  if (stopped_) return;
  auto next = build(cfg);  // may throw: the running pair stays
  std::vector<collector::tenant_snapshot> state;
  if (current_) {
    current_->collector->stop();                // also saves the state file
    state = current_->collector->take_state();  // moves the ids, no copy
    retired_.push_back(std::move(current_));
  }
  current_ = std::move(next);
  current_->collector->start(std::move(state));
  reap();
}

void collection::reap() {
  std::erase_if(retired_, [](const auto& p) { return p->collector->running() == 0; });
  if (retired_.empty() || stopped_) return;
  reaper_.expires_after(std::chrono::milliseconds(200));
  reaper_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) reap();
  });
}

void collection::stop() {
  if (stopped_) return;
  stopped_ = true;
  reaper_.cancel();
  if (current_) current_->collector->stop();
}

std::vector<http::tenant_view> collection::tenants() const {
  std::vector<http::tenant_view> out;
  if (!current_) return out;
  auto status = current_->collector->tenants();
  out.reserve(status.size());
  for (auto& t : status)
    out.push_back({.label = std::move(t.label),
                   .name = std::move(t.name),
                   .last_success = t.last_success,
                   .watermark = t.watermark,
                   .calls = t.calls,
                   .answered = t.answered,
                   .median_mos = t.median_mos,
                   .errors = t.errors,
                   .last_error = std::move(t.last_error)});
  return out;
}

bool collection::ready() const { return current_ && current_->collector->ready(); }

}  // namespace voxo::app

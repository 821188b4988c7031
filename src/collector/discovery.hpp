#pragma once
// Tenant discovery (discovery.enabled): every discovery.refresh, list the tenants the API
// key can see (through the request gate, like every request) and poll those that pass
// discovery.include/exclude and belong to this shard. A tenant configured by hand always wins
// over a listed one. A tenant no longer listed stops being polled but keeps its series
// (counters must not vanish mid-life); listed again, it resumes from its watermark and ids.
// A failed listing changes nothing and is retried with backoff. ready() stays false until the
// first listing succeeded. The collector facade spawns run(); new tenants go to the poll loop.

#include <boost/asio/awaitable.hpp>

#include <vector>

#include "api/api_client.hpp"
#include "collector/collector_options.hpp"
#include "collector/poll_loop.hpp"
#include "collector/request_gate.hpp"
#include "collector/task_group.hpp"
#include "collector/tenant_book.hpp"
#include "collector/tenant_filter.hpp"
#include "config/config.hpp"

namespace voxo::collector {

class tenant_discovery {
 public:
  tenant_discovery(const config::config& cfg, const collector_options& opts, api::api_client& client,
                   request_gate& gate, tenant_book& book, poll_loop& polls, const task_group& tasks);

  bool enabled() const noexcept { return cfg_.enabled; }
  // Listed once at least (always true when discovery is off).
  bool listed_once() const noexcept { return !cfg_.enabled || listed_once_; }
  boost::asio::awaitable<void> run();  // until the task group stops
  // Applies one listing: new tenants enter and are polled, vanished ones stop, returning ones resume.
  void apply(const std::vector<api::tenant_info>& listed);

 private:
  config::discovery_config cfg_;
  config::shard_config shard_;  // discovered tenants are sharded here; configured ones by the loader
  const collector_options& opts_;
  api::api_client& client_;
  request_gate& gate_;
  tenant_book& book_;
  poll_loop& polls_;
  const task_group& tasks_;
  tenant_filter filter_;
  bool listed_once_ = false;
};

}  // namespace voxo::collector

#pragma once
// Shared set-up of the collector tests: a real io_context, the fake API, a fixed (movable)
// wall clock, short intervals. Runs the loop until a condition holds or a bounded time passed.

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "collector/collector.hpp"
#include "config/config.hpp"
#include "metrics/exporter_metrics.hpp"
#include "support/exposition_parser.hpp"
#include "support/fake_api_client.hpp"

namespace voxo::test {

using namespace std::chrono_literals;

inline const std::chrono::sys_seconds t0{std::chrono::seconds(1'700'000'000)};

struct collector_harness {
  boost::asio::io_context ioc;
  fake_api_client api{ioc.get_executor()};
  metrics::exporter_metrics metrics{[] {
    metrics::exporter_metrics::options o;
    o.process_metrics = false;
    return o;
  }()};
  config::config cfg;
  std::chrono::sys_seconds wall = t0;
  collector::collector_options opts;
  std::unique_ptr<collector::collector> c;
  api::api_client* client = nullptr;  // when set, the collector uses it instead of `api`

  collector_harness() {
    cfg.collector.interval = 50ms;
    cfg.collector.delay = 2min;
    cfg.collector.overlap = 15min;
    cfg.collector.lookback = 1h;
    cfg.collector.concurrency = 4;
    opts.clock = [this] { return wall; };
    opts.backoff.base = 10ms;
    opts.spread_first_polls = false;
  }
  ~collector_harness() {
    if (c) {
      c->stop();
      ioc.restart();
      ioc.run_for(2s);  // let the cancelled coroutines finish before the collector goes
    }
  }

  void add_tenant(long long id, std::string name = {}) {
    cfg.tenants.push_back({api::tenant_scope{id}, std::to_string(id), std::move(name)});
  }
  void start() {
    c = std::make_unique<collector::collector>(ioc.get_executor(), client ? *client : api, metrics, cfg, opts);
    c->start();
  }
  // Runs the io_context until `done` holds; false if it did not within `limit`.
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      ioc.run_one_for(10ms);
    }
    return true;
  }
  bool run_until_calls(const std::string& tenant, std::size_t n, std::chrono::milliseconds limit = 10s) {
    return run_until([&] { return api.calls_of(tenant).size() >= n && api.in_flight() == 0; }, limit);
  }
  series_map series() { return parse_exposition(metrics.render()); }
  double value(const std::string& name, const std::map<std::string, std::string>& labels) {
    return sum_series(series(), name, labels);
  }
};

}  // namespace voxo::test

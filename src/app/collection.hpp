#pragma once
// What a config reload replaces: the API client and the collector, built from one config.
// The HTTP server sees the collection as its status source (http::status_source, the
// collector's status converted to the server's view), so a reload is invisible to it.
//
// replace() builds the new client and collector first (a failure throws and leaves the
// running ones alone), then stops the old collector, takes its state in memory (watermarks,
// ids in the horizon, counter values, runtime status) and starts the new one from it: nothing
// is fetched twice or lost, no counter moves. The old pair lives on, retired, until its
// cancelled coroutines have ended.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <vector>

#include "api/api_client.hpp"
#include "collector/collector.hpp"
#include "config/config.hpp"
#include "http/status_source.hpp"
#include "metrics/exporter_metrics.hpp"

namespace voxo::app {

class collection : public http::status_source {
 public:
  collection(boost::asio::any_io_executor ex, metrics::exporter_metrics& m);
  ~collection() override;
  collection(const collection&) = delete;
  collection& operator=(const collection&) = delete;

  // Builds and starts client + collector for `cfg`, the state read from its state file.
  // Throws at start-up for what can never work (see make_http_api_client).
  void start(const config::config& cfg);
  // Swaps in a client + collector for `cfg`, carrying the state over. Throws (and changes
  // nothing) when the new ones cannot be built.
  void replace(const config::config& cfg);
  // Stops every collector (saving the state); let the io_context run out afterwards.
  void stop();

  std::vector<http::tenant_view> tenants() const override;
  bool ready() const override;

 private:
  struct pipeline {
    std::unique_ptr<api::api_client> client;  // declared first: outlives the collector
    std::unique_ptr<collector::collector> collector;
  };
  std::unique_ptr<pipeline> build(const config::config& cfg);
  void reap();

  boost::asio::any_io_executor ex_;
  metrics::exporter_metrics& metrics_;
  std::unique_ptr<pipeline> current_;
  std::vector<std::unique_ptr<pipeline>> retired_;  // stopped, coroutines still ending
  boost::asio::steady_timer reaper_;
  bool stopped_ = false;
};

}  // namespace voxo::app

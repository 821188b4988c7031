#include "app/exporter_app.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <optional>

#include "api/http_api_client.hpp"
#include "app/demo_mode.hpp"
#include "collector/collector.hpp"
#include "config/config_loader.hpp"
#include "http/server.hpp"
#include "http/web_config.hpp"
#include "metrics/exporter_metrics.hpp"
#include "util/log.hpp"

namespace voxo::app {

int run_exporter(const config::cli_options& cli) {
  config::config cfg = config::load_config(cli);
  std::optional<demo> demo_run;
  if (cli.config_file.empty()) {
    demo_run.emplace(start_demo(cfg));
    cfg = demo_run->cfg;
  }
  cfg.api.max_connections = cfg.collector.concurrency;

  boost::asio::io_context ioc{1};
  metrics::exporter_metrics metrics;
  auto client = api::make_http_api_client(ioc.get_executor(), cfg.api);
  auto collector = std::make_shared<collector::collector>(ioc.get_executor(), *client, metrics, cfg);

  http::server_options web;
  web.telemetry_path = cfg.web.telemetry_path;
  if (cfg.web.web_config_file) web.web = http::load_web_config(*cfg.web.web_config_file);
  // The server shares the exposition and status, which live as long as this function.
  std::shared_ptr<metrics::exposition_source> exposition(std::shared_ptr<void>{}, &metrics.exposition());
  http::server server(ioc.get_executor(), web, exposition, collector);
  server.listen(cfg.web.listen_address);

  log::info("voxo_exporter started",
            {{"version", VOXO_VERSION},
             {"revision", VOXO_REVISION},
             {"config", cfg.source.empty() ? std::string("(demo)") : cfg.source},
             {"tenants", std::to_string(cfg.tenants.size())},
             {"metrics", "http://localhost:" + std::to_string(server.port()) + cfg.web.telemetry_path}});
  collector->start();

  boost::asio::signal_set stop_signals(ioc, SIGINT, SIGTERM);
  stop_signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log::info("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    collector->stop();
    server.stop();
  });
  ioc.run();
  if (demo_run) demo_run->simulator->stop();
  log::info("stopped");
  return 0;
}

}  // namespace voxo::app

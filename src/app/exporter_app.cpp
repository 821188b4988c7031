#include "app/exporter_app.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <functional>
#include <optional>

#include "app/collection.hpp"
#include "app/demo_mode.hpp"
#include "config/config_loader.hpp"
#include "http/server.hpp"
#include "http/web_config.hpp"
#include "metrics/exporter_metrics.hpp"
#include "util/build_info.hpp"
#include "util/log.hpp"

namespace voxo::app {
namespace {

std::chrono::sys_seconds now_s() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

// SIGHUP: re-read --config.file. Valid: the collection is rebuilt from it (state carried
// over). Invalid: logged, the running config stays, the reload gauge goes to 0.
void reload(const config::cli_options& cli, collection& coll, metrics::exporter_metrics& metrics) {
  if (cli.config_file.empty()) {
    log::warn("SIGHUP ignored: no --config.file (demo mode), nothing to reload");
    return;
  }
  log::info("reloading the config", {{"config", cli.config_file}});
  try {
    const config::config next = config::load_config(cli);
    coll.replace(next);
    // Series already exported can't change their label set in place: metrics: waits for a restart.
    if (next.metrics !=
        config::metrics_config{metrics.per_tenant_histograms(), metrics.labeler().options(), metrics.new_series_hold()})
      log::warn("metrics: settings changed; they apply after a restart (the running ones stay)");
    metrics.set_config_reload(true, now_s());
    log::info("config reloaded", {{"config", cli.config_file}, {"tenants", std::to_string(next.tenants.size())}});
  } catch (const std::exception& e) {
    metrics.set_config_reload(false, now_s());
    log::error("config reload failed; the running config stays", {{"err", e.what()}});
  }
}

}  // namespace

int run_exporter(const config::cli_options& cli) {
  config::config cfg = config::load_config(cli);
  std::optional<demo> demo_run;
  if (cli.config_file.empty()) {
    demo_run.emplace(start_demo(cfg));
    cfg = demo_run->cfg;
  }

  boost::asio::io_context ioc{1};
  // Before anything can log "listening": a SIGHUP must never meet the default action (exit).
  boost::asio::signal_set stop_signals(ioc, SIGINT, SIGTERM);
  boost::asio::signal_set reload_signal(ioc, SIGHUP);

  metrics::exporter_metrics::options mopts{std::string(util::build_version()), std::string(util::build_revision())};
  mopts.per_tenant_histograms = cfg.metrics.per_tenant_histograms;
  mopts.extra_labels = cfg.metrics.extra_labels;
  mopts.new_series_hold = cfg.metrics.new_series_hold;
  metrics::exporter_metrics metrics(mopts);
  metrics.set_config_reload(true, now_s());
  collection coll(ioc.get_executor(), metrics);

  http::server_options web;
  web.telemetry_path = cfg.web.telemetry_path;
  if (cfg.web.web_config_file) web.web = http::load_web_config(*cfg.web.web_config_file);
  // The server reads the exposition and the status, declared before it in this function, which
  // runs the io_context: they outlive every connection (see http::server's constructor).
  http::server server(ioc.get_executor(), web, metrics.exposition(), coll);
  server.listen(cfg.web.listen_address);
  coll.start(cfg);

  log::info("voxo_exporter started",
            {{"version", std::string(util::build_version())},
             {"revision", std::string(util::build_revision())},
             {"config", cfg.source.empty() ? std::string("(demo)") : cfg.source},
             {"tenants", std::to_string(cfg.tenants.size())},
             {"metrics", "http://localhost:" + std::to_string(server.port()) + cfg.web.telemetry_path}});

  bool stopping = false;
  stop_signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    log::info("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
    stopping = true;
    reload_signal.cancel();
    coll.stop();
    server.stop();
  });
  std::function<void()> await_reload = [&] {
    reload_signal.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec || stopping) return;
      reload(cli, coll, metrics);
      await_reload();
    });
  };
  await_reload();

  ioc.run();
  if (demo_run) demo_run->simulator->stop();
  log::info("stopped");
  return 0;
}

}  // namespace voxo::app

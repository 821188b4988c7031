#pragma once
// State keeping: what the collector counted, saved and shown in the right order. With
// collector.state_file, start reads the file (load(); tenants other shards own now are
// dropped), the state is written after applied windows, at most every state_save_every
// (longer when a write takes long), and on stop; counts reach the series only right after the
// file holds them (durable before visible: a restart after kill -9 never resumes below what a
// scrape saw), and new series first show 0 for metrics.new_series_hold (born at zero; see
// metrics/tenant_metrics.hpp). Without a state file, changes are shown at once. A file that is
// there but unreadable is never saved over. snapshot()/take_state() hand the state to a
// collector replacing this one (config reload). The poll loop and discovery report changes
// with mark_dirty(); the collector facade runs publish_loop() and calls the rest.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "collector/collector_options.hpp"
#include "collector/state_file.hpp"
#include "collector/task_group.hpp"
#include "collector/tenant_book.hpp"
#include "config/config.hpp"
#include "metrics/exporter_metrics.hpp"

namespace voxo::collector {

class state_keeper {
 public:
  state_keeper(boost::asio::any_io_executor ex, const config::config& cfg, const collector_options& opts,
               metrics::exporter_metrics& m, tenant_book& book, const task_group& tasks);

  // Reads collector.state_file into the book's pending states (no-op without one).
  void load();
  // Writes collector.state_file now (no-op without one); false when writing failed.
  bool save();
  // Shows what the tenants counted (right after a save, with a state file).
  void publish();
  // Shows what start() restored (saved already) and works out when restored holds end.
  void publish_restored();
  // Something changed: wakes the publisher.
  void mark_dirty();
  // `t`'s first window is in (and its accounts', for the partner poll): what follows is live.
  void close_baseline(tenant_state& t);
  // Saves when due and publishes, until the task group stops.
  boost::asio::awaitable<void> publish_loop();

  // Every change is shown (with a state file: saved and shown); held new series aside.
  bool published() const noexcept { return !dirty_; }
  // The state of every tenant as of now, ids copied; see collector::snapshot().
  std::vector<tenant_snapshot> snapshot() const;
  // The same with the ids moved out; nothing is saved after it.
  std::vector<tenant_snapshot> take_state();

 private:
  std::chrono::steady_clock::time_point save_due() const;
  void write_state(state_writer& w, std::chrono::steady_clock::time_point at);
  void log_save(bool ok, const std::string& error);

  const std::optional<std::string> path_;
  const config::shard_config shard_;
  const collector_options& opts_;
  metrics::exporter_metrics& metrics_;
  tenant_book& book_;
  const task_group& tasks_;
  // Changes not shown yet (with a state file: not saved yet); the timer wakes the publisher.
  bool dirty_ = false;
  std::chrono::steady_clock::time_point next_held_due_ = std::chrono::steady_clock::time_point::max();
  std::chrono::steady_clock::time_point publish_time_{};  // the instant of the last save
  boost::asio::steady_timer timer_;
  std::chrono::steady_clock::time_point last_save_{};
  std::chrono::steady_clock::duration last_save_took_{};
  bool save_failing_ = false;
  // The state file could not be read but is there (not a regular file, no permission): saving
  // over it would lose what it holds, so saves fail (and are counted) until a restart.
  std::optional<std::string> unusable_;
  bool taken_ = false;  // take_state() moved the ids out
};

}  // namespace voxo::collector

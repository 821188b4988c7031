#pragma once
// End-to-end harness: an in-process simulator plus the real voxo_exporter binary, started
// with a config file written for the test, and helpers to scrape it.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/simulator.hpp"
#include "support/child_process.hpp"
#include "support/exposition_parser.hpp"
#include "support/http_get.hpp"
#include "support/temp_dir.hpp"

namespace voxo::test {

struct exporter_settings {
  std::string interval = "1s";
  std::string delay = "2m";
  std::string overlap = "1h";
  std::string lookback = "1h";
  unsigned concurrency = 2;
  std::string extra_api_yaml;           // appended under api:
  std::string extra_collector_yaml;     // appended under collector:
  std::vector<std::string> extra_args;  // more flags for the binary
  std::string tenants_yaml;             // the value of tenants: (default: every tenant by id)
  bool with_state_file = false;
  // metrics.new_series_hold: short, so the held path runs in every e2e test and ends soon.
  std::string new_series_hold = "1s";
};

class exporter_harness {
 public:
  explicit exporter_harness(sim::simulator_options sim_options);
  ~exporter_harness();

  sim::simulator& sim() { return *sim_; }
  const temp_dir& dir() const { return dir_; }

  // Writes the config (tenants = every tenant of the data set, by id) and starts the binary;
  // returns once it listens. Throws if it does not start within 30 s.
  void start_exporter(const exporter_settings& settings = {});
  void restart_exporter();  // same settings and state file
  child_process& exporter() { return *exporter_; }
  const std::string& config_path() const { return config_path_; }
  unsigned short exporter_port() const { return port_; }

  http_reply scrape(const std::string& target = "/metrics") const;
  series_map scrape_series() const;

  // Polls `done` (every 200 ms) until it is true or `timeout` passes; returns its last value.
  static bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

 private:
  temp_dir dir_;
  std::unique_ptr<sim::simulator> sim_;
  std::unique_ptr<child_process> exporter_;
  exporter_settings settings_;
  std::string config_path_;
  unsigned short port_ = 0;
};

}  // namespace voxo::test

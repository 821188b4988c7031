#pragma once
// Demo mode: with no --config.file the exporter starts a simulator of the VOXO API inside the
// process (live, seeded data for a handful of tenants) and polls it, so a new user sees real
// numbers on /metrics at once. Nothing of it is used once a config file is given.

#include <memory>

#include "config/config.hpp"
#include "sim/simulator.hpp"

namespace voxo::app {

struct demo {
  std::unique_ptr<sim::simulator> simulator;  // serving on 127.0.0.1, its own thread
  config::config cfg;                         // polls it, short intervals
};

// Starts the simulator; `base` supplies the web and log settings from the flags.
demo start_demo(const config::config& base);

}  // namespace voxo::app

#pragma once
// The exporter as one object: API client, metrics, collector and HTTP server wired together
// on one io_context, with signal handling. main() parses flags and runs it.

#include <memory>
#include <string>

#include "config/cli.hpp"
#include "config/config.hpp"

namespace voxo::app {

// Runs until SIGTERM/SIGINT; returns the process exit code. Throws at start-up for what can
// never work (a bad config, an unusable listen address); main() reports that.
int run_exporter(const config::cli_options& cli);

}  // namespace voxo::app

#pragma once
// Command-line flags, node_exporter style (--config.file, --web.listen-address, ...).
// Both --flag=value and --flag value work. There is deliberately no flag for a token or a
// password: secrets never go on a command line (visible in ps and shell history).
//
// main():
//   auto cli = parse_command_line(argc, argv);
//   if (cli.exit) { print cli.output (stdout if exit_code == 0, else stderr); return cli.exit_code; }
//   if (cli.options.config_check) { same with check_config(cli.options); }
//   if (cli.options.config_file.empty()) -> demo mode against the built-in simulator
//   config c = load_config(cli.options);  // throws config_error

#include <string>

#include "config/config.hpp"

namespace voxo::config {

struct cli_options {
  std::string config_file;    // --config.file; empty = no file given: demo mode
  bool config_check = false;  // --config.check
  web_config web;             // --web.listen-address, --web.telemetry-path, --web.config.file
  log_config log;             // --log.level, --log.format (validated)
  shard_config shard;         // --shard.index, --shard.count (index from POD_NAME/HOSTNAME if not given)
};

struct cli_result {
  cli_options options;
  bool exit = false;   // stop now: print `output` and return `exit_code`
  int exit_code = 0;   // 0 help/version/config OK; 1 config invalid; 2 bad command line
  std::string output;  // help, version or error text, newline-terminated
};

cli_result parse_command_line(int argc, const char* const* argv);

// --config.check: loads and validates the file; exit 0 with "config OK", or 1 with the error.
// Always has exit = true.
cli_result check_config(const cli_options& options);

// The file (if any) plus the flags. Without a file: the defaults, source "" and no tenants,
// for main's demo mode. Throws config_error.
config load_config(const cli_options& options);

}  // namespace voxo::config

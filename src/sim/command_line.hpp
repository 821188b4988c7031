#pragma once
// voxo_sim's flags, parsed into simulator options (kept out of main() so tests can parse).

#include <chrono>
#include <string>

#include "sim/simulator.hpp"

namespace voxo::sim {

struct sim_command {
  simulator_options options;
  std::string ca_out;  // --ca-out: where to write the CA PEM (with --tls)
  std::string log_level = "info";
  std::string log_format = "logfmt";
  bool exit = false;  // --help or an error: print `output` and exit with `exit_code`
  int exit_code = 0;
  std::string output;
};

// `now` anchors --from/--to ("a duration ago").
sim_command parse_sim_command_line(int argc, const char* const argv[], std::chrono::sys_seconds now);

}  // namespace voxo::sim

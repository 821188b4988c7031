// voxo_exporter: parses the flags, then runs the exporter (src/app/exporter_app.cpp).
#include <cstdio>
#include <exception>

#include "app/exporter_app.hpp"
#include "config/cli.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
  using namespace voxo;
  auto cli = config::parse_command_line(argc, argv);
  if (!cli.exit && cli.options.config_check) cli = config::check_config(cli.options);
  if (cli.exit) {
    std::fputs(cli.output.c_str(), cli.exit_code == 0 ? stdout : stderr);
    return cli.exit_code;
  }
  // parse_command_line has checked both.
  log::configure(log::parse_level(cli.options.log.level).value_or(log::level::info),
                 log::parse_format(cli.options.log.format).value_or(log::format::logfmt));
  try {
    return app::run_exporter(cli.options);
  } catch (const std::exception& e) {
    // Start-up errors (config, listen address, TLS files): one clear line, non-zero exit.
    log::error(e.what());
    return 1;
  }
}

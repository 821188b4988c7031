// voxo_sim: the VOXO API simulator as a program (flags: src/sim/command_line.cpp, --help).
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <cstdio>
#include <exception>
#include <fstream>

#include "sim/command_line.hpp"
#include "sim/simulator.hpp"
#include "util/log.hpp"

int main(int argc, char** argv) {
  using namespace voxo;
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto cmd = sim::parse_sim_command_line(argc, argv, now);
  if (cmd.exit) {
    std::fputs(cmd.output.c_str(), cmd.exit_code == 0 ? stdout : stderr);
    return cmd.exit_code;
  }
  const auto level = log::parse_level(cmd.log_level);
  const auto format = log::parse_format(cmd.log_format);
  if (!level || !format) {
    std::fputs("voxo_sim: bad --log.level or --log.format (see --help)\n", stderr);
    return 2;
  }
  log::configure(*level, *format);
  try {
    // Signals are caught before serving starts, so a quick SIGTERM still exits cleanly.
    boost::asio::io_context main_ioc{1};
    boost::asio::signal_set signals(main_ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int sig) {
      log::info("sim: stopping", {{"signal", std::to_string(sig)}});
    });
    const auto& data = cmd.options.data;
    log::info("sim: data set", {{"seed", std::to_string(data.seed)},
                                {"tenants", std::to_string(data.tenants.size())},
                                {"from", std::to_string(data.from.time_since_epoch().count())},
                                {"to", data.to ? std::to_string(data.to->time_since_epoch().count()) : "live"}});
    sim::simulator server(std::move(cmd.options));
    server.start();
    if (!cmd.ca_out.empty()) {
      std::ofstream out(cmd.ca_out, std::ios::binary | std::ios::trunc);
      out << server.ca_cert_pem();
      if (!out.flush()) throw std::runtime_error("cannot write --ca-out file " + cmd.ca_out);
    }
    std::printf("listening on %s\n", server.base_url().c_str());
    std::fflush(stdout);
    main_ioc.run();
    server.stop();
    return 0;
  } catch (const std::exception& e) {
    log::error("sim: cannot start", {{"err", e.what()}});
    return 1;
  }
}

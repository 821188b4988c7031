#include "config/cli.hpp"

#include <charconv>
#include <cstdlib>
#include <sstream>

#include <boost/program_options.hpp>

#include "config/config_loader.hpp"
#include "util/build_info.hpp"
#include "util/log.hpp"

namespace voxo::config {
namespace {

namespace po = boost::program_options;

constexpr const char* program = "voxo_exporter";

cli_result stop(int code, std::string text) {
  cli_result r;
  r.exit = true;
  r.exit_code = code;
  r.output = std::move(text);
  if (!r.output.empty() && r.output.back() != '\n') r.output += '\n';
  return r;
}

cli_result usage_error(const std::string& message) {
  return stop(2, std::string(program) + ": " + message + " (see --help)");
}

// "host:port", ":port", "[v6]:port"; port 0 lets the OS pick (tests).
bool valid_listen_address(const std::string& address) {
  const auto colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  const std::string host = address.substr(0, colon);
  const std::string port = address.substr(colon + 1);
  if (host.find(':') != std::string::npos && !(host.starts_with('[') && host.ends_with(']'))) return false;
  if (host == "[]") return false;
  unsigned number = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
  return !port.empty() && ec == std::errc{} && end == port.data() + port.size() && number <= 65535;
}

po::options_description describe_flags() {
  const web_config web;
  const log_config log;
  po::options_description flags("Flags", 100, 50);
  flags.add_options()("help,h", "Show this help and exit.")("version", "Show the version and exit.")(
      "config.file", po::value<std::string>()->value_name("<path>"),
      "YAML configuration file (API, collector, tenants). Without it the exporter runs in demo "
      "mode against a built-in simulator.")(
      "config.check", "Load and validate --config.file, print \"config OK\" or the error, and exit.")(
      "web.listen-address", po::value<std::string>()->value_name("<host:port>")->default_value(web.listen_address),
      "Address to serve the metrics on.")(
      "web.telemetry-path", po::value<std::string>()->value_name("<path>")->default_value(web.telemetry_path),
      "Path under which to expose the metrics.")("web.config.file", po::value<std::string>()->value_name("<path>"),
                                                 "Web configuration file (TLS, basic auth), exporter-toolkit format.")(
      "log.level", po::value<std::string>()->value_name("<level>")->default_value(log.level),
      "Only log messages of this severity or above: debug, info, warn, error.")(
      "log.format", po::value<std::string>()->value_name("<format>")->default_value(log.format),
      "Log format: logfmt or json.")("shard.count", po::value<int>()->value_name("<n>")->default_value(1),
                                     "Replicas sharing the tenants; each tenant is polled by exactly one of them.")(
      "shard.index", po::value<int>()->value_name("<i>"),
      "This replica, 0 to shard.count-1. Default: the ordinal of the StatefulSet pod name in "
      "$POD_NAME or $HOSTNAME (voxo-exporter-2 -> 2).");
  return flags;
}

}  // namespace

cli_result parse_command_line(int argc, const char* const* argv) {
  const po::options_description flags = describe_flags();
  po::variables_map vm;
  try {
    // No prefix guessing: "--config" must not silently mean --config.file.
    const int style = po::command_line_style::unix_style & ~po::command_line_style::allow_guessing;
    const po::positional_options_description no_positionals;  // a stray word is an error, not ignored
    po::store(po::command_line_parser(argc, argv).options(flags).positional(no_positionals).style(style).run(), vm);
    po::notify(vm);
  } catch (const po::unknown_option& e) {
    // Name the flag, never its value: "--api.token=..." would put a secret on the terminal and in logs.
    const std::string name = e.get_option_name();
    return usage_error("unknown flag " + name.substr(0, name.find('=')));
  } catch (const po::too_many_positional_options_error&) {
    return usage_error("unexpected argument: every setting is a --flag (the config goes in --config.file)");
  } catch (const po::error& e) {
    return usage_error(e.what());
  }

  if (vm.count("help")) {
    std::ostringstream text;
    text << "usage: " << program << " [<flags>]\n\n"
         << "Prometheus exporter for the VOXO call-reports API.\n"
         << "Credentials come from the config file's token_file / password_file, or from\n"
         << "VOXO_TOKEN / VOXO_PASSWORD in the environment; never from flags.\n\n"
         << flags;
    return stop(0, text.str());
  }
  if (vm.count("version"))
    return stop(0, std::string(program) + " version " + std::string(util::build_version()) + " (revision " +
                       std::string(util::build_revision()) + ")");

  cli_result r;
  cli_options& o = r.options;
  if (vm.count("config.file")) {
    o.config_file = vm["config.file"].as<std::string>();
    if (o.config_file.empty()) return usage_error("--config.file: empty path");
  }
  o.config_check = vm.count("config.check") > 0;
  if (o.config_check && o.config_file.empty()) return usage_error("--config.check needs --config.file");

  o.web.listen_address = vm["web.listen-address"].as<std::string>();
  if (!valid_listen_address(o.web.listen_address))
    return usage_error("--web.listen-address: invalid address \"" + o.web.listen_address +
                       "\" (use host:port, :port or [::1]:port)");
  o.web.telemetry_path = vm["web.telemetry-path"].as<std::string>();
  if (!o.web.telemetry_path.starts_with('/') || o.web.telemetry_path == "/")
    return usage_error("--web.telemetry-path: must start with / and not be / (the landing page)");
  if (vm.count("web.config.file")) {
    o.web.web_config_file = vm["web.config.file"].as<std::string>();
    if (o.web.web_config_file->empty()) return usage_error("--web.config.file: empty path");
  }

  o.log.level = vm["log.level"].as<std::string>();
  if (!log::parse_level(o.log.level))
    return usage_error("--log.level: invalid level \"" + o.log.level + "\" (use debug, info, warn or error)");
  o.log.format = vm["log.format"].as<std::string>();
  if (!log::parse_format(o.log.format))
    return usage_error("--log.format: invalid format \"" + o.log.format + "\" (use logfmt or json)");
  // Read as int: lexical_cast would wrap "-1" into a huge unsigned.
  const int count = vm["shard.count"].as<int>();
  if (count < 1) return usage_error("--shard.count: must be at least 1");
  o.shard.count = static_cast<unsigned>(count);
  if (vm.count("shard.index")) {
    const int index = vm["shard.index"].as<int>();
    if (index < 0) return usage_error("--shard.index: must not be negative");
    o.shard.index = static_cast<unsigned>(index);
  } else if (o.shard.count > 1) {
    const char* pod = std::getenv("POD_NAME");
    if (!pod || !*pod) pod = std::getenv("HOSTNAME");
    auto ordinal = pod ? pod_ordinal(pod) : std::nullopt;
    if (!ordinal)
      return usage_error(
          "--shard.count > 1 needs --shard.index, or a StatefulSet pod name ending in -N in "
          "$POD_NAME or $HOSTNAME");
    o.shard.index = *ordinal;
  }
  if (o.shard.index >= o.shard.count)
    return usage_error("--shard.index: must be below --shard.count (" + std::to_string(o.shard.count) + ")");
  return r;
}

cli_result check_config(const cli_options& options) {
  try {
    load_config(options);
  } catch (const config_error& e) {
    return stop(1, e.what());
  }
  return stop(0, options.config_file + ": config OK");
}

config load_config(const cli_options& options) {
  config c;
  if (!options.config_file.empty()) c = load_config_file(options.config_file);
  c.web = options.web;
  c.log = options.log;
  c.shard = options.shard;
  if (c.partner.enabled && c.shard.count > 1)  // one request covers every account: nothing to split
    throw config_error(c.source +
                       ": tenants: {partner: true} polls every account with one request; it cannot be "
                       "sharded (run one replica, or list the tenants and shard those)");
  c.configured_tenants = c.tenants.size();
  std::erase_if(c.tenants, [&](const tenant_config& t) { return !owns(c.shard, t.label); });
  return c;
}

}  // namespace voxo::config

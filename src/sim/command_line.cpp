#include "sim/command_line.hpp"

#include <boost/program_options.hpp>

#include <charconv>
#include <sstream>

#include "util/duration.hpp"

namespace voxo::sim {

namespace po = boost::program_options;

namespace {

constexpr const char* usage_intro =
    "voxo_sim: a stand-in for the VOXO API (POST /authentication, GET /tenants, GET /call-reports)\n"
    "serving a deterministic, seeded data set, for tests and demos. Prints one line\n"
    "'listening on http(s)://HOST:PORT' to stdout, then logs to stderr; SIGINT/SIGTERM stop it.\n"
    "\n"
    "Control endpoints (no auth; a test tool):\n"
    "  POST /_sim/quality?tenantId=N&profile=bad|good  calls of tenant N from now on get that quality\n"
    "  POST /_sim/expire-tokens                         revoke every token issued so far\n"
    "  GET  /_sim/truth?tenantId=N[&start=U&end=U]      ground truth: every unique valid call of tenant N\n"
    "                                                   in [start, end] (unix seconds; default: all up to now)\n"
    "\n"
    "Faults on GET /call-reports (--faults), by request number: comma-separated N:kind[/arg] or\n"
    "every=K:kind[/arg]; kinds 500, 503/S, 429/S (Retry-After S), slow/S, truncate, html[/N], 401\n"
    "(and revoke the token), reset, empty, status/N (any 4xx/5xx), badjson. Example: --faults "
    "3:503/2,5:truncate,every=10:slow/1.5\n"
    "\n"
    "The demo credential is given on the command line (--email/--password): acceptable for a\n"
    "test tool only; never reuse a real password here.\n";

std::optional<std::pair<std::string, unsigned short>> split_host_port(const std::string& text) {
  std::string host;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':') return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string::npos) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
  }
  unsigned value = 0;
  auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (host.empty() || port.empty() || ec != std::errc{} || p != port.data() + port.size() || value > 65535)
    return std::nullopt;
  return std::pair{host, static_cast<unsigned short>(value)};
}

std::optional<std::vector<long long>> parse_ids(const std::string& text) {
  std::vector<long long> out;
  std::string_view rest(text);
  while (!rest.empty()) {
    auto comma = rest.find(',');
    auto item = rest.substr(0, comma);
    long long v = 0;
    auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (item.empty() || ec != std::errc{} || p != item.data() + item.size() || v <= 0) return std::nullopt;
    out.push_back(v);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  if (out.empty()) return std::nullopt;
  return out;
}

// "2h" (that long before now) or "@1665378000" (Unix seconds), so another process can
// rebuild the exact same data set.
std::optional<std::chrono::sys_seconds> parse_instant(const std::string& text, std::chrono::sys_seconds now) {
  if (!text.empty() && text.front() == '@') {
    long long v = 0;
    auto [p, ec] = std::from_chars(text.data() + 1, text.data() + text.size(), v);
    if (text.size() == 1 || ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
    return std::chrono::sys_seconds{std::chrono::seconds{v}};
  }
  auto ago = parse_duration(text);
  if (!ago) return std::nullopt;
  return now - std::chrono::duration_cast<std::chrono::seconds>(*ago);
}

sim_command fail(const std::string& message) {
  sim_command c;
  c.exit = true;
  c.exit_code = 2;
  c.output = "voxo_sim: " + message + " (see --help)\n";
  return c;
}

}  // namespace

sim_command parse_sim_command_line(int argc, const char* const argv[], std::chrono::sys_seconds now) {
  std::string listen, tenant_ids, from_text, to_text, faults_text, lifetime_text, max_late_text, narrow_text;
  unsigned tenants = 3;
  sim_command cmd;
  auto& o = cmd.options;
  auto& d = o.data;
  std::vector<std::string> tokens;

  po::options_description desc("Options");
  desc.add_options()("help,h", "show this help")("listen-address", po::value(&listen)->default_value("127.0.0.1:0"),
                                                 "HOST:PORT to listen on (port 0: any free port)")(
      "tls", po::bool_switch(&o.tls), "serve HTTPS with a certificate from a CA made at start")(
      "ca-out", po::value(&cmd.ca_out), "with --tls: write the CA certificate (PEM) to this file")(
      "seed", po::value(&d.seed)->default_value(1), "data set seed (same seed, same calls)")(
      "tenants", po::value(&tenants)->default_value(3), "tenant count: ids 101..100+N, names tenant-101 ...")(
      "tenant-ids", po::value(&tenant_ids), "explicit tenant ids instead, e.g. 37,42")(
      "calls-per-hour", po::value<double>()->default_value(60), "average calls per hour per tenant")(
      "from", po::value(&from_text)->default_value("24h"),
      "calls start this long ago (e.g. 2h, 7d) or at @UNIX_SECONDS")(
      "to", po::value(&to_text), "calls end this long ago or at @UNIX_SECONDS (default: live, up to now)")(
      "late-fraction", po::value(&d.late_fraction)->default_value(0.0), "share of records visible late")(
      "max-late", po::value(&max_late_text)->default_value("10m"), "longest delay of a late record")(
      "duplicate-fraction", po::value(&d.duplicate_fraction)->default_value(0.0), "share of records served twice")(
      "invalid-fraction", po::value(&d.invalid_fraction)->default_value(0.0), "share of invalid records")(
      "unknown-fraction", po::value(&d.unknown_fraction)->default_value(0.0), "share with odd direction/disposition")(
      "null-fraction", po::value(&d.null_fraction)->default_value(0.0), "chance of each optional field being null")(
      "narrow-labels-until", po::value(&narrow_text),
      "calls before this instant (this long ago, e.g. 10m, or @UNIX_SECONDS) have only directions IN/OUT and "
      "dispositions "
      "ANSWERED/NO ANSWER; later calls bring the other values")("faults", po::value(&faults_text),
                                                                "faults to inject on GET /call-reports (see above)")(
      "email", po::value(&o.email)->default_value(o.email), "login accepted by POST /authentication")(
      "password", po::value(&o.password)->default_value(o.password), "its password (demo credential, see above)")(
      "token", po::value(&tokens)->composing(), "a static bearer token always accepted (repeatable)")(
      "token-lifetime", po::value(&lifetime_text)->default_value("24h"), "lifetime (exp) of issued tokens")(
      "record-timezone", po::value(&d.record_timezone)->default_value(d.record_timezone),
      "zone of the records' `time` field")("stream-threshold",
                                           po::value(&o.stream_threshold)->default_value(o.stream_threshold),
                                           "replies larger than this many bytes are streamed chunked")(
      "log.level", po::value(&cmd.log_level)->default_value("info"), "debug, info, warn or error")(
      "log.format", po::value(&cmd.log_format)->default_value("logfmt"), "logfmt or json");

  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(desc).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    return fail(e.what());
  }
  if (vm.count("help")) {
    std::ostringstream out;
    out << usage_intro << "\n" << desc;
    cmd.exit = true;
    cmd.output = out.str();
    return cmd;
  }

  auto hp = split_host_port(listen);
  if (!hp) return fail("--listen-address must be HOST:PORT, got '" + listen + "'");
  o.listen_address = hp->first;
  o.port = hp->second;
  if (!cmd.ca_out.empty() && !o.tls) return fail("--ca-out needs --tls");

  std::vector<long long> ids;
  if (!tenant_ids.empty()) {
    auto parsed = parse_ids(tenant_ids);
    if (!parsed) return fail("--tenant-ids must be positive integers separated by commas");
    ids = *parsed;
  } else {
    if (tenants == 0) return fail("--tenants must be at least 1");
    for (unsigned i = 1; i <= tenants; ++i) ids.push_back(100 + i);
  }
  const double rate = vm["calls-per-hour"].as<double>();
  if (!(rate >= 0)) return fail("--calls-per-hour must not be negative");
  for (long long id : ids)
    d.tenants.push_back({id, "tenant-" + std::to_string(id), "B" + std::to_string(id), rate, "America/Chicago"});

  const auto from = parse_instant(from_text, now);
  if (!from) return fail("--from must be a duration such as 24h or @UNIX_SECONDS, got '" + from_text + "'");
  d.from = *from;
  if (!to_text.empty()) {
    const auto to = parse_instant(to_text, now);
    if (!to) return fail("--to must be a duration such as 1h or @UNIX_SECONDS, got '" + to_text + "'");
    d.to = *to;
    if (*d.to < d.from) return fail("--to must be more recent than --from");
  }
  if (!narrow_text.empty()) {
    const auto until = parse_instant(narrow_text, now);
    if (!until)
      return fail("--narrow-labels-until must be a duration such as 10m or @UNIX_SECONDS, got '" + narrow_text + "'");
    d.narrow_labels_until = *until;
  }
  const auto max_late = parse_duration(max_late_text);
  if (!max_late) return fail("--max-late must be a duration such as 10m");
  d.max_late = std::chrono::duration_cast<std::chrono::seconds>(*max_late);
  const auto lifetime = parse_duration(lifetime_text);
  if (!lifetime || *lifetime < std::chrono::seconds{1})
    return fail("--token-lifetime must be a duration of at least 1s");
  o.token_lifetime = std::chrono::duration_cast<std::chrono::seconds>(*lifetime);

  for (auto [name, value] : {std::pair{"--late-fraction", d.late_fraction},
                             {"--duplicate-fraction", d.duplicate_fraction},
                             {"--invalid-fraction", d.invalid_fraction},
                             {"--unknown-fraction", d.unknown_fraction},
                             {"--null-fraction", d.null_fraction}})
    if (!(value >= 0 && value <= 1)) return fail(std::string(name) + " must be between 0 and 1");

  if (!faults_text.empty()) {
    auto parsed = parse_fault_schedule(faults_text);
    if (!parsed) return fail("--faults: " + parsed.error());
    o.faults = std::move(*parsed);
  }
  o.static_tokens = std::move(tokens);
  return cmd;
}

}  // namespace voxo::sim

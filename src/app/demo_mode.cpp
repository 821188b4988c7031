#include "app/demo_mode.hpp"

#include <openssl/rand.h>

#include <string>

#include "util/log.hpp"

namespace voxo::app {
namespace {

using namespace std::chrono_literals;

std::string random_token() {
  unsigned char bytes[24];
  RAND_bytes(bytes, sizeof bytes);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

sim::simulator_options demo_simulator(const std::string& token) {
  sim::simulator_options o;
  o.static_tokens = {token};
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  o.data.seed = static_cast<std::uint64_t>(now.time_since_epoch().count());
  o.data.from = now - 3h;  // live from here on
  o.data.tenants = {{101, "acme-corp", "B101", 240},
                    {102, "globex", "B102", 120},
                    {103, "initech", "B103", 60},
                    {104, "umbrella-health", "B104", 180},
                    {105, "hooli", "B105", 30}};
  o.data.late_fraction = 0.05;
  o.data.max_late = 5min;
  o.data.duplicate_fraction = 0.01;
  o.data.invalid_fraction = 0.005;
  o.data.unknown_fraction = 0.02;
  o.data.null_fraction = 0.05;
  // One tenant with poor call quality, so the quality panels and alerts have something to show.
  o.data.quality_switches = {{104, now - 1h, sim::quality_profile::bad}};
  return o;
}

}  // namespace

demo start_demo(const config::config& base) {
  demo d;
  const std::string token = random_token();
  d.simulator = std::make_unique<sim::simulator>(demo_simulator(token));
  d.simulator->start();

  d.cfg = base;
  d.cfg.source = "";
  d.cfg.api.url = d.simulator->base_url();
  // The token stays inside this process, in memory: not in the environment, which children
  // inherit and /proc/<pid>/environ shows.
  d.cfg.api.token = secret(token);
  d.cfg.api.token_file.reset();
  d.cfg.api.email.reset();
  d.cfg.collector.interval = 15s;
  d.cfg.collector.delay = 1min;
  d.cfg.collector.overlap = 10min;
  d.cfg.collector.lookback = 2h;
  d.cfg.tenants.clear();
  for (const auto& t : d.simulator->data().options().tenants)
    d.cfg.tenants.push_back({api::tenant_scope{t.id}, std::to_string(t.id), t.name});
  log::warn("no --config.file given: demo mode, polling the built-in simulator of the VOXO API (not real data)",
            {{"simulator", d.simulator->base_url()}, {"tenants", std::to_string(d.cfg.tenants.size())}});
  return d;
}

}  // namespace voxo::app

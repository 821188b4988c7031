#include "support/exporter_harness.hpp"

#include <signal.h>

#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace voxo::test {

namespace {
const char* const test_token = "e2e-static-token";
}

exporter_harness::exporter_harness(sim::simulator_options sim_options) {
  sim_options.static_tokens.push_back(test_token);
  sim_ = std::make_unique<sim::simulator>(std::move(sim_options));
  sim_->start();
}

exporter_harness::~exporter_harness() {
  if (exporter_) {
    exporter_->signal(SIGTERM);
    exporter_->wait(std::chrono::seconds(10));
  }
}

void exporter_harness::start_exporter(const exporter_settings& settings) {
  settings_ = settings;
  std::ostringstream yaml;
  dir_.write("token", std::string(test_token) + "\n");
  yaml << "api:\n"
       << "  url: " << sim_->base_url() << "\n"
       << "  token_file: " << (dir_.path() / "token").string() << "\n"
       << "  timezone: America/Chicago\n"
       << "  timeout: 10s\n"
       << settings.extra_api_yaml << "collector:\n"
       << "  interval: " << settings.interval << "\n"
       << "  delay: " << settings.delay << "\n"
       << "  overlap: " << settings.overlap << "\n"
       << "  lookback: " << settings.lookback << "\n"
       << "  concurrency: " << settings.concurrency << "\n";
  if (settings.with_state_file) yaml << "  state_file: " << (dir_.path() / "state.json").string() << "\n";
  yaml << settings.extra_collector_yaml;
  yaml << "metrics:\n  new_series_hold: " << settings.new_series_hold << "\n";
  yaml << "tenants:" << (settings.tenants_yaml.empty() ? "\n" : " " + settings.tenants_yaml + "\n");
  if (settings.tenants_yaml.empty())
    for (const auto& t : sim_->data().options().tenants) yaml << "  - id: " << t.id << "\n    name: " << t.name << "\n";
  config_path_ = dir_.write("config.yml", yaml.str()).string();
  restart_exporter();
}

void exporter_harness::restart_exporter() {
  std::vector<std::string> args{"--config.file=" + config_path_, "--web.listen-address=127.0.0.1:0",
                                "--log.level=debug"};
  args.insert(args.end(), settings_.extra_args.begin(), settings_.extra_args.end());
  exporter_.reset();  // kills a previous one
  exporter_ = std::make_unique<child_process>(built_binary("voxo_exporter"), args, dir_.path());
  // the server logs: msg=listening address=... port=PORT tls=...
  static const std::regex address_re(R"(msg=listening .*port=(\d+))");
  port_ = 0;
  bool up = wait_until(
      [&] {
        std::smatch m;
        std::string err = exporter_->stderr_text();
        if (std::regex_search(err, m, address_re)) port_ = static_cast<unsigned short>(std::stoi(m[1]));
        return port_ != 0 || !exporter_->running();
      },
      std::chrono::seconds(30));
  if (!up || port_ == 0) throw std::runtime_error("voxo_exporter did not start; its log:\n" + exporter_->stderr_text());
}

http_reply exporter_harness::scrape(const std::string& target) const { return http_get("127.0.0.1", port_, target); }

series_map exporter_harness::scrape_series() const {
  auto reply = scrape();
  if (reply.status != 200) return {};
  return parse_exposition(reply.body);
}

bool exporter_harness::wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

}  // namespace voxo::test

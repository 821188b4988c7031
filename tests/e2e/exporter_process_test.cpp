// The binary's behaviour as an operator sees it: start-up errors, readiness, the landing page,
// clean shutdown on SIGTERM, and the demo mode with the built-in simulator.

#include <boost/test/unit_test.hpp>

#include <signal.h>

#include <cstdlib>
#include <regex>

#include "app/demo_mode.hpp"
#include "support/exporter_harness.hpp"

using namespace std::chrono_literals;
using namespace voxo;
using voxo::test::child_process;
using voxo::test::exporter_harness;

namespace {

sim::simulator_options small_data_set() {
  sim::simulator_options o;
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  o.data.seed = 5;
  o.data.tenants = {{37, "acme <b>&", "B37", 120}, {42, "globex", "B42", 120}};
  o.data.from = now - 30min;
  o.data.to = now - 5min;
  return o;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(exporter_process)

BOOST_AUTO_TEST_CASE(an_invalid_config_exits_non_zero_with_one_line_naming_file_and_key) {
  voxo::test::temp_dir dir;
  auto path = dir.write("bad.yml",
                        "api:\n  url: http://127.0.0.1:1\n  token_file: /nonexistent\ncollector:\n  interval: 5 "
                        "minutes\ntenants:\n  - id: 1\n");
  child_process p(test::built_binary("voxo_exporter"), {"--config.file=" + path.string()}, dir.path());
  auto status = p.wait(30s);
  BOOST_REQUIRE(status.has_value());
  BOOST_TEST(*status != 0);
  auto err = p.stderr_text();
  BOOST_TEST(err.find("bad.yml") != std::string::npos, err);
  BOOST_TEST(err.find("collector.interval") != std::string::npos, err);
}

BOOST_AUTO_TEST_CASE(ready_only_after_every_tenant_completed_a_poll_and_healthy_always) {
  auto options = small_data_set();
  options.faults = *sim::parse_fault_schedule("1:slow/3");
  exporter_harness h(std::move(options));
  voxo::test::exporter_settings s;
  s.concurrency = 1;  // the slow first request holds back the other tenant too
  h.start_exporter(s);
  BOOST_TEST(h.scrape("/-/healthy").status == 200);
  BOOST_TEST(h.scrape("/-/ready").status == 503);
  BOOST_TEST(exporter_harness::wait_until([&] { return h.scrape("/-/ready").status == 200; }, 30s));
}

BOOST_AUTO_TEST_CASE(landing_page_lists_every_tenant_with_escaped_names) {
  exporter_harness h(small_data_set());
  h.start_exporter();
  BOOST_REQUIRE(exporter_harness::wait_until([&] { return h.scrape("/-/ready").status == 200; }, 30s));
  auto page = h.scrape("/");
  BOOST_TEST(page.status == 200);
  BOOST_TEST(page.body.find("/metrics") != std::string::npos);
  BOOST_TEST(page.body.find("acme &lt;b&gt;&amp;") != std::string::npos);
  BOOST_TEST(page.body.find("<b>&") == std::string::npos);
  BOOST_TEST(page.body.find("globex") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(sigterm_stops_the_exporter_cleanly_with_exit_code_zero) {
  exporter_harness h(small_data_set());
  h.start_exporter();
  BOOST_TEST(h.scrape().status == 200);
  h.exporter().signal(SIGTERM);
  auto status = h.exporter().wait(15s);
  BOOST_REQUIRE(status.has_value());
  BOOST_TEST(*status == 0);
}

BOOST_AUTO_TEST_CASE(unknown_paths_get_404_and_other_methods_405) {
  exporter_harness h(small_data_set());
  h.start_exporter();
  BOOST_TEST(h.scrape("/nope").status == 404);
  auto post = voxo::test::http_get("127.0.0.1", h.exporter_port(), "/metrics", {}, 10s, "POST");
  BOOST_TEST(post.status == 405);
}

BOOST_AUTO_TEST_CASE(without_a_config_file_it_serves_live_demo_data_from_the_built_in_simulator) {
  voxo::test::temp_dir dir;
  child_process p(test::built_binary("voxo_exporter"), {"--web.listen-address=127.0.0.1:0"}, dir.path());
  static const std::regex address_re(R"(msg=listening .*port=(\d+))");
  unsigned short port = 0;
  exporter_harness::wait_until(
      [&] {
        std::smatch m;
        auto err = p.stderr_text();
        if (std::regex_search(err, m, address_re)) port = static_cast<unsigned short>(std::stoi(m[1]));
        return port != 0;
      },
      30s);
  BOOST_REQUIRE_MESSAGE(port != 0, p.stderr_text());
  bool calls = exporter_harness::wait_until(
      [&] {
        auto r = voxo::test::http_get("127.0.0.1", port, "/metrics");
        return r.status == 200 && voxo::test::sum_series(voxo::test::parse_exposition(r.body), "voxo_calls_total") > 0;
      },
      60s);
  BOOST_TEST(calls, p.stderr_text());
  BOOST_TEST(p.stderr_text().find("demo") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(demo_mode_hands_its_token_to_the_client_in_memory_not_through_the_environment) {
  ::unsetenv("VOXO_TOKEN");
  app::demo d = app::start_demo(config::config{});
  BOOST_TEST((std::getenv("VOXO_TOKEN") == nullptr));  // (( )): a failure must not print the token
  BOOST_TEST_REQUIRE(d.cfg.api.token.has_value());
  BOOST_TEST(!d.cfg.api.token->empty());
  d.simulator->stop();
}

BOOST_AUTO_TEST_SUITE_END()

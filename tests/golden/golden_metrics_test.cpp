// Golden tests: a captured reply in, the whole /metrics text out, compared byte for byte with
// tests/fixtures/<case>.metrics (how to read and update those: tests/fixtures/README.md).
//
// Each case takes the real path as far as is cheap: a fake VOXO API on loopback serves the
// fixture, the real HTTP client fetches and parses it, the collector polls once (fixed wall
// clock), and the real HTTP server serves /metrics from the exporter_metrics it filled; the
// test scrapes it like Prometheus. Made byte-stable: the wall clock (windows, last success,
// watermark), the live part's clock (frozen_live_clock: lag, render time, age), no process_*
// metrics, one tenant poll only (interval and backoff of an hour), and the request clock
// (collector_options::request_clock: every request takes 0 s). Nothing is masked.

#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "api/http_api_client.hpp"
#include "collector/collector.hpp"
#include "config/config.hpp"
#include "http/server.hpp"
#include "metrics/exporter_metrics.hpp"
#include "support/fake_api_server.hpp"
#include "support/golden_file.hpp"
#include "support/http_get.hpp"
#include "support/temp_dir.hpp"

namespace {

using namespace voxo;
using namespace std::chrono_literals;

// 01:00 CDT on 11 Oct 2022; with lookback 24h and delay 2m the one window asked for is
// 10/10/22 01:00:00 .. 10/11/22 00:58:00 America/Chicago, which holds every fixture record.
const std::chrono::sys_seconds wall{std::chrono::seconds(1'665'468'000)};

config::config base_config() {
  config::config cfg;
  cfg.api.timezone = "America/Chicago";
  cfg.collector.interval = 1h;  // one poll per test
  cfg.collector.delay = 2min;
  cfg.collector.overlap = 15min;
  cfg.collector.lookback = 24h;
  cfg.collector.concurrency = 1;
  cfg.metrics.new_series_hold = 0ms;
  return cfg;
}

config::config one_tenant() {
  auto cfg = base_config();
  cfg.tenants = {{api::tenant_scope{37}, "37", "Docs example"}};  // tenantId=37: the docs' cURL example
  return cfg;
}

config::config partner_wide() {
  auto cfg = base_config();
  cfg.tenants = {{api::partner_scope{}, "partner", ""}};
  cfg.partner.enabled = true;
  cfg.partner.accounts = {{api::billing_code_scope{"B101"}, "B101", "Acme"}};
  return cfg;
}

// The scrape reads /metrics only: the landing page's status view is no part of the golden text.
struct no_status final : http::status_source {
  std::vector<http::tenant_view> tenants() const override { return {}; }
  bool ready() const override { return true; }
};

bool polled(const collector::collector& c) {
  for (const auto& t : c.tenants())
    if (t.label == "partner" || c.tenants().size() == 1)
      if (t.last_success || t.errors > 0) return true;
  return false;
}

// Serves `reply` as GET /call-reports, lets the collector poll once, returns /metrics.
std::string scrape_after_one_poll(const std::string& reply, config::config cfg) {
  test::fake_api_server api;
  api.always("/call-reports", {200, reply});
  test::temp_dir dir;
  cfg.api.url = api.base_url();
  cfg.api.token_file = dir.write("token", "golden-token").string();

  metrics::exporter_metrics::options mopts;
  mopts.process_metrics = false;
  mopts.frozen_live_clock = metrics::frozen_clock{wall, 0ms, 0ms};
  metrics::exporter_metrics m(mopts);

  collector::collector_options copts;
  copts.clock = [] { return wall; };
  copts.request_clock = [] { return std::chrono::steady_clock::time_point{}; };
  copts.spread_first_polls = false;
  copts.backoff.base = 1h;  // a rejected reply is not asked again within the test

  boost::asio::io_context ioc;
  auto client = api::make_http_api_client(ioc.get_executor(), cfg.api);
  collector::collector c(ioc.get_executor(), *client, m, cfg, copts);
  c.start();
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!polled(c) && std::chrono::steady_clock::now() < deadline) ioc.run_one_for(10ms);
  BOOST_REQUIRE_MESSAGE(polled(c), "the collector did not finish its first poll within 10 s");

  // m and the status outlive the server, which is stopped below (http::server's lifetime rule).
  const no_status status;
  http::server server(ioc.get_executor(), http::server_options{}, m.exposition(), status);
  server.listen("127.0.0.1:0");
  std::thread io([&ioc] { ioc.run(); });
  const auto reply_to_scrape = test::http_get("127.0.0.1", server.port(), "/metrics");
  ioc.stop();
  io.join();
  server.stop();
  c.stop();
  ioc.restart();
  ioc.run_for(2s);  // let the cancelled coroutines end before the collector goes
  BOOST_REQUIRE_EQUAL(reply_to_scrape.status, 200);
  return reply_to_scrape.body;
}

void promtool_accepts(const std::filesystem::path& file) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    BOOST_TEST_MESSAGE("promtool not installed: check skipped");
    return;
  }
  const std::string cmd = "promtool check metrics < '" + file.string() + "' >/dev/null 2>&1";
  BOOST_TEST(std::system(cmd.c_str()) == 0, "promtool check metrics complains about " << file.string());
}

void check_golden(const std::string& actual, const std::string& expected_name) {
  const auto expected = test::fixture_path(expected_name);
  const auto mismatch = test::golden_mismatch(actual, expected);
  BOOST_TEST(mismatch.empty(), expected_name << ":\n" << mismatch);
  promtool_accepts(expected);
}

// The docs' reply ends in "},\n]": a typo (see general_reply_parser.cpp); real replies are
// valid JSON. This is the example as a real API would send it.
std::string without_trailing_comma(std::string reply) {
  const auto at = reply.rfind("},");
  BOOST_REQUIRE(at != std::string::npos);
  reply.erase(at + 1, 1);
  return reply;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(golden)

BOOST_AUTO_TEST_CASE(the_documented_example_reply_as_printed_is_refused_whole) {
  const auto reply = test::read_file(test::fixture_path("documented_example.json"));
  check_golden(scrape_after_one_poll(reply, one_tenant()), "documented_example.metrics");
}

BOOST_AUTO_TEST_CASE(the_documented_example_reply_without_its_trailing_comma_counts_two_calls) {
  const auto reply = without_trailing_comma(test::read_file(test::fixture_path("documented_example.json")));
  check_golden(scrape_after_one_poll(reply, one_tenant()), "documented_example_without_trailing_comma.metrics");
}

BOOST_AUTO_TEST_CASE(a_partner_wide_reply_is_split_by_the_accounts_it_names) {
  const auto reply = test::read_file(test::fixture_path("partner_wide.json"));
  check_golden(scrape_after_one_poll(reply, partner_wide()), "partner_wide.metrics");
}

BOOST_AUTO_TEST_CASE(nulls_odd_values_and_invalid_records_are_counted_as_documented) {
  const auto reply = test::read_file(test::fixture_path("nulls_and_odd_values.json"));
  check_golden(scrape_after_one_poll(reply, one_tenant()), "nulls_and_odd_values.metrics");
}

BOOST_AUTO_TEST_SUITE_END()

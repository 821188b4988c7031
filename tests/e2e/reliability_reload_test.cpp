// SIGHUP re-reads --config.file: a valid file is applied (a tenant added starts being
// collected, the others' counters carry on), an invalid one keeps the running config and sets
// voxo_exporter_config_last_reload_successful to 0.

#include <boost/test/unit_test.hpp>

#include <signal.h>

#include <thread>

#include "reliability_support.hpp"

using namespace std::chrono_literals;
using namespace voxo;
using namespace voxo::test::reliability;
using voxo::test::exporter_harness;

namespace {

double metric(exporter_harness& h, const std::string& name, const std::map<std::string, std::string>& labels = {}) {
  return test::sum_series(h.scrape_series(), name, labels);
}

const std::string initech = "  - id: 101\n    name: initech\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(reliability_reload)

BOOST_AUTO_TEST_CASE(sighup_applies_a_config_with_an_added_tenant_and_the_other_counters_carry_on) {
  exporter_harness h(messy_data_set(41));
  h.start_exporter();
  edit_text(h.config_path(), initech, "");  // start without tenant 101
  h.restart_exporter();
  require_no_diffs(wait_for_ground_truth(h, {37, 42}), h);
  BOOST_TEST(metric(h, "voxo_up", {{"tenant", "101"}}) == 0.0);
  BOOST_TEST(h.scrape_series().count(test::series_key("voxo_up", {{"tenant", "101"}})) == 0u);
  const double records_37 = metric(h, "voxo_collector_records_total", {{"tenant", "37"}});
  BOOST_TEST(metric(h, "voxo_exporter_config_last_reload_successful") == 1.0);
  const double started = metric(h, "voxo_exporter_config_last_reload_success_timestamp_seconds");
  BOOST_TEST(started > 0.0);

  edit_text(h.config_path(), "tenants:\n", "tenants:\n" + initech);
  std::this_thread::sleep_for(1100ms);  // the success timestamp has whole seconds
  h.exporter().signal(SIGHUP);
  require_no_diffs(wait_for_ground_truth(h, {37, 42, 101}), h);
  BOOST_TEST(metric(h, "voxo_exporter_config_last_reload_successful") == 1.0);
  BOOST_TEST(metric(h, "voxo_exporter_config_last_reload_success_timestamp_seconds") > started);
  // Nothing was fetched twice and no counter restarted: 37's records are exactly its calls.
  BOOST_TEST(metric(h, "voxo_collector_records_total", {{"tenant", "37"}}) == records_37);
  BOOST_TEST(h.exporter().running());
  BOOST_TEST(h.exporter().stderr_text().find("msg=\"config reloaded\"") != std::string::npos);
  // The replaced client and collector went away cleanly (under the sanitizers too).
  h.exporter().signal(SIGTERM);
  const auto status = h.exporter().wait(30s);
  BOOST_REQUIRE(status.has_value());
  BOOST_TEST(*status == 0, h.exporter().stderr_text());
  BOOST_TEST(h.exporter().stderr_text().find("Sanitizer") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(sighup_with_an_invalid_config_keeps_the_running_one_and_sets_the_gauge_to_0) {
  exporter_harness h(messy_data_set(43));
  h.start_exporter();
  require_no_diffs(wait_for_ground_truth(h, all_tenants(h)), h);
  const auto good = read_text(h.config_path());
  edit_text(h.config_path(), "collector:\n", "collector:\n  colector_typo: [\n");
  h.exporter().signal(SIGHUP);
  BOOST_REQUIRE(exporter_harness::wait_until(
      [&] { return metric(h, "voxo_exporter_config_last_reload_successful") == 0.0 && h.scrape().status == 200; },
      30s));
  BOOST_TEST(h.exporter().running());
  BOOST_TEST(h.exporter().stderr_text().find("config reload failed") != std::string::npos);
  // Collection goes on with the old config.
  const double polls = metric(h, "voxo_collector_polls_total", {{"tenant", "37"}});
  BOOST_TEST(exporter_harness::wait_until(
      [&] {
        return metric(h, "voxo_collector_polls_total", {{"tenant", "37"}}) >= polls + 2;
      },
      30s));
  require_no_diffs(ground_truth_diffs(h, all_tenants(h)), h);

  // A good file again: the next SIGHUP succeeds.
  std::ofstream(h.config_path(), std::ios::trunc) << good;
  h.exporter().signal(SIGHUP);
  BOOST_TEST(exporter_harness::wait_until(
      [&] { return metric(h, "voxo_exporter_config_last_reload_successful") == 1.0; }, 30s));
  require_no_diffs(wait_for_ground_truth(h, all_tenants(h)), h);
}

BOOST_AUTO_TEST_SUITE_END()

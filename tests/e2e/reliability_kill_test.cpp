// kill -9 at three random moments of a seeded run with API faults and late records, a restart
// after each, and the final /metrics still equals the ground truth to the unit: the state file
// is the single source of truth, so a window applied after the last save is fetched again and
// counted once, and the counters go on from their saved values.

#include <boost/test/unit_test.hpp>

#include <signal.h>

#include <filesystem>
#include <random>
#include <thread>

#include "collector/state_file.hpp"
#include "reliability_support.hpp"

using namespace std::chrono_literals;
using namespace voxo;
using namespace voxo::test::reliability;
using voxo::test::exporter_harness;

BOOST_AUTO_TEST_SUITE(reliability_kill)

BOOST_AUTO_TEST_CASE(three_sigkills_during_a_faulty_run_change_nothing_in_the_final_totals) {
  auto options = messy_data_set(23);
  // Failures, slow replies (so requests are in flight when the kill comes) and Retry-After.
  auto faults =
      sim::parse_fault_schedule("every=9:500,every=4:slow/0.2,every=15:truncate,every=23:429/1,every=29:reset");
  BOOST_REQUIRE_MESSAGE(faults, faults.error());
  options.faults = *faults;
  exporter_harness h(std::move(options));
  voxo::test::exporter_settings s;
  s.with_state_file = true;
  // Small replies: each poll is many windows, so a kill lands between applying and saving one.
  s.extra_api_yaml = "  max_response_bytes: 150000\n";
  h.start_exporter(s);
  const auto state = h.dir().path() / "state.json";
  // The first kill only once a state exists, so later lives really resume from one.
  BOOST_REQUIRE_MESSAGE(exporter_harness::wait_until([&] { return std::filesystem::exists(state); }, 60s),
                        h.exporter().stderr_text());

  std::mt19937 rng(4242);
  std::uniform_int_distribution<int> pause_ms(300, 2500);
  int mid_collection = 0;
  int resumed = 0;
  for (int kill = 0; kill < 3; ++kill) {
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
    if (!ground_truth_diffs(h, all_tenants(h)).empty()) ++mid_collection;
    // Durable before visible: what a scrape shows is in the state file already (read after the
    // scrape: the file only grows), so the restart never resumes below it.
    const double shown = test::sum_series(h.scrape_series(), "voxo_collector_records_total");
    double saved = 0;
    if (auto snaps = collector::parse_state(read_text(state)))
      for (const auto& t : *snaps) saved += static_cast<double>(t.counts.records);
    BOOST_TEST(shown <= saved);
    h.exporter().signal(SIGKILL);
    BOOST_REQUIRE(h.exporter().wait(10s).has_value());
    h.restart_exporter();
    BOOST_REQUIRE(exporter_harness::wait_until(
        [&] {
          auto log = h.exporter().stderr_text();
          return log.find("msg=\"state loaded\"") != std::string::npos ||
                 log.find("msg=\"no state file yet") != std::string::npos;
        },
        30s));
    if (h.exporter().stderr_text().find("msg=\"state loaded\"") != std::string::npos) ++resumed;
    BOOST_TEST(h.exporter().stderr_text().find("state file refused") == std::string::npos, h.exporter().stderr_text());
  }
  BOOST_TEST_MESSAGE(mid_collection << " of 3 kills came mid-collection");
  BOOST_TEST(mid_collection >= 1);
  BOOST_TEST(resumed == 3);

  const auto restarted = std::chrono::steady_clock::now();
  require_no_diffs(wait_for_ground_truth(h, all_tenants(h)), h);
  BOOST_TEST_MESSAGE(
      "ground truth reached "
      << std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - restarted).count()
      << " ms after the last restart");
  const auto scraped = h.scrape_series();
  for (const auto& t : h.sim().data().options().tenants) {
    const auto label = std::to_string(t.id);
    const auto unique_valid = h.sim().data().truth(t.id, whole(h.sim().data())).size();
    BOOST_TEST(test::sum_series(scraped, "voxo_collector_records_total", {{"tenant", label}}) ==
               static_cast<double>(unique_valid));
  }
  BOOST_TEST(test::sum_series(scraped, "voxo_collector_requests_total", {{"code", "500"}}) >= 1.0);
}

BOOST_AUTO_TEST_SUITE_END()

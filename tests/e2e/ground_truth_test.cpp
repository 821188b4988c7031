// End to end: the real voxo_exporter binary polls the in-process simulator over HTTP, and every
// call series on /metrics must equal the ground truth computed from the seeded data set (with
// late records, duplicate ids, unknown values, nulls and invalid records), to the unit.

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>

#include "support/exporter_harness.hpp"
#include "support/ground_truth.hpp"

using namespace std::chrono_literals;
using namespace voxo;
using voxo::test::exporter_harness;

namespace {

std::chrono::sys_seconds now_s() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

// A finite data set in the past (inside the exporter's lookback and older than its delay),
// dense enough to hit every code path: late, duplicate, invalid, unknown and null values.
sim::simulator_options messy_data_set(std::uint64_t seed) {
  sim::simulator_options o;
  o.data.seed = seed;
  o.data.tenants = {{37, "acme", "B37", 600}, {42, "globex \"east\"", "B42", 400}, {101, "initech", "B101", 300}};
  o.data.from = now_s() - 50min;
  o.data.to = now_s() - 5min;
  o.data.late_fraction = 0.1;
  o.data.max_late = 4s;
  o.data.duplicate_fraction = 0.05;
  o.data.invalid_fraction = 0.03;
  o.data.unknown_fraction = 0.05;
  o.data.null_fraction = 0.1;
  return o;
}

api::time_window whole(const sim::dataset& d) { return {d.options().from, *d.options().to}; }

// Scrapes until every tenant's call series equal the truth (late records need a few polls);
// returns the differences of the last scrape (empty = equal).
std::vector<std::string> wait_for_ground_truth(exporter_harness& h) {
  std::vector<std::string> diffs;
  exporter_harness::wait_until(
      [&] {
        diffs.clear();
        auto scraped = h.scrape_series();
        if (scraped.empty()) {
          diffs.push_back("scrape failed");
          return false;
        }
        for (const auto& t : h.sim().data().options().tenants) {
          auto truth = h.sim().data().truth(t.id, whole(h.sim().data()));
          auto label = std::to_string(t.id);
          auto expected = test::expected_call_series(label, truth, scraped);
          auto d = test::compare_call_series(label, expected, scraped);
          diffs.insert(diffs.end(), d.begin(), d.end());
        }
        return diffs.empty();
      },
      90s);
  return diffs;
}

void require_no_diffs(const std::vector<std::string>& diffs, exporter_harness& h) {
  for (std::size_t i = 0; i < diffs.size() && i < 40; ++i) BOOST_TEST_MESSAGE(diffs[i]);
  if (!diffs.empty()) BOOST_TEST_MESSAGE("exporter log:\n" << h.exporter().stderr_text());
  BOOST_REQUIRE_MESSAGE(diffs.empty(), diffs.size() << " series differ from the ground truth");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(exporter_against_simulator)

BOOST_AUTO_TEST_CASE(every_call_series_equals_the_ground_truth_of_a_messy_data_set) {
  exporter_harness h(messy_data_set(7));
  // The data set really is messy (otherwise this test proves little).
  for (const auto& t : h.sim().data().options().tenants) {
    BOOST_TEST(h.sim().data().invalid_count(t.id, whole(h.sim().data())) > 0u);
    BOOST_TEST(h.sim().data().duplicate_count(t.id, whole(h.sim().data())) > 0u);
  }
  h.start_exporter();
  require_no_diffs(wait_for_ground_truth(h), h);

  auto scraped = h.scrape_series();
  for (const auto& t : h.sim().data().options().tenants) {
    auto label = std::to_string(t.id);
    auto w = whole(h.sim().data());
    BOOST_TEST(test::sum_series(scraped, "voxo_up", {{"tenant", label}}) == 1.0);
    BOOST_TEST(test::sum_series(scraped, "voxo_tenant_info", {{"tenant", label}, {"name", t.name}}) == 1.0);
    // Every poll re-reads the overlap, so repeats and invalid records are seen at least once each.
    BOOST_TEST(test::sum_series(scraped, "voxo_collector_duplicate_records_total", {{"tenant", label}}) >=
               static_cast<double>(h.sim().data().duplicate_count(t.id, w)));
    BOOST_TEST(test::sum_series(scraped, "voxo_collector_invalid_records_total", {{"tenant", label}}) >=
               static_cast<double>(h.sim().data().invalid_count(t.id, w)));
    BOOST_TEST(test::sum_series(scraped, "voxo_collector_watermark_timestamp_seconds", {{"tenant", label}}) >=
               static_cast<double>(w.end.time_since_epoch().count()));
  }
  BOOST_TEST(test::sum_series(scraped, "voxo_exporter_build_info") == 1.0);
}

BOOST_AUTO_TEST_CASE(api_faults_change_nothing_in_the_final_totals) {
  auto options = messy_data_set(11);
  std::string error;
  auto faults = sim::parse_fault_schedule("1:500,2:429/1,3:truncate,4:html,5:401,6:reset,8:503/1,10:empty", error);
  BOOST_REQUIRE_MESSAGE(faults, error);
  options.faults = *faults;
  exporter_harness h(std::move(options));
  h.start_exporter();
  require_no_diffs(wait_for_ground_truth(h), h);
  auto scraped = h.scrape_series();
  BOOST_TEST(test::sum_series(scraped, "voxo_collector_requests_total", {{"code", "500"}}) >= 1.0);
  BOOST_TEST(test::sum_series(scraped, "voxo_collector_requests_total", {{"code", "429"}}) >= 1.0);
  BOOST_TEST(test::sum_series(scraped, "voxo_collector_requests_total", {{"code", "200"}}) >= 3.0);
  BOOST_TEST(h.sim().request_count("/call-reports") >= 10u);
}

BOOST_AUTO_TEST_CASE(promtool_finds_nothing_to_complain_about_in_a_scrape) {
  exporter_harness h(messy_data_set(3));
  h.start_exporter();
  require_no_diffs(wait_for_ground_truth(h), h);
  auto reply = h.scrape();
  BOOST_REQUIRE_EQUAL(reply.status, 200);
  auto file = h.dir().write("scrape.txt", reply.body);
  std::string cmd = "promtool check metrics < " + file.string() + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  BOOST_REQUIRE(p);
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = ::pclose(p);
  BOOST_TEST(status == 0);
  BOOST_TEST(out == "", "promtool said: " << out);
}

BOOST_AUTO_TEST_SUITE_END()

// End to end: the real voxo_exporter binary polls the in-process simulator over HTTP, and every
// call series on /metrics must equal the ground truth computed from the seeded data set (with
// late records, duplicate ids, unknown values, nulls and invalid records), to the unit.

#include <boost/test/unit_test.hpp>

#include <cstdio>

#include "reliability_support.hpp"

using namespace std::chrono_literals;
using namespace voxo;
using voxo::test::exporter_harness;

namespace {

using namespace voxo::test::reliability;  // the messy data set and the ground-truth checks

std::vector<std::string> wait_for_ground_truth(exporter_harness& h) {
  return voxo::test::reliability::wait_for_ground_truth(h, all_tenants(h));
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
  auto faults = sim::parse_fault_schedule("1:500,2:429/1,3:truncate,4:html,5:401,6:reset,8:503/1,10:empty");
  BOOST_REQUIRE_MESSAGE(faults, faults.error());
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

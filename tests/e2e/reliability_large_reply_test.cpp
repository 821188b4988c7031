// Replies over api.max_response_bytes, end to end: with a limit far below one poll's reply,
// every window is split until its reply fits, and the totals still equal the ground truth.

#include <boost/test/unit_test.hpp>

#include "reliability_support.hpp"

using namespace std::chrono_literals;
using namespace voxo;
using namespace voxo::test::reliability;
using voxo::test::exporter_harness;

BOOST_AUTO_TEST_SUITE(reliability_large_replies)

BOOST_AUTO_TEST_CASE(windows_whose_reply_is_too_large_are_split_and_the_totals_equal_the_ground_truth) {
  exporter_harness h(messy_data_set(31));
  voxo::test::exporter_settings s;
  s.extra_api_yaml = "  max_response_bytes: 20000\n";  // a whole poll's reply is ~1 MB
  h.start_exporter(s);
  require_no_diffs(wait_for_ground_truth(h, all_tenants(h)), h);
  const auto scraped = h.scrape_series();
  for (auto id : all_tenants(h)) {
    const auto label = std::to_string(id);
    BOOST_TEST(test::sum_series(scraped, "voxo_up", {{"tenant", label}}) == 1.0);
    // Refused replies are counted as requests with code="error"; none became a failed poll.
    BOOST_TEST(test::sum_series(scraped, "voxo_collector_requests_total", {{"tenant", label}, {"code", "error"}}) >=
               1.0);
    BOOST_TEST(test::sum_series(scraped, "voxo_collector_polls_total", {{"tenant", label}, {"result", "failure"}}) ==
               0.0);
  }
}

BOOST_AUTO_TEST_SUITE_END()

// Partner-wide mode end to end: one exporter polls the simulator without tenantId or
// billingCode; every account's call series (labelled by its billing code) equal the ground
// truth of that tenant, and no call is counted twice or under the partner.

#include <boost/test/unit_test.hpp>

#include "reliability_support.hpp"

using namespace std::chrono_literals;
using namespace voxo;
using voxo::test::exporter_harness;

BOOST_AUTO_TEST_SUITE(partner_wide_end_to_end)

BOOST_AUTO_TEST_CASE(each_accounts_series_equal_its_ground_truth_and_no_call_counts_twice) {
  using namespace voxo::test::reliability;
  exporter_harness h(messy_data_set(21));
  test::exporter_settings s;
  s.tenants_yaml = "{partner: true, accounts: [{billing_code: B37, name: acme}]}";
  s.extra_collector_yaml = "  max_requests_per_second: 5\n";
  h.start_exporter(s);

  const auto& tenants = h.sim().data().options().tenants;
  std::vector<std::string> diffs;
  double truth_total = 0;
  for (const auto& t : tenants)
    truth_total += static_cast<double>(h.sim().data().truth(t.id, whole(h.sim().data())).size());
  exporter_harness::wait_until(
      [&] {
        auto scraped = h.scrape_series();
        diffs.clear();
        if (scraped.empty()) diffs.push_back("scrape failed");
        for (const auto& t : tenants) {
          auto truth = h.sim().data().truth(t.id, whole(h.sim().data()));
          auto d = test::compare_call_series(t.billing_code, test::expected_call_series(t.billing_code, truth, scraped),
                                             scraped);
          diffs.insert(diffs.end(), d.begin(), d.end());
        }
        return diffs.empty();
      },
      90s);
  require_no_diffs(diffs, h);

  auto scraped = h.scrape_series();
  BOOST_TEST(test::sum_series(scraped, "voxo_calls_total") == truth_total);  // every call once, nowhere else
  BOOST_TEST(test::sum_series(scraped, "voxo_calls_total", {{"tenant", "partner"}}) == 0.0);
  BOOST_TEST(test::sum_series(scraped, "voxo_up", {{"tenant", "partner"}}) == 1.0);
  BOOST_TEST(test::sum_series(scraped, "voxo_tenant_info", {{"tenant", "B37"}, {"name", "acme"}}) == 1.0);
  BOOST_TEST(test::sum_series(scraped, "voxo_collector_requests_total", {{"tenant", "partner"}}) >= 1.0);
  BOOST_TEST(test::sum_series(scraped, "voxo_collector_requests_total", {{"tenant", "B42"}}) == 0.0);
  BOOST_TEST(test::sum_series(scraped, "voxo_collector_invalid_records_total", {{"tenant", "partner"}}) > 0.0);
  // Only partner-wide requests reached the API.
  BOOST_TEST(h.exporter().stderr_text().find("tenant=37") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

// Three replicas with --shard.index 0/1/2 of --shard.count 3 cover 300 tenants exactly once:
// the union of their voxo_calls_total equals what one unsharded exporter shows.

#include <boost/test/unit_test.hpp>

#include <map>
#include <memory>
#include <set>
#include <vector>

#include "support/exporter_harness.hpp"

using namespace std::chrono_literals;
using namespace voxo;
using voxo::test::exporter_harness;

namespace {

// The same seeded data set for every simulator (no late records: visibility doesn't depend
// on when each simulator started). `now` is taken once by the caller: simulators started on
// either side of a minute boundary would otherwise serve data sets a minute apart.
sim::simulator_options three_hundred_tenants(std::chrono::sys_seconds now) {
  sim::simulator_options o;
  o.data.seed = 300;
  for (long long id = 1001; id <= 1300; ++id)
    o.data.tenants.push_back({id, "t" + std::to_string(id), "B" + std::to_string(id), 30});
  o.data.from = now - 40min;
  o.data.to = now - 10min;
  return o;
}

std::map<std::string, double> calls_by_series(const test::series_map& m) {
  std::map<std::string, double> out;
  for (const auto& [k, v] : m)
    if (k.rfind("voxo_calls_total{", 0) == 0) out[k] = v;
  return out;
}

std::set<std::string> tenants_in(const std::map<std::string, double>& calls) {
  std::set<std::string> out;
  for (const auto& [k, v] : calls) {
    auto pos = k.find("tenant=\"") + 8;
    out.insert(k.substr(pos, k.find('"', pos) - pos));
  }
  return out;
}

bool all_ready(const exporter_harness& h) { return h.scrape("/-/ready").status == 200; }

}  // namespace

BOOST_AUTO_TEST_SUITE(sharding_end_to_end)

BOOST_AUTO_TEST_CASE(three_shards_together_equal_one_unsharded_exporter_and_share_no_tenant) {
  test::exporter_settings base;
  base.concurrency = 8;
  base.interval = "2s";
  const auto now = std::chrono::floor<std::chrono::minutes>(std::chrono::system_clock::now());

  exporter_harness whole(three_hundred_tenants(now));
  whole.start_exporter(base);
  std::vector<std::unique_ptr<exporter_harness>> shards;
  for (int i = 0; i < 3; ++i) {
    auto s = base;
    s.extra_args = {"--shard.count=3", "--shard.index=" + std::to_string(i)};
    shards.push_back(std::make_unique<exporter_harness>(three_hundred_tenants(now)));
    shards.back()->start_exporter(s);
  }
  BOOST_REQUIRE(exporter_harness::wait_until(
      [&] {
        if (!all_ready(whole)) return false;
        for (auto& s : shards)
          if (!all_ready(*s)) return false;
        return true;
      },
      120s));

  // Ready means every tenant was polled; the scrapes show it once each exporter's background
  // rendering caught up (about a second), so scrape until all four agree or the deadline.
  std::map<std::string, double> expected, united;
  std::map<std::string, int> owners;
  std::vector<voxo::test::series_map> scrapes;
  exporter_harness::wait_until(
      [&] {
        expected = calls_by_series(whole.scrape_series());
        united.clear();
        owners.clear();
        scrapes.clear();
        for (auto& s : shards) {
          scrapes.push_back(s->scrape_series());
          auto part = calls_by_series(scrapes.back());
          for (const auto& t : tenants_in(part)) owners[t]++;
          for (const auto& [k, v] : part) united[k] += v;
        }
        return tenants_in(expected).size() == 300u && owners.size() == 300u && united == expected;
      },
      30s);
  BOOST_REQUIRE_EQUAL(tenants_in(expected).size(), 300u);
  for (const auto& scraped : scrapes) {
    const auto tenants = tenants_in(calls_by_series(scraped));
    // Each replica owns roughly a third.
    BOOST_TEST((tenants.size() > 60 && tenants.size() < 140), tenants.size());
    BOOST_TEST(test::sum_series(scraped, "voxo_exporter_shard_tenants") == static_cast<double>(tenants.size()));
  }
  for (const auto& [tenant, n] : owners) BOOST_TEST(n == 1, tenant << " is on " << n << " replicas");
  BOOST_TEST(owners.size() == 300u);
  BOOST_TEST((united == expected));
}

BOOST_AUTO_TEST_SUITE_END()

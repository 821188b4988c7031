#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "collector/state_file.hpp"
#include "metrics/buckets.hpp"
#include "collector_harness.hpp"
#include "support/temp_dir.hpp"

namespace {
using namespace voxo;
using namespace voxo::test;
using std::chrono::minutes;

double polls(collector_harness& h, const std::string& tenant) {
  return h.value("voxo_collector_polls_total", {{"tenant", tenant}});
}
}  // namespace

BOOST_AUTO_TEST_SUITE(state_file)

BOOST_AUTO_TEST_CASE(a_state_survives_serialization_unchanged) {
  collector::tenant_snapshot t;
  t.label = "37";
  t.watermark = t0;
  t.ids = {{"a", t0 - minutes(1)}, {"b\"quoted", t0}};
  api::cdr r = make_cdr("a", t0);
  r.mos = 4.2;
  r.duration = 61;
  t.totals.add(r);
  const auto parsed = collector::parse_state(collector::serialize_state({t}));
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST_REQUIRE(parsed->size() == 1u);
  const auto& p = (*parsed)[0];
  BOOST_TEST(p.label == "37");
  BOOST_TEST((p.watermark == t0));
  BOOST_TEST((p.ids == t.ids));
  BOOST_TEST(p.totals.total_calls() == 1u);
  const auto& mos = p.totals.histogram(metrics::call_histogram::mos, api::call_direction::in);
  BOOST_TEST(mos.count == 1u);
  BOOST_TEST(mos.sum == 4.2);
}

BOOST_AUTO_TEST_CASE(extra_label_totals_survive_serialization_and_are_optional) {
  api::extra_label_options on;
  on.enabled = {true, false, true};
  api::call_labeler labeler(on);
  collector::tenant_snapshot t;
  t.label = "37";
  api::cdr r = make_cdr("a", t0);
  r.jurisdiction = "INTERSTATE";
  r.is_toll_free = true;
  t.totals.add(r, &labeler);
  t.totals.add(make_cdr("b", t0), &labeler);
  BOOST_TEST_REQUIRE(t.totals.extra_calls.size() == 2u);
  const auto text = collector::serialize_state({t});
  BOOST_TEST(text.find(R"({"labels":{"jurisdiction":"interstate","toll_free":"true"},"calls":)") != std::string::npos, text);
  const auto parsed = collector::parse_state(text);
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(((*parsed)[0].totals == t.totals));
  // Without extra labels the key is absent, so files stay as they were.
  collector::tenant_snapshot plain;
  plain.label = "38";
  plain.totals.add(make_cdr("c", t0));
  BOOST_TEST(collector::serialize_state({plain}).find("extra_calls") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(damaged_extra_label_totals_are_refused) {
  collector::tenant_snapshot t;
  t.label = "37";
  const auto good = collector::serialize_state({t});
  const std::string totals = "\"totals\":{";
  auto with_extra = [&](const std::string& extra) {
    auto text = good;
    text.insert(text.find(totals) + totals.size(), "\"extra_calls\":" + extra + ",");
    return text;
  };
  const std::string row = "[0,0,0,0,0,0]";
  const std::string grid = "[" + row + "," + row + "," + row + "," + row + "," + row + "]";
  BOOST_TEST(collector::parse_state(with_extra("[{\"labels\":{\"toll_free\":\"true\"},\"calls\":" + grid + "}]")).has_value());
  std::string why;
  for (const std::string& bad : std::vector<std::string>{"{}", "[{\"labels\":{\"color\":\"red\"},\"calls\":" + grid + "}]",
                                "[{\"labels\":{},\"calls\":" + grid + "}]",
                                "[{\"labels\":{\"toll_free\":\"\"},\"calls\":" + grid + "}]",
                                "[{\"labels\":{\"toll_free\":\"true\"},\"calls\":[" + row + "]}]",
                                "[{\"labels\":{\"toll_free\":\"true\"},\"calls\":" + grid +
                                    "},{\"labels\":{\"toll_free\":\"true\"},\"calls\":" + grid + "}]"})
    BOOST_TEST(!collector::parse_state(with_extra(bad), &why).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(an_unknown_version_or_garbage_is_not_a_state) {
  BOOST_TEST(!collector::parse_state("{\"version\":99,\"tenants\":[]}").has_value());
  BOOST_TEST(!collector::parse_state("not json").has_value());
  BOOST_TEST(!collector::parse_state("{\"version\":1,\"tenants\":[{\"label\":1}]}").has_value());
  BOOST_TEST(!collector::parse_state("{\"format\":\"voxo_exporter state\",\"version\":3,\"tenants\":[]}").has_value());
}

BOOST_AUTO_TEST_CASE(collector_counters_and_sums_survive_serialization_exactly) {
  collector::tenant_snapshot t;
  t.label = "37";
  t.counts.records = 12;
  t.counts.duplicates = 3;
  t.counts.invalid = 1;
  t.counts.requests = {{"200", 9}, {"error", 2}, {"503", 1}};
  t.counts.polls_success = 8;
  t.counts.polls_failure = 3;
  for (double s : {0.1, 0.2, 0.30000000000000004, 1e-7, 12345.678901234567})
    t.counts.request_duration.observe(metrics::request_duration_buckets, s);
  api::cdr r = make_cdr("a", t0);
  r.duration = 0.1;
  t.totals.add(r);
  r.duration = 0.2;
  t.totals.add(r);
  const auto parsed = collector::parse_state(collector::serialize_state({t}, t0));
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST(((*parsed)[0].counts == t.counts));
  BOOST_TEST(((*parsed)[0].totals == t.totals));  // sums equal to the bit
}

BOOST_AUTO_TEST_CASE(a_version_1_file_is_still_read_with_collector_counters_from_zero) {
  std::string totals = R"({"calls":[[1,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0],[0,0,0,0,0,0]],)"
                       R"("recorded":[0,0,0,0,0],"queued":[0,0,0,0,0],"histograms":[)";
  for (std::size_t h = 0; h < metrics::call_histogram_count; ++h) {
    totals += h ? ",[" : "[";
    for (std::size_t d = 0; d < api::direction_count; ++d)
      totals += std::string(d ? "," : "") + R"({"buckets":[0,0,0,0,0,0,0,0,0,0,0,0,0],"sum":0,"count":0})";
    totals += "]";
  }
  totals += "]}";
  const auto parsed = collector::parse_state(R"({"version":1,"tenants":[{"label":"37","watermark":1700000000,"ids":[["a",1700000000]],"totals":)" +
                                             totals + "}]}");
  BOOST_TEST_REQUIRE(parsed.has_value());
  BOOST_TEST((*parsed)[0].totals.total_calls() == 1u);
  BOOST_TEST((*parsed)[0].counts.records == 0u);
}

BOOST_AUTO_TEST_CASE(a_foreign_or_inconsistent_file_is_not_a_state) {
  std::string why;
  BOOST_TEST(!collector::parse_state(R"({"version":2,"tenants":[]})", &why).has_value());  // no format marker
  BOOST_TEST(why.find("not a voxo_exporter state") != std::string::npos, why);
  BOOST_TEST(!collector::parse_state(R"(["version", 2])").has_value());
  collector::tenant_snapshot t;
  t.label = "37";
  t.totals.add(make_cdr("a", t0));
  const auto good = collector::serialize_state({t});
  BOOST_TEST(collector::parse_state(good).has_value());
  BOOST_TEST(!collector::parse_state(collector::serialize_state({t, t}), &why).has_value());  // a tenant twice
  // buckets that don't add up to the count: damaged in a way JSON can't see
  t.totals.histograms[0][0].count = 5;
  BOOST_TEST(!collector::parse_state(collector::serialize_state({t}), &why).has_value());
}

BOOST_AUTO_TEST_CASE(a_corrupt_file_is_moved_aside_and_the_start_is_fresh) {
  temp_dir dir;
  const auto path = dir.write("state.json", "{truncated");
  std::vector<collector::tenant_snapshot> out;
  std::string error;
  BOOST_TEST((collector::load_state_file(path.string(), out, error) == collector::state_load::corrupt));
  BOOST_TEST(!std::filesystem::exists(path));
  BOOST_TEST(out.empty());
  std::size_t aside = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    if (e.path().filename().string().starts_with("state.json.corrupt-")) ++aside;
  BOOST_TEST(aside == 1u);
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_a_fresh_start) {
  temp_dir dir;
  std::vector<collector::tenant_snapshot> out;
  std::string error;
  BOOST_TEST((collector::load_state_file((dir.path() / "none.json").string(), out, error) ==
              collector::state_load::missing));
}

BOOST_AUTO_TEST_CASE(after_a_restart_counters_go_on_and_no_call_is_counted_twice) {
  temp_dir dir;
  const auto path = (dir.path() / "state.json").string();
  {
    collector_harness h;
    h.cfg.collector.state_file = path;
    h.add_tenant(37);
    fake_reply r;
    r.items = {make_cdr("a", t0 - minutes(10)), make_cdr("b", t0 - minutes(5))};
    h.api.script("37", 0, r);
    h.start();
    BOOST_TEST(h.run_until([&] { return polls(h, "37") >= 1; }));
    h.c->stop();  // saves
  }
  BOOST_TEST(std::filesystem::exists(path));
  collector_harness h;
  h.cfg.collector.state_file = path;
  h.add_tenant(37);
  h.wall = t0 + minutes(1);
  fake_reply r;
  r.items = {make_cdr("b", t0 - minutes(5)), make_cdr("c", t0 - minutes(1))};
  h.api.script("37", 0, r);
  h.start();
  // (the poll counter is restored too, so wait for this run's own poll)
  BOOST_TEST_REQUIRE(h.run_until([&] { return h.c->find("37")->last_success.has_value(); }));
  BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "37"}}) == 3);
  BOOST_TEST(h.value("voxo_collector_duplicate_records_total", {{"tenant", "37"}}) == 1);
  // polling resumed from the saved watermark, not from lookback
  BOOST_TEST((h.api.calls_of("37")[0].window.start == t0 - minutes(2) - minutes(15)));
}

BOOST_AUTO_TEST_SUITE_END()

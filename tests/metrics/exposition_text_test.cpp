#include <boost/test/unit_test.hpp>

#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <chrono>
#include <string>

#include "metrics/detail/exporter_metrics_access.hpp"
#include "metrics/exporter_metrics.hpp"
#include "metrics/exposition_text.hpp"
#include "support/sample_cdr.hpp"

namespace {
using namespace voxo;
using access = metrics::detail::exporter_metrics_access;

std::string registry_text(prometheus::Registry& r) { return prometheus::TextSerializer().Serialize(r.Collect()); }

void populate(metrics::exporter_metrics& m, const std::string& label) {
  auto& t = m.tenant(label, "Tenant " + label);
  metrics::call_deltas d;
  d.add(test::call_with_every_field("x" + label));
  t.apply(d);
  t.count_request("200", 0.2);
  t.count_request("error", 1.5);
  t.count_ingest(1, 2, 3);
  t.count_poll(true);
  t.count_poll(false);
  t.set_up(true);
  t.set_last_success(std::chrono::sys_seconds(std::chrono::seconds(1700000000)));
  t.set_watermark(std::chrono::sys_seconds(std::chrono::seconds(1700000000)));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(exposition_text)

BOOST_AUTO_TEST_CASE(the_data_part_is_the_text_of_the_whole_registry) {
  metrics::exporter_metrics m;
  for (const auto* label : {"1", "22", "333"}) populate(m, label);
  m.set_config_reload(true, std::chrono::sys_seconds(std::chrono::seconds(1700000000)));
  m.set_shard_tenants(3);
  m.add_rate_limit_wait(0.25);
  m.count_unattributed(7);
  const auto expected = registry_text(access::registry(m));
  BOOST_TEST(expected.find("voxo_call_mos_bucket") != std::string::npos);  // histograms were populated
  BOOST_TEST(access::render_data(m) == expected);
  BOOST_TEST(access::render_data(m) == expected);  // and again, with the previous size reserved
}

BOOST_AUTO_TEST_CASE(the_data_part_follows_changes_between_renderings) {
  metrics::exporter_metrics m;
  populate(m, "1");
  (void)access::render_data(m);
  for (int i = 0; i < 50; ++i) populate(m, std::to_string(100 + i));  // grows past the reserve
  BOOST_TEST(access::render_data(m) == registry_text(access::registry(m)));
}

BOOST_AUTO_TEST_CASE(families_of_every_kind_come_in_the_order_of_registry_collect) {
  prometheus::Registry r;
  metrics::family_text text;
  // Registered interleaved: Collect() groups them by kind.
  auto& h = prometheus::BuildHistogram().Name("h").Help("a histogram").Register(r);
  text.add(h);
  auto& g = prometheus::BuildGauge().Name("g").Help("a gauge").Register(r);
  text.add(g);
  auto& s = prometheus::BuildSummary().Name("s").Help("a summary").Register(r);
  text.add(s);
  auto& c = prometheus::BuildCounter().Name("c").Help("a counter").Register(r);
  text.add(c);
  auto& empty = prometheus::BuildCounter().Name("e").Help("no series").Register(r);
  text.add(empty);
  h.Add({{"k", "v"}}, prometheus::Histogram::BucketBoundaries{1, 2}).Observe(1.5);
  g.Add({}).Set(-3.5);
  s.Add({}, prometheus::Summary::Quantiles{{0.5, 0.05}}).Observe(2);
  c.Add({{"a", "x\"y\\z\n"}}).Increment(1e-9);
  BOOST_TEST(text.render() == registry_text(r));
  BOOST_TEST(text.render(1) == registry_text(r));
}

BOOST_AUTO_TEST_CASE(a_text_larger_than_the_write_buffer_is_whole) {
  prometheus::Registry r;
  metrics::family_text text;
  auto& c = prometheus::BuildCounter().Name("c").Help("many").Register(r);
  text.add(c);
  for (int i = 0; i < 10000; ++i) c.Add({{"tenant", std::to_string(i)}}).Increment(i);
  const auto expected = registry_text(r);
  BOOST_TEST(expected.size() > 128u * 1024u);
  BOOST_TEST(text.render() == expected);
}

BOOST_AUTO_TEST_SUITE_END()

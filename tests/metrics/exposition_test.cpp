#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "metrics/detail/exporter_metrics_access.hpp"
#include "metrics/exporter_metrics.hpp"
#include "metrics/gzip.hpp"
#include "support/exposition_parser.hpp"
#include "support/sample_cdr.hpp"
#include "support/temp_dir.hpp"

namespace {
using namespace voxo;
using access = metrics::detail::exporter_metrics_access;

metrics::exporter_metrics::options no_expiry() {
  metrics::exporter_metrics::options o;
  o.version = "1.2.3";
  o.revision = "abc";
  o.interval_text = "60s";
  o.render_interval = std::chrono::steady_clock::duration::zero();  // re-render on each change
  return o;
}

// What a scrape serves once the background rendering caught up with every change so far.
std::shared_ptr<const metrics::exposition> caught_up(metrics::exporter_metrics& m) {
  BOOST_REQUIRE(access::cache(m).wait_rendered(access::generation(m), std::chrono::seconds(30)));
  return m.exposition().current();
}

void add_some_calls(metrics::exporter_metrics& m) {
  auto& t = m.tenant("37", "Acme");
  metrics::call_deltas d;
  d.add(test::call_with_every_field("x"));
  t.apply(d);
  t.count_request("200", 0.2);
  t.count_ingest(1, 0, 0);
  t.set_up(true);
  t.set_last_success(std::chrono::sys_seconds(std::chrono::seconds(1700000000)));
  t.set_watermark(std::chrono::sys_seconds(std::chrono::seconds(1700000000)));
}

std::string run(const std::string& cmd, int& rc) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) {
    rc = -1;
    return out;
  }
  char buf[4096];
  while (auto n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  rc = pclose(p);
  return out;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(exposition)

BOOST_AUTO_TEST_CASE(rendered_text_contains_the_call_and_self_series) {
  metrics::exporter_metrics m(no_expiry());
  add_some_calls(m);
  const auto series = test::parse_exposition(m.exposition().current()->text());
  BOOST_TEST(series.at(test::series_key("voxo_calls_total",
                                        {{"tenant", "37"}, {"direction", "in"}, {"disposition", "answered"}})) == 1);
  BOOST_TEST(series.at(test::series_key("voxo_up", {{"tenant", "37"}})) == 1);
  BOOST_TEST(series.at(test::series_key("voxo_tenant_info", {{"tenant", "37"}, {"name", "Acme"}})) == 1);
  BOOST_TEST(series.at(test::series_key("voxo_exporter_build_info", {{"version", "1.2.3"}, {"revision", "abc"}})) == 1);
  BOOST_TEST(series.at(test::series_key("voxo_collector_requests_total", {{"tenant", "37"}, {"code", "200"}})) == 1);
  BOOST_TEST(series.at(test::series_key("voxo_call_mos_count", {{"tenant", "37"}, {"direction", "in"}})) == 1);
  BOOST_TEST(series.count(test::series_key("process_resident_memory_bytes", {})) == 1u);
  BOOST_TEST(series.count(test::series_key("voxo_collector_lag_seconds", {{"tenant", "37"}})) == 1u);
}

BOOST_AUTO_TEST_CASE(call_series_are_created_only_on_first_use) {
  metrics::exporter_metrics m(no_expiry());
  add_some_calls(m);
  const auto series = test::parse_exposition(m.exposition().current()->text());
  BOOST_TEST(series.count(test::series_key(
                 "voxo_calls_total", {{"tenant", "37"}, {"direction", "out"}, {"disposition", "answered"}})) == 0u);
  BOOST_TEST(series.count(test::series_key("voxo_call_mos_count", {{"tenant", "37"}, {"direction", "out"}})) == 0u);
}

BOOST_AUTO_TEST_CASE(gzip_body_decompresses_to_the_same_text) {
  metrics::exporter_metrics m(no_expiry());
  add_some_calls(m);
  const auto e = m.exposition().current();
  const auto tail = e->gzip_tail();
  BOOST_REQUIRE(tail);
  const auto gz = std::string(metrics::gzip_header()) + e->data->deflated->bytes + *tail;
  BOOST_TEST(gz.size() < e->text().size());
  BOOST_TEST(metrics::gzip_decompress(gz) == e->text());
}

BOOST_AUTO_TEST_CASE(the_parts_hold_disjoint_families) {
  metrics::exporter_metrics m(no_expiry());
  add_some_calls(m);
  const auto e = m.exposition().current();
  const auto data = e->data->plain_text();
  BOOST_TEST(data.find("voxo_calls_total") != std::string::npos);
  BOOST_TEST(data.find("process_") == std::string::npos);
  BOOST_TEST(data.find("voxo_collector_lag_seconds") == std::string::npos);
  BOOST_TEST(e->live.find("voxo_collector_lag_seconds{tenant=\"37\"}") != std::string::npos);
  BOOST_TEST(e->live.find("process_open_fds") != std::string::npos);
  BOOST_TEST(e->live.find("voxo_calls_total") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(nothing_changed_means_the_same_data_part_is_shared) {
  metrics::exporter_metrics m(no_expiry());
  add_some_calls(m);
  const auto first = caught_up(m);
  const auto renders = access::cache(m).renders();
  const auto second = m.exposition().current();
  BOOST_TEST(first->data.get() == second->data.get());
  BOOST_TEST(access::cache(m).renders() == renders);
}

BOOST_AUTO_TEST_CASE(a_change_of_the_data_is_rendered_in_the_background) {
  metrics::exporter_metrics m(no_expiry());
  add_some_calls(m);
  const auto first = m.exposition().current();
  m.tenant("37", "Acme").set_up(false);
  const auto second = caught_up(m);
  BOOST_TEST(first->data.get() != second->data.get());
  BOOST_TEST(test::parse_exposition(second->text()).at(test::series_key("voxo_up", {{"tenant", "37"}})) == 0);
}

BOOST_AUTO_TEST_CASE(the_live_part_is_rendered_for_every_scrape) {
  metrics::exporter_metrics m(no_expiry());
  add_some_calls(m);
  const auto first = m.exposition().current();
  // The lag is measured at scrape time: a later watermark shows at once, without a rendering.
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  m.tenant("37", "Acme").set_watermark(now + std::chrono::hours(1));
  const auto second = m.exposition().current();
  const auto lag = test::series_key("voxo_collector_lag_seconds", {{"tenant", "37"}});
  BOOST_TEST(test::parse_exposition(first->text()).at(lag) > 0);
  BOOST_TEST(test::parse_exposition(second->text()).at(lag) < 0);
}

BOOST_AUTO_TEST_CASE(the_render_time_and_age_are_served_live) {
  metrics::exporter_metrics m(no_expiry());
  const auto series = test::parse_exposition(m.exposition().current()->text());
  BOOST_TEST(series.at(test::series_key("voxo_exporter_exposition_render_seconds", {})) >= 0);
  BOOST_TEST(series.at(test::series_key("voxo_exporter_exposition_age_seconds", {})) >= 0);
}

BOOST_AUTO_TEST_CASE(changes_made_while_the_background_renders_all_show_once_it_caught_up) {
  metrics::exporter_metrics m(no_expiry());
  m.exposition().current();  // starts the render thread
  for (int i = 0; i < 300; ++i) {
    auto& t = m.tenant(std::to_string(i % 30), "name " + std::to_string(i));  // adds, renames
    t.count_poll(true);
    t.count_ingest(1, 0, 0);
    if (i % 50 == 0) m.exposition().current();
  }
  const auto series = test::parse_exposition(caught_up(m)->text());
  BOOST_TEST(test::sum_series(series, "voxo_collector_polls_total") == 300);
  BOOST_TEST(test::sum_series(series, "voxo_collector_records_total") == 300);
  BOOST_TEST(test::sum_series(series, "voxo_tenant_info") == 30);
}

BOOST_AUTO_TEST_CASE(a_renamed_tenant_keeps_one_info_series) {
  metrics::exporter_metrics m(no_expiry());
  m.tenant("37", "Old");
  m.tenant("37", "New");
  const auto series = test::parse_exposition(m.exposition().current()->text());
  BOOST_TEST(test::sum_series(series, "voxo_tenant_info", {{"tenant", "37"}}) == 1);
}

BOOST_AUTO_TEST_CASE(promtool_finds_nothing_to_complain_about) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    BOOST_TEST_MESSAGE("promtool not installed: skipped");
    return;
  }
  metrics::exporter_metrics m(no_expiry());
  add_some_calls(m);
  test::temp_dir dir;
  const auto file = dir.write("metrics.txt", m.exposition().current()->text());
  int rc = 0;
  const auto out = run("promtool check metrics < " + file.string() + " 2>&1", rc);
  BOOST_TEST(rc == 0);
  BOOST_TEST(out == "");
}

BOOST_AUTO_TEST_SUITE_END()

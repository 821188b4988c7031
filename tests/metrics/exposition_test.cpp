#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "metrics/exporter_metrics.hpp"
#include "metrics/gzip.hpp"
#include "support/exposition_parser.hpp"
#include "support/temp_dir.hpp"

namespace {
using namespace voxo;

metrics::exporter_metrics::options no_expiry() {
  metrics::exporter_metrics::options o;
  o.version = "1.2.3";
  o.revision = "abc";
  o.interval_text = "60s";
  o.max_render_age = std::chrono::hours(1);  // re-render on changes only
  return o;
}

void add_some_calls(metrics::exporter_metrics& m) {
  auto& t = m.tenant("37", "Acme");
  metrics::call_deltas d;
  api::cdr r;
  r.id = "x";
  r.direction = api::call_direction::in;
  r.disposition = api::call_disposition::answered;
  r.duration = 30;
  r.after_answer_duration = 25;
  r.mos = 4.3;
  r.percent_jitter = 0.5;
  r.packet_loss = 0.1;
  r.recorded = true;
  r.queue_call = true;
  d.add(r);
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
  const auto series = test::parse_exposition(m.exposition().current()->text);
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
  const auto series = test::parse_exposition(m.exposition().current()->text);
  BOOST_TEST(series.count(test::series_key(
                 "voxo_calls_total", {{"tenant", "37"}, {"direction", "out"}, {"disposition", "answered"}})) == 0u);
  BOOST_TEST(series.count(test::series_key("voxo_call_mos_count", {{"tenant", "37"}, {"direction", "out"}})) == 0u);
}

BOOST_AUTO_TEST_CASE(gzip_body_decompresses_to_the_same_text) {
  metrics::exporter_metrics m(no_expiry());
  add_some_calls(m);
  const auto e = m.exposition().current();
  BOOST_TEST(!e->gzip.empty());
  BOOST_TEST(e->gzip.size() < e->text.size());
  BOOST_TEST(metrics::gzip_decompress(e->gzip) == e->text);
}

BOOST_AUTO_TEST_CASE(nothing_changed_means_the_same_rendering_is_shared) {
  metrics::exporter_metrics m(no_expiry());
  add_some_calls(m);
  const auto first = m.exposition().current();
  const auto renders = m.exposition_cache_ref().renders();
  const auto second = m.exposition().current();
  BOOST_TEST(first.get() == second.get());
  BOOST_TEST(m.exposition_cache_ref().renders() == renders);
}

BOOST_AUTO_TEST_CASE(a_change_of_the_data_renders_again) {
  metrics::exporter_metrics m(no_expiry());
  add_some_calls(m);
  const auto first = m.exposition().current();
  m.tenant("37", "Acme").set_up(false);
  const auto second = m.exposition().current();
  BOOST_TEST(first.get() != second.get());
  BOOST_TEST(test::parse_exposition(second->text).at(test::series_key("voxo_up", {{"tenant", "37"}})) == 0);
}

BOOST_AUTO_TEST_CASE(an_old_rendering_is_refreshed_even_without_changes) {
  metrics::exporter_metrics::options o = no_expiry();
  o.max_render_age = std::chrono::steady_clock::duration::zero();
  metrics::exporter_metrics m(o);
  const auto first = m.exposition().current();
  const auto second = m.exposition().current();
  BOOST_TEST(first.get() != second.get());
}

BOOST_AUTO_TEST_CASE(a_renamed_tenant_keeps_one_info_series) {
  metrics::exporter_metrics m(no_expiry());
  m.tenant("37", "Old");
  m.tenant("37", "New");
  const auto series = test::parse_exposition(m.exposition().current()->text);
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
  const auto file = dir.write("metrics.txt", m.exposition().current()->text);
  int rc = 0;
  const auto out = run("promtool check metrics < " + file.string() + " 2>&1", rc);
  BOOST_TEST(rc == 0);
  BOOST_TEST(out == "");
}

BOOST_AUTO_TEST_SUITE_END()

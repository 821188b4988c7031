#include <boost/test/unit_test.hpp>

#include <chrono>
#include <set>
#include <string>

#include "metrics/exporter_metrics.hpp"
#include "support/exposition_parser.hpp"
#include "support/sample_cdr.hpp"

// When counted values become visible (tenant_metrics.hpp): immediately by default; in held
// mode only on publish(), with the calls of the first window as a baseline and every later
// series born at 0 and grown only after the hold.

namespace {
using namespace voxo;
using namespace std::chrono_literals;
using clock_type = metrics::tenant_metrics::clock;
using test::series_key;

constexpr auto hold = 30s;

metrics::exporter_metrics::options held_options(bool extra_labels = false) {
  metrics::exporter_metrics::options o;
  o.process_metrics = false;
  o.new_series_hold = hold;
  if (extra_labels) o.extra_labels.enabled[static_cast<std::size_t>(metrics::extra_label::jurisdiction)] = true;
  return o;
}

metrics::call_deltas calls(int n, api::call_direction dir = api::call_direction::in,
                           api::call_disposition disp = api::call_disposition::answered) {
  metrics::call_deltas d;
  for (int i = 0; i < n; ++i) d.add(test::call_with_every_field("c" + std::to_string(i), dir, disp));
  return d;
}

std::string calls_key(const char* dir, const char* disp) {
  return series_key("voxo_calls_total", {{"tenant", "37"}, {"direction", dir}, {"disposition", disp}});
}

const std::string answered_in = calls_key("in", "answered");
const std::string busy_out = calls_key("out", "busy");
const std::string mos_in_count = series_key("voxo_call_mos_count", {{"tenant", "37"}, {"direction", "in"}});

test::series_map shown(const metrics::exporter_metrics& m) { return test::parse_exposition(m.render()); }

double value(const test::series_map& s, const std::string& key) {
  auto it = s.find(key);
  BOOST_TEST_INFO("series " << key);
  BOOST_REQUIRE(it != s.end());
  return it->second;
}

}  // namespace

// Tenant 37 in held mode from t0, as a collector with a state file holds it.
struct held_tenant {
  metrics::exporter_metrics m{held_options()};
  metrics::tenant_metrics& t = m.tenant("37");
  const clock_type::time_point t0 = clock_type::now();
  held_tenant() { t.hold_until_published(false, t0); }
};

BOOST_AUTO_TEST_SUITE(tenant_metrics_visibility)

BOOST_AUTO_TEST_CASE(immediate_mode_shows_a_change_at_once) {
  metrics::exporter_metrics m(held_options());
  auto& t = m.tenant("37");
  t.apply(calls(2));
  t.count_ingest(2, 0, 0);
  const auto s = shown(m);
  BOOST_TEST(value(s, answered_in) == 2);
  BOOST_TEST(value(s, series_key("voxo_collector_records_total", {{"tenant", "37"}})) == 2);
}

BOOST_AUTO_TEST_CASE(self_metrics_with_known_labels_exist_at_zero_from_registration) {
  metrics::exporter_metrics m(held_options());
  m.tenant("37");
  const auto s = shown(m);
  BOOST_TEST(value(s, series_key("voxo_collector_polls_total", {{"tenant", "37"}, {"result", "success"}})) == 0);
  BOOST_TEST(value(s, series_key("voxo_collector_polls_total", {{"tenant", "37"}, {"result", "failure"}})) == 0);
  BOOST_TEST(value(s, series_key("voxo_collector_last_success_timestamp_seconds", {{"tenant", "37"}})) == 0);
  BOOST_TEST(value(s, series_key("voxo_collector_request_duration_seconds_count", {{"tenant", "37"}})) == 0);
}

BOOST_FIXTURE_TEST_CASE(held_mode_shows_nothing_counted_before_publish, held_tenant) {
  t.apply(calls(2));
  t.close_baseline();
  BOOST_TEST(!shown(m).count(answered_in));
  BOOST_TEST(t.totals().total_calls() == 2u);  // the truth (what a state file saves) has them
  BOOST_TEST(t.unpublished());
  t.publish(t0);
  BOOST_TEST(value(shown(m), answered_in) == 2);
}

BOOST_FIXTURE_TEST_CASE(call_series_wait_for_the_first_window_to_close, held_tenant) {
  t.apply(calls(2));
  t.publish(t0);  // a save in the middle of the first window: the history is not complete
  BOOST_TEST(!shown(m).count(answered_in));
}

BOOST_FIXTURE_TEST_CASE(the_first_window_is_the_baseline_every_call_series_is_born_with, held_tenant) {
  t.apply(calls(3));
  t.close_baseline();
  t.publish(t0 + 1s);
  const auto s = shown(m);
  BOOST_TEST(value(s, answered_in) == 3);
  BOOST_TEST(value(s, mos_in_count) == 3);
  // Every direction x disposition exists from the baseline on, at 0 where nothing happened.
  BOOST_TEST(value(s, busy_out) == 0);
  BOOST_TEST(test::sum_series(s, "voxo_calls_total") == 3);
  std::size_t grid = 0;
  for (const auto& [key, v] : s) grid += key.rfind("voxo_calls_total{", 0) == 0 ? 1 : 0;
  BOOST_TEST(grid == api::direction_count * api::disposition_count);
}

BOOST_FIXTURE_TEST_CASE(a_live_call_after_the_baseline_waits_the_hold_in_a_series_born_with_the_baseline, held_tenant) {
  t.apply(calls(3));
  t.close_baseline();
  t.apply(calls(2));  // live, committed before the save that shows the baseline
  const auto due = t.publish(t0);
  BOOST_TEST(value(shown(m), answered_in) == 3);
  BOOST_TEST((due == t0 + hold));
  t.publish(t0 + hold - 1ms);
  BOOST_TEST(value(shown(m), answered_in) == 3);
  BOOST_TEST((t.publish(t0 + hold) == clock_type::time_point::max()));
  BOOST_TEST(value(shown(m), answered_in) == 5);
  BOOST_TEST(!t.unpublished());
}

BOOST_FIXTURE_TEST_CASE(a_series_first_seen_live_is_born_at_zero_and_grows_after_the_hold, held_tenant) {
  t.close_baseline();  // an empty history
  t.publish(t0);
  BOOST_TEST(!shown(m).count(mos_in_count));
  t.apply(calls(1));
  t.publish(t0 + 10s);
  auto s = shown(m);
  BOOST_TEST(value(s, mos_in_count) == 0);  // born at 0: a scraper stores the 0 first
  BOOST_TEST(value(s, answered_in) == 0);   // the call grid was born at t0: it grows from t0 + hold
  t.publish(t0 + hold);
  s = shown(m);
  BOOST_TEST(value(s, answered_in) == 1);
  BOOST_TEST(value(s, mos_in_count) == 0);
  t.publish(t0 + 10s + hold);
  BOOST_TEST(value(shown(m), mos_in_count) == 1);
}

BOOST_FIXTURE_TEST_CASE(the_call_grid_grows_only_after_the_hold_from_its_birth, held_tenant) {
  t.close_baseline();
  t.apply(calls(1, api::call_direction::out, api::call_disposition::busy));
  t.publish(t0);  // the grid is born now (at 0): the busy call waits
  BOOST_TEST(value(shown(m), busy_out) == 0);
  t.publish(t0 + hold);
  BOOST_TEST(value(shown(m), busy_out) == 1);
}

BOOST_FIXTURE_TEST_CASE(a_new_request_code_is_born_at_zero, held_tenant) {
  t.count_request("503", 0.1);
  t.publish(t0 + 1s);
  const auto key = series_key("voxo_collector_requests_total", {{"tenant", "37"}, {"code", "503"}});
  BOOST_TEST(value(shown(m), key) == 0);
  t.publish(t0 + 1s + hold);
  BOOST_TEST(value(shown(m), key) == 1);
}

BOOST_AUTO_TEST_CASE(restored_values_are_shown_at_once_and_later_calls_wait_no_baseline) {
  metrics::exporter_metrics source(held_options());
  auto& before = source.tenant("37");
  before.apply(calls(4));
  before.count_poll(true);

  metrics::exporter_metrics m(held_options());
  auto& t = m.tenant("37");
  const auto t0 = clock_type::now();
  t.hold_until_published(false, t0);
  t.restore(before.totals(), before.counts());
  auto s = shown(m);
  BOOST_TEST(value(s, answered_in) == 4);
  BOOST_TEST(value(s, mos_in_count) == 4);
  BOOST_TEST(value(s, series_key("voxo_collector_polls_total", {{"tenant", "37"}, {"result", "success"}})) == 1);
  BOOST_TEST(t.baseline_closed());
  t.apply(calls(1, api::call_direction::out));  // a live call in a series the state did not have
  t.publish(t0 + 1s);
  const auto out_mos = series_key("voxo_call_mos_count", {{"tenant", "37"}, {"direction", "out"}});
  BOOST_TEST(value(shown(m), out_mos) == 0);
  t.apply(calls(2));  // more calls in a restored series: not held
  t.publish(t0 + 2s);
  BOOST_TEST(value(shown(m), answered_in) == 6);
}

BOOST_AUTO_TEST_CASE(restoring_what_the_series_show_changes_nothing) {
  metrics::exporter_metrics m(held_options());
  auto& t = m.tenant("37");
  t.apply(calls(2));
  const auto before = m.render();
  t.restore(t.totals(), t.counts());
  BOOST_TEST(m.render() == before);
}

BOOST_AUTO_TEST_CASE(a_new_extra_label_value_is_born_at_zero) {
  metrics::exporter_metrics m(held_options(true));
  auto& t = m.tenant("37");
  const auto t0 = clock_type::now();
  t.hold_until_published(false, t0);
  t.close_baseline();
  t.publish(t0);
  auto r = test::call_with_every_field("x");
  r.jurisdiction = "TX";
  metrics::call_deltas d;
  d.add(r, &m.labeler());
  t.apply(d);
  t.publish(t0 + 1s);
  const auto key = series_key(
      "voxo_calls_total", {{"tenant", "37"}, {"direction", "in"}, {"disposition", "answered"}, {"jurisdiction", "tx"}});
  BOOST_TEST(value(shown(m), key) == 0);
  t.publish(t0 + 1s + hold);
  BOOST_TEST(value(shown(m), key) == 1);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(tenant_metrics_holds_across_a_restart)

BOOST_FIXTURE_TEST_CASE(the_holds_a_save_keeps_are_the_series_its_publish_leaves_held, held_tenant) {
  t.close_baseline();
  t.publish(t0);  // the call grid is born at 0
  t.apply(calls(1, api::call_direction::out, api::call_disposition::busy));
  t.count_request("503", 0.1);
  const auto holds = t.holds_after_publish(t0 + 1s);
  std::set<std::string> keys;
  for (const auto& h : holds) keys.insert(h.key);
  // The busy call waits in the grid; the out histograms and the new code are born now, held.
  BOOST_TEST(keys.count("calls/1/2") == 1u);
  BOOST_TEST(keys.count("histogram/0/1") == 1u);  // duration (MOS and the like: answered calls only)
  BOOST_TEST(keys.count("recorded/1") == 1u);
  BOOST_TEST(keys.count("requests/503") == 1u);
  BOOST_TEST(keys.count("calls/0/0") == 0u);  // nothing to hold there
  for (const auto& h : holds) {
    BOOST_TEST_CONTEXT(h.key) {
      BOOST_TEST(h.born == 0u);
      if (h.born_histogram) BOOST_TEST(h.born_histogram->count == 0u);
    }
  }
  BOOST_TEST(!shown(m).count(mos_in_count));  // planning shows nothing
  // By then the grid has grown (its hold ran from t0); the series born at that publish are held.
  std::set<std::string> later;
  for (const auto& h : t.holds_after_publish(t0 + hold + 1s)) later.insert(h.key);
  BOOST_TEST(later.count("calls/1/2") == 0u);
  BOOST_TEST(later.count("requests/503") == 1u);
}

BOOST_AUTO_TEST_CASE(a_restored_series_that_was_held_starts_at_its_born_value_and_waits_a_hold_again) {
  metrics::exporter_metrics before(held_options());
  auto& b = before.tenant("37");
  const auto t0 = clock_type::now();
  b.hold_until_published(false, t0);
  b.close_baseline();
  b.publish(t0);
  b.apply(calls(2, api::call_direction::out));
  const auto holds = b.holds_after_publish(t0 + 1s);

  metrics::exporter_metrics m(held_options());
  auto& t = m.tenant("37");
  const auto t1 = clock_type::now();
  t.hold_until_published(false, t1);
  t.restore(b.totals(), b.counts(), holds);
  const auto out_answered = calls_key("out", "answered");
  const auto out_mos = series_key("voxo_call_mos_count", {{"tenant", "37"}, {"direction", "out"}});
  auto s = shown(m);
  BOOST_TEST(value(s, out_answered) == 0);  // no scrape may have stored more before the restart
  BOOST_TEST(value(s, out_mos) == 0);
  BOOST_TEST(value(s, answered_in) == 0);  // restored (not held) at its saved value
  t.publish(clock_type::now() + hold + 1s);
  s = shown(m);
  BOOST_TEST(value(s, out_answered) == 2);
  BOOST_TEST(value(s, out_mos) == 2);
}

BOOST_AUTO_TEST_SUITE_END()

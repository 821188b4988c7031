#include <boost/test/unit_test.hpp>

#include "api/tenant_list.hpp"
#include "collector_harness.hpp"

namespace {
using namespace voxo;
using namespace voxo::test;
using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

double polls(collector_harness& h, const std::string& tenant) {
  return h.value("voxo_collector_polls_total", {{"tenant", tenant}});
}
bool run_polls(collector_harness& h, const std::string& tenant, double n) {
  return h.run_until([&] { return polls(h, tenant) >= n; });
}
double calls(collector_harness& h, const std::map<std::string, std::string>& labels) {
  return h.value("voxo_calls_total", labels);
}
api::api_error http_error(int status, std::optional<std::chrono::seconds> retry_after = std::nullopt) {
  return api::api_error{api::api_errc::http_status, status, retry_after, "boom"};
}
api::api_error cut_short() { return api::api_error{api::api_errc::bad_payload, 0, std::nullopt, "cut short"}; }
}  // namespace

BOOST_AUTO_TEST_SUITE(collector_ingest)

BOOST_AUTO_TEST_CASE(label_normalization_reaches_the_series) {
  collector_harness h;
  h.add_tenant(37);
  fake_reply r;
  r.items = {make_cdr("a", t0 - minutes(30), "IN", "NO ANSWER"),
             make_cdr("b", t0 - minutes(30), "sideways", "ANSWERED"), make_cdr("c", t0 - minutes(30), "out", "weird")};
  h.api.script("37", 0, r);
  h.start();
  BOOST_TEST(run_polls(h, "37", 1));
  BOOST_TEST(calls(h, {{"tenant", "37"}, {"direction", "in"}, {"disposition", "no_answer"}}) == 1);
  BOOST_TEST(calls(h, {{"tenant", "37"}, {"direction", "other"}, {"disposition", "answered"}}) == 1);
  BOOST_TEST(calls(h, {{"tenant", "37"}, {"direction", "out"}, {"disposition", "other"}}) == 1);
}

BOOST_AUTO_TEST_CASE(a_record_repeated_in_one_reply_counts_once) {
  collector_harness h;
  h.add_tenant(37);
  fake_reply r;
  r.items = {make_cdr("a", t0 - minutes(30)), make_cdr("a", t0 - minutes(30)), make_cdr("b", t0 - minutes(20))};
  h.api.script("37", 0, r);
  h.start();
  BOOST_TEST(run_polls(h, "37", 1));
  BOOST_TEST(calls(h, {{"tenant", "37"}}) == 2);
  BOOST_TEST(h.value("voxo_collector_duplicate_records_total", {{"tenant", "37"}}) == 1);
  BOOST_TEST(h.value("voxo_collector_records_total", {{"tenant", "37"}}) == 2);
}

BOOST_AUTO_TEST_CASE(a_record_repeated_by_the_next_overlapping_poll_counts_once) {
  collector_harness h;
  h.add_tenant(37);
  fake_reply first, second;
  first.items = {make_cdr("a", t0 - minutes(30)), make_cdr("b", t0 - minutes(10))};
  second.items = {make_cdr("b", t0 - minutes(10)), make_cdr("c", t0 - minutes(5))};
  h.api.script("37", 0, first);
  h.api.script("37", 1, second);
  h.start();
  BOOST_TEST(run_polls(h, "37", 2));
  BOOST_TEST(calls(h, {{"tenant", "37"}}) == 3);
  BOOST_TEST(h.value("voxo_collector_duplicate_records_total", {{"tenant", "37"}}) == 1);
}

BOOST_AUTO_TEST_CASE(invalid_records_are_counted_and_skipped) {
  collector_harness h;
  h.add_tenant(37);
  fake_reply r;
  r.items = {make_cdr("a", t0 - minutes(30)), fake_invalid{}, fake_invalid{}};
  h.api.script("37", 0, r);
  h.start();
  BOOST_TEST(run_polls(h, "37", 1));
  BOOST_TEST(calls(h, {{"tenant", "37"}}) == 1);
  BOOST_TEST(h.value("voxo_collector_invalid_records_total", {{"tenant", "37"}}) == 2);
}

BOOST_AUTO_TEST_CASE(a_failed_reply_changes_no_call_metric_and_no_watermark_and_the_retry_counts_once) {
  collector_harness h;
  h.add_tenant(37);
  fake_reply broken;
  broken.items = {make_cdr("a", t0 - minutes(30)), make_cdr("b", t0 - minutes(20))};
  broken.error = cut_short();
  fake_reply good;
  good.items = broken.items;
  h.api.script("37", 0, broken);
  h.api.script("37", 1, good);
  h.start();
  BOOST_TEST(h.run_until([&] {
    return h.value("voxo_collector_polls_total", {{"tenant", "37"}, {"result", "failure"}}) >= 1;
  }));
  BOOST_TEST(calls(h, {{"tenant", "37"}}) == 0);
  BOOST_TEST(!h.c->find("37")->watermark.has_value());
  BOOST_TEST(h.c->find("37")->seen.size() == 0u);
  BOOST_TEST(h.value("voxo_collector_records_total", {{"tenant", "37"}}) == 0);

  BOOST_TEST(run_polls(h, "37", 2));
  BOOST_TEST(calls(h, {{"tenant", "37"}}) == 2);
  BOOST_TEST(h.value("voxo_collector_duplicate_records_total", {{"tenant", "37"}}) == 0);
  const auto calls_made = h.api.calls_of("37");
  BOOST_TEST((calls_made[1].window == calls_made[0].window));  // the retry asks the same window again
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(collector_windows)

BOOST_AUTO_TEST_CASE(the_first_poll_asks_lookback_and_the_next_from_watermark_minus_overlap) {
  collector_harness h;
  h.add_tenant(37);
  h.start();
  BOOST_TEST(run_polls(h, "37", 1));
  h.wall = t0 + minutes(1);
  BOOST_TEST(run_polls(h, "37", 2));
  const auto c = h.api.calls_of("37");
  BOOST_TEST((c[0].window == api::time_window{t0 - hours(1), t0 - minutes(2)}));
  BOOST_TEST((c[1].window == api::time_window{t0 - minutes(2) - minutes(15), t0 + minutes(1) - minutes(2)}));
  BOOST_TEST((h.c->find("37")->watermark == t0 + minutes(1) - minutes(2)));
}

BOOST_AUTO_TEST_CASE(a_40_day_backlog_is_split_into_31_day_chunks_in_order) {
  collector_harness h;
  h.cfg.collector.lookback = days(40);
  h.add_tenant(37);
  h.start();
  BOOST_TEST(run_polls(h, "37", 1));
  const auto c = h.api.calls_of("37");
  BOOST_TEST_REQUIRE(c.size() == 2u);
  const auto start = t0 - days(40), end = t0 - minutes(2);
  BOOST_TEST((c[0].window == api::time_window{start, start + days(31)}));
  BOOST_TEST((c[1].window == api::time_window{start + days(31), end}));
}

BOOST_AUTO_TEST_CASE(partner_scope_is_split_into_24_hour_chunks) {
  collector_harness h;
  h.cfg.collector.lookback = hours(50);
  h.cfg.tenants.push_back({api::partner_scope{}, "partner", ""});
  h.start();
  BOOST_TEST(run_polls(h, "partner", 1));
  const auto c = h.api.calls_of("partner");
  BOOST_TEST_REQUIRE(c.size() == 3u);
  for (const auto& call : c) BOOST_TEST((call.window.end - call.window.start <= hours(24)));
  BOOST_TEST((c[2].window.end == t0 - minutes(2)));
}

BOOST_AUTO_TEST_CASE(the_watermark_advances_chunk_by_chunk_and_stops_at_the_first_failure) {
  collector_harness h;
  h.cfg.collector.lookback = hours(50);
  h.cfg.tenants.push_back({api::partner_scope{}, "partner", ""});
  fake_reply fail;
  fail.error = http_error(503);
  fake_reply one;
  one.items = {make_cdr("a", t0 - hours(49))};
  h.api.script("partner", 0, one);
  h.api.script("partner", 1, fail);
  h.start();
  BOOST_TEST(h.run_until([&] {
    return h.value("voxo_collector_polls_total", {{"tenant", "partner"}, {"result", "failure"}}) >= 1;
  }));
  const auto start = t0 - hours(50);
  BOOST_TEST(h.api.calls_of("partner").size() == 2u);  // the third chunk is not asked after a failure
  BOOST_TEST((h.c->find("partner")->watermark == start + hours(24)));
  BOOST_TEST(calls(h, {{"tenant", "partner"}}) == 1);
  // the retry starts again from the watermark (minus the overlap)
  BOOST_TEST(run_polls(h, "partner", 2));
  BOOST_TEST((h.api.calls_of("partner")[2].window.start == start + hours(24) - minutes(15)));
  BOOST_TEST((h.c->find("partner")->watermark == t0 - minutes(2)));
}

BOOST_AUTO_TEST_CASE(an_empty_window_asks_nothing_and_is_a_successful_poll) {
  collector_harness h;
  h.cfg.collector.lookback = 1min;  // now - lookback is after now - delay
  h.add_tenant(37);
  h.start();
  BOOST_TEST(run_polls(h, "37", 1));
  BOOST_TEST(h.api.calls().size() == 0u);
  BOOST_TEST(h.value("voxo_up", {{"tenant", "37"}}) == 1);
  BOOST_TEST(h.c->ready());
}

BOOST_AUTO_TEST_CASE(the_dedupe_horizon_prunes_old_ids_but_keeps_those_inside_the_overlap) {
  collector_harness h;
  h.add_tenant(37);
  fake_reply first;
  first.items = {make_cdr("old", t0 - minutes(50)), make_cdr("recent", t0 - minutes(5))};
  h.api.script("37", 0, first);
  h.start();
  BOOST_TEST(run_polls(h, "37", 1));
  // watermark t0-2m: ids older than t0-2m-15m-1s are forgotten
  BOOST_TEST(h.c->find("37")->seen.contains("recent"));
  BOOST_TEST(!h.c->find("37")->seen.contains("old"));
  h.wall = t0 + hours(1);
  BOOST_TEST(run_polls(h, "37", 2));
  BOOST_TEST(h.c->find("37")->seen.size() == 0u);
}

BOOST_AUTO_TEST_CASE(an_id_exactly_at_the_next_window_start_is_still_remembered) {
  collector_harness h;
  h.add_tenant(37);
  const auto next_start = t0 - minutes(2) - minutes(15);
  fake_reply first;
  first.items = {make_cdr("edge", next_start), make_cdr("before", next_start - std::chrono::seconds(2))};
  h.api.script("37", 0, first);
  fake_reply second;
  second.items = {make_cdr("edge", next_start)};
  h.api.script("37", 1, second);
  h.start();
  BOOST_TEST(run_polls(h, "37", 2));
  BOOST_TEST(calls(h, {{"tenant", "37"}}) == 2);
  BOOST_TEST(h.value("voxo_collector_duplicate_records_total", {{"tenant", "37"}}) == 1);
  BOOST_TEST(!h.c->find("37")->seen.contains("before"));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(collector_scheduling)

BOOST_AUTO_TEST_CASE(no_more_requests_in_flight_than_the_concurrency_limit) {
  collector_harness h;
  h.cfg.collector.concurrency = 2;
  for (int i = 1; i <= 5; ++i) h.add_tenant(i);
  fake_reply slow;
  slow.delay = 100ms;
  h.api.set_default(slow);
  h.start();
  BOOST_TEST(h.run_until([&] {
    for (int i = 1; i <= 5; ++i)
      if (polls(h, std::to_string(i)) < 1) return false;
    return true;
  }));
  BOOST_TEST(h.api.max_in_flight() == 2u);
}

BOOST_AUTO_TEST_CASE(a_slow_tenant_does_not_delay_the_others) {
  collector_harness h;
  h.cfg.collector.concurrency = 2;
  h.add_tenant(1);
  h.add_tenant(2);
  fake_reply stuck;
  stuck.delay = std::chrono::hours(1);
  h.api.set_default("1", stuck);
  h.start();
  BOOST_TEST(run_polls(h, "2", 5));
  BOOST_TEST(polls(h, "1") == 0);
}

BOOST_AUTO_TEST_CASE(a_429_with_retry_after_is_retried_no_earlier_than_asked) {
  collector_harness h;
  h.add_tenant(1);
  h.add_tenant(2);
  fake_reply limited;
  limited.error = http_error(429, std::chrono::seconds(1));
  h.api.script("1", 0, limited);
  h.start();
  BOOST_TEST(h.run_until_calls("1", 2));
  const auto c = h.api.calls_of("1");
  BOOST_TEST((c[1].started - c[0].finished >= std::chrono::seconds(1)));
  // meanwhile the other tenant kept its schedule
  BOOST_TEST(h.api.calls_of("2").size() > 2u);
}

BOOST_AUTO_TEST_CASE(failures_are_retried_with_backoff_until_success) {
  collector_harness h;
  h.add_tenant(1);
  fake_reply fail;
  fail.error = api::api_error{api::api_errc::transport, 0, std::nullopt, "reset"};
  h.api.script("1", 0, fail);
  h.api.script("1", 1, fail);
  h.start();
  BOOST_TEST(run_polls(h, "1", 3));
  BOOST_TEST(h.value("voxo_collector_polls_total", {{"tenant", "1"}, {"result", "failure"}}) == 2);
  BOOST_TEST(h.c->find("1")->errors == 2u);
  BOOST_TEST(h.c->find("1")->failures == 0u);
}

BOOST_AUTO_TEST_CASE(up_goes_to_0_on_failure_and_back_to_1_and_requests_count_their_codes) {
  collector_harness h;
  h.add_tenant(1);
  fake_reply limited;
  limited.error = http_error(429);
  fake_reply reset;
  reset.error = api::api_error{api::api_errc::transport, 0, std::nullopt, "reset"};
  h.api.script("1", 0, limited);
  h.api.script("1", 1, reset);
  h.start();
  BOOST_TEST(h.run_until([&] {
    return h.value("voxo_collector_polls_total", {{"tenant", "1"}, {"result", "failure"}}) >= 1;
  }));
  BOOST_TEST(h.value("voxo_up", {{"tenant", "1"}}) == 0);
  BOOST_TEST(run_polls(h, "1", 3));
  BOOST_TEST(h.value("voxo_up", {{"tenant", "1"}}) == 1);
  BOOST_TEST(h.value("voxo_collector_requests_total", {{"tenant", "1"}, {"code", "429"}}) == 1);
  BOOST_TEST(h.value("voxo_collector_requests_total", {{"tenant", "1"}, {"code", "error"}}) == 1);
  BOOST_TEST(h.value("voxo_collector_requests_total", {{"tenant", "1"}, {"code", "200"}}) >= 1);
  BOOST_TEST(h.value("voxo_collector_request_duration_seconds_count", {{"tenant", "1"}}) >= 3);
  BOOST_TEST(h.c->find("1")->last_error.find("reset") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(stop_abandons_requests_in_flight_promptly) {
  collector_harness h;
  h.add_tenant(1);
  fake_reply stuck;
  stuck.delay = std::chrono::hours(1);
  h.api.set_default(stuck);
  h.start();
  BOOST_TEST(h.run_until([&] { return h.api.in_flight() == 1; }));
  h.c->stop();
  h.c->stop();  // twice is fine
  BOOST_TEST(h.run_until([&] { return h.c->running() == 0; }, std::chrono::seconds(5)));
  BOOST_TEST(h.api.in_flight() == 0u);
  BOOST_TEST(polls(h, "1") == 0);  // an abandoned request is neither a success nor a failure
}

BOOST_AUTO_TEST_CASE(first_polls_are_spread_over_the_first_interval) {
  collector_harness h;
  h.opts.spread_first_polls = true;
  h.cfg.collector.interval = 400ms;
  for (int i = 1; i <= 4; ++i) h.add_tenant(i);
  const auto started = std::chrono::steady_clock::now();
  h.start();
  BOOST_TEST(h.run_until([&] { return polls(h, "4") >= 1; }));
  // tenant 4 of 4 waits 3/4 of the interval (timers never fire early)
  BOOST_TEST((h.api.calls_of("4")[0].started - started >= 300ms));
  BOOST_TEST((h.api.calls_of("1")[0].started < h.api.calls_of("4")[0].started));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(collector_status)

BOOST_AUTO_TEST_CASE(ready_once_every_tenant_completed_one_successful_poll) {
  collector_harness h;
  h.add_tenant(1);
  h.add_tenant(2);
  fake_reply fail;
  fail.error = http_error(500);
  h.api.script("2", 0, fail);
  h.start();
  BOOST_TEST(!h.c->ready());
  BOOST_TEST(run_polls(h, "1", 1));
  BOOST_TEST(h.run_until([&] { return polls(h, "2") >= 1; }));
  BOOST_TEST(!h.c->ready());
  BOOST_TEST(h.run_until([&] { return h.c->ready(); }));
}

BOOST_AUTO_TEST_CASE(status_shows_calls_answered_and_median_mos) {
  collector_harness h;
  h.add_tenant(37, "Acme");
  auto a = make_cdr("a", t0 - minutes(30));
  a.mos = 4.1;
  auto b = make_cdr("b", t0 - minutes(30));
  b.mos = 4.2;
  auto c = make_cdr("c", t0 - minutes(30), "IN", "NO ANSWER");
  fake_reply r;
  r.items = {a, b, c};
  h.api.script("37", 0, r);
  h.start();
  BOOST_TEST(run_polls(h, "37", 1));
  const auto st = h.c->tenants();
  BOOST_TEST_REQUIRE(st.size() == 1u);
  BOOST_TEST(st[0].label == "37");
  BOOST_TEST(st[0].name == "Acme");
  BOOST_TEST(st[0].calls == 3u);
  BOOST_TEST(st[0].answered == 2u);
  BOOST_TEST_REQUIRE(st[0].median_mos.has_value());
  BOOST_TEST(*st[0].median_mos == 4.15, boost::test_tools::tolerance(1e-9));
  BOOST_TEST((st[0].watermark == t0 - minutes(2)));
  BOOST_TEST(st[0].last_success.has_value());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(collector_discovery)

BOOST_AUTO_TEST_CASE(discovered_tenants_are_filtered_polled_and_dropped_when_they_vanish) {
  collector_harness h;
  h.cfg.discovery.enabled = true;
  h.cfg.discovery.refresh = 200ms;
  h.cfg.discovery.exclude = {"Test.*"};
  std::vector<api::tenant_info> first{{10, "Acme", "", "", ""}, {11, "Test lab", "", "", ""}, {12, "Beta", "", "", ""}};
  std::vector<api::tenant_info> later{{10, "Acme", "", "", ""}};
  h.api.script_tenants({first, later});
  h.start();
  BOOST_TEST(!h.c->ready());
  BOOST_TEST(h.run_until([&] { return polls(h, "10") >= 1 && polls(h, "12") >= 1; }));
  BOOST_TEST(h.api.calls_of("11").empty());
  BOOST_TEST(h.value("voxo_tenant_info", {{"tenant", "10"}, {"name", "Acme"}}) == 1);
  BOOST_TEST(h.run_until([&] { return h.api.tenant_listings() >= 2; }));
  BOOST_TEST(h.run_until([&] { return h.c->tenants().size() == 1u; }));
  const auto asked = h.api.calls_of("12").size();
  BOOST_TEST(run_polls(h, "10", polls(h, "10") + 3));
  BOOST_TEST(h.api.calls_of("12").size() <= asked + 1);  // at most the poll already under way
  // the vanished tenant's series stay
  BOOST_TEST(h.series().count(series_key("voxo_up", {{"tenant", "12"}})) == 1u);
  BOOST_TEST(h.c->ready());
}

// A name repaired for its label (bad UTF-8, a lone surrogate, over 1 KiB) is matched as sent: an
// exclude meant for the tenant still holds, and a tenant it does not exclude is polled.
BOOST_AUTO_TEST_CASE(include_and_exclude_match_a_repaired_name_as_the_api_sent_it) {
  collector_harness h;
  h.cfg.discovery.enabled = true;
  h.cfg.discovery.refresh = 200ms;
  h.cfg.discovery.exclude = {".*-internal"};
  const std::string long_name(2000, 'a');  // shown cut to 1 KiB: the suffix is not in the label
  const api::tenant_info excluded{11, api::label_safe_name(long_name + "-internal"), "", "", long_name + "-internal"};
  const api::tenant_info kept{12, api::label_safe_name(long_name + "\xff"), "", "", long_name + "\xff"};
  h.api.script_tenants({std::vector<api::tenant_info>{excluded, kept}});
  h.start();
  BOOST_TEST(h.run_until([&] { return polls(h, "12") >= 1; }));
  BOOST_TEST(h.api.calls_of("11").empty());
  BOOST_TEST(h.value("voxo_tenant_info", {{"tenant", "12"}, {"name", std::string(1021, 'a') + "\xE2\x80\xA6"}}) == 1);
}

BOOST_AUTO_TEST_SUITE_END()

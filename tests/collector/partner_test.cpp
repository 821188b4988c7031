#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "collector/partner_batch.hpp"
#include "collector_harness.hpp"
#include "window_api.hpp"

namespace {
using namespace voxo;
using namespace voxo::test;
using std::chrono::hours;
using std::chrono::minutes;

api::cdr billed(std::string id, std::chrono::sys_seconds time, std::optional<std::string> billing_id,
                std::string_view direction = "IN") {
  auto r = make_cdr(std::move(id), time, direction);
  r.billing_id = std::move(billing_id);
  return r;
}

void partner_wide(collector_harness& h, std::size_t max_accounts = 1000) {
  h.cfg.tenants = {{api::partner_scope{}, "partner", ""}};
  h.cfg.partner.enabled = true;
  h.cfg.partner.max_accounts = max_accounts;
  h.cfg.partner.accounts = {{api::billing_code_scope{"B101"}, "B101", "Acme"}};
}

double calls(collector_harness& h, const std::string& tenant) {
  return h.value("voxo_calls_total", {{"tenant", tenant}});
}
bool has_series(collector_harness& h, const std::string& name, const std::string& tenant) {
  const std::string needle = "tenant=\"" + tenant + "\"";
  for (const auto& [key, value] : h.series())
    if (key.starts_with(name + "{") && key.find(needle) != std::string::npos) return true;
  return false;
}
bool run_polls(collector_harness& h, double n) {
  return h.run_until([&] { return h.value("voxo_collector_polls_total", {{"tenant", "partner"}}) >= n; });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(partner_wide_mode)

BOOST_AUTO_TEST_CASE(records_count_for_the_account_their_billing_id_names) {
  collector_harness h;
  partner_wide(h);
  fake_reply r;
  r.items = {billed("a", t0 - minutes(30), "B101"), billed("b", t0 - minutes(29), "B101", "OUT"),
             billed("c", t0 - minutes(28), " B 202 "), billed("d", t0 - minutes(27), std::nullopt),
             billed("e", t0 - minutes(26), "%%%")};
  h.api.script("partner", 0, r);
  h.start();
  BOOST_TEST(run_polls(h, 1));
  BOOST_TEST(calls(h, "B101") == 2);     // a configured account: its label
  BOOST_TEST(calls(h, "B_202") == 1);    // any other billing id: normalized
  BOOST_TEST(calls(h, "partner") == 2);  // none, or nothing usable in it
  BOOST_TEST(h.value("voxo_tenant_info", {{"tenant", "B101"}, {"name", "Acme"}}) == 1);
  BOOST_TEST(h.value("voxo_collector_records_total", {}) == 5);
}

BOOST_AUTO_TEST_CASE(the_poll_series_belong_to_the_partner_and_accounts_follow_its_up) {
  collector_harness h;
  partner_wide(h);
  fake_reply r;
  r.items = {billed("a", t0 - minutes(30), "B101"), billed("b", t0 - minutes(20), "B303")};
  h.api.script("partner", 0, r);
  h.api.script("partner", 1, fake_reply{{}, api::api_error{api::api_errc::http_status, 503, std::nullopt, "down"}});
  h.start();
  BOOST_TEST(run_polls(h, 1));
  BOOST_TEST(h.value("voxo_up", {{"tenant", "B303"}}) == 1);
  BOOST_TEST(has_series(h, "voxo_collector_requests_total", "partner"));
  BOOST_TEST(has_series(h, "voxo_collector_watermark_timestamp_seconds", "partner"));
  BOOST_TEST(!has_series(h, "voxo_collector_requests_total", "B303"));
  BOOST_TEST(!has_series(h, "voxo_collector_watermark_timestamp_seconds", "B303"));
  BOOST_TEST(!has_series(h, "voxo_collector_lag_seconds", "B303"));
  BOOST_TEST(h.run_until([&] { return h.value("voxo_collector_polls_total", {{"result", "failure"}}) >= 1; }));
  BOOST_TEST(h.value("voxo_up", {{"tenant", "partner"}}) == 0);
  BOOST_TEST(h.value("voxo_up", {{"tenant", "B303"}}) == 0);
  BOOST_TEST(h.value("voxo_up", {{"tenant", "B101"}}) == 0);
}

BOOST_AUTO_TEST_CASE(a_failed_window_counts_for_no_account_and_its_retry_counts_once) {
  collector_harness h;
  partner_wide(h);
  fake_reply cut;
  cut.items = {billed("a", t0 - minutes(30), "B101"), billed("b", t0 - minutes(20), "B303")};
  cut.error = api::api_error{api::api_errc::bad_payload, 0, std::nullopt, "cut short"};
  fake_reply full = cut;
  full.error.reset();
  full.items.push_back(billed("c", t0 - minutes(10), std::nullopt));
  h.api.script("partner", 0, cut);
  h.api.script("partner", 1, full);
  h.start();
  BOOST_TEST(h.run_until([&] { return h.api.calls_of("partner").size() >= 1 && h.api.in_flight() == 0; }));
  BOOST_TEST(calls(h, "B101") == 0);
  BOOST_TEST(calls(h, "B303") == 0);
  BOOST_TEST(!has_series(h, "voxo_calls_total", "B303"));  // not even created
  BOOST_TEST(h.c->snapshot().size() == 1u);
  BOOST_TEST(h.run_until([&] { return h.value("voxo_collector_polls_total", {{"result", "success"}}) >= 1; }));
  BOOST_TEST(calls(h, "B101") == 1);
  BOOST_TEST(calls(h, "B303") == 1);
  BOOST_TEST(calls(h, "partner") == 1);
}

BOOST_AUTO_TEST_CASE(windows_are_capped_at_24_hours_and_ask_no_tenant) {
  collector_harness h;
  partner_wide(h);
  h.cfg.collector.lookback = hours(24 * 3);
  h.start();
  BOOST_TEST(run_polls(h, 1));
  const auto asked = h.api.calls_of("partner");
  BOOST_TEST_REQUIRE(asked.size() >= 3u);
  for (const auto& c : asked) BOOST_TEST((c.window.end - c.window.start) <= hours(24));
  BOOST_TEST(h.api.calls().size() == asked.size());  // nothing scoped to a tenant
  BOOST_TEST((asked.front().window.start == t0 - hours(72)));
  BOOST_TEST((asked.back().window.end == t0 - h.cfg.collector.delay));
}

BOOST_AUTO_TEST_CASE(accounts_past_the_cap_count_as_the_partner) {
  collector_harness h;
  partner_wide(h, 2);
  fake_reply r;
  r.items = {billed("a", t0 - minutes(30), "B101"), billed("b", t0 - minutes(29), "X1"),
             billed("c", t0 - minutes(28), "X2"),   billed("d", t0 - minutes(27), "X3"),
             billed("e", t0 - minutes(26), "X4"),   billed("f", t0 - minutes(25), "X1")};
  h.api.script("partner", 0, r);
  h.start();
  BOOST_TEST(run_polls(h, 1));
  BOOST_TEST(calls(h, "B101") == 1);  // configured accounts don't count against the cap
  BOOST_TEST(calls(h, "X1") == 2);
  BOOST_TEST(calls(h, "X2") == 1);
  BOOST_TEST(!has_series(h, "voxo_calls_total", "X3"));
  BOOST_TEST(calls(h, "partner") == 2);
  BOOST_TEST(h.value("voxo_collector_partner_unattributed_records_total", {}) == 2);
}

BOOST_AUTO_TEST_CASE(a_record_seen_again_under_another_account_counts_once) {
  collector_harness h;
  partner_wide(h);
  fake_reply first, second;
  first.items = {billed("a", t0 - minutes(10), "B101")};
  second.items = {billed("a", t0 - minutes(10), "X5"), billed("b", t0 - minutes(5), "B101")};
  h.api.script("partner", 0, first);
  h.api.script("partner", 1, second);
  h.start();
  BOOST_TEST(run_polls(h, 2));
  BOOST_TEST(calls(h, "B101") == 2);
  BOOST_TEST(h.value("voxo_collector_duplicate_records_total", {}) == 1);
  BOOST_TEST(!has_series(h, "voxo_calls_total", "X5"));  // a duplicate alone admits no account
}

BOOST_AUTO_TEST_CASE(account_counters_carry_over_a_reload) {
  std::vector<collector::tenant_snapshot> state;
  {
    collector_harness h;
    partner_wide(h);
    fake_reply r;
    r.items = {billed("a", t0 - minutes(30), "B101"), billed("b", t0 - minutes(20), "X9")};
    h.api.script("partner", 0, r);
    h.start();
    BOOST_TEST(run_polls(h, 1));
    h.c->stop();
    state = h.c->snapshot();
  }
  BOOST_TEST(state.size() == 3u);
  collector_harness h;  // a fresh process: the counters come back from the state
  partner_wide(h);
  h.c = std::make_unique<collector::collector>(h.ioc.get_executor(), h.api, h.metrics, h.cfg, h.opts);
  h.c->start(state);
  BOOST_TEST(calls(h, "X9") == 1);
  BOOST_TEST(calls(h, "B101") == 1);
  BOOST_TEST(run_polls(h, 1));
  BOOST_TEST(calls(h, "X9") == 1);
  BOOST_TEST(h.c->snapshot().size() == 3u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(account_attribution)

BOOST_AUTO_TEST_CASE(a_billing_id_that_normalizes_to_the_partner_label_stays_with_the_partner) {
  config::partner_config cfg;
  collector::account_map m(cfg, "partner");
  BOOST_TEST(m.label_for("partner").empty());
  BOOST_TEST(m.label_for("").empty());
  BOOST_TEST(m.label_for(std::string(100, 'x')).empty());  // too long to be a billing code
  BOOST_TEST(m.label_for("ab/c") == "ab_c");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(partner_batch_staging)

// Each record's call values go to its account's part only: the wrapped whole-window batch
// keeps the ids and counts, and building its values too would add every call twice.
BOOST_AUTO_TEST_CASE(call_values_are_staged_once_in_the_account_parts_and_not_for_the_whole_window) {
  config::partner_config cfg;
  collector::account_map accounts(cfg, "partner");
  collector::dedupe_set known;
  known.insert("old", t0 - minutes(40));
  collector::partner_batch b(known, {t0 - hours(1), t0}, accounts);
  b.on_record(billed("a", t0 - minutes(30), "X1"));
  b.on_record(billed("b", t0 - minutes(29), "X1", "OUT"));
  b.on_record(billed("c", t0 - minutes(28), std::nullopt));
  b.on_record(billed("a", t0 - minutes(30), "X1"));    // seen earlier in this reply
  b.on_record(billed("old", t0 - minutes(40), "X2"));  // committed before
  BOOST_TEST(b.whole().records() == 3u);
  BOOST_TEST(b.whole().duplicates() == 2u);
  BOOST_TEST((b.whole().deltas() == metrics::call_deltas{}));
  std::uint64_t staged = 0;
  for (const auto& [label, part] : b.parts()) staged += part.deltas.total_calls();
  BOOST_TEST(staged == 3u);
  BOOST_TEST(b.parts().at("X1").deltas.total_calls() == 2u);
  BOOST_TEST(b.parts().at("partner").deltas.total_calls() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

// Records the API revises (issue #12): some call-record APIs fill fields in later (MOS,
// duration) under the same id, and may move its `time`. Such a record is counted once, with
// its first version's values; a return with changed counted values is counted in
// voxo_collector_revised_records_total, and the id is remembered by the latest time it was
// seen with, so a later window can never count it again.

#include <boost/test/unit_test.hpp>

#include <regex>
#include <string>

#include "collector/partner_batch.hpp"
#include "collector/state_file.hpp"
#include "collector/window_batch.hpp"
#include "state_harness.hpp"
#include "window_api.hpp"

namespace {
using namespace voxo;
using namespace voxo::test;
using std::chrono::minutes;

double value(collector_harness& h, const std::string& name, const std::string& tenant = "37") {
  return h.value(name, {{"tenant", tenant}});
}
double revised(collector_harness& h, const std::string& tenant = "37") {
  return value(h, "voxo_collector_revised_records_total", tenant);
}
double duplicates(collector_harness& h, const std::string& tenant = "37") {
  return value(h, "voxo_collector_duplicate_records_total", tenant);
}
double calls(collector_harness& h, const std::string& tenant = "37") { return value(h, "voxo_calls_total", tenant); }
bool run_polls(collector_harness& h, double n, const std::string& tenant = "37") {
  return h.run_until([&] { return value(h, "voxo_collector_polls_total", tenant) >= n; });
}

// An answered call whose MOS the API has not measured yet (the first version of the record).
api::cdr unmeasured(std::string id, std::chrono::sys_seconds time) {
  auto r = make_cdr(std::move(id), time);
  r.duration = 30;
  return r;
}
api::cdr with_mos(api::cdr r, double mos) {
  r.mos = mos;
  return r;
}

// Tenant 37's first two requests get `first` and `second`.
void two_replies(collector_harness& h, const api::cdr& first, const api::cdr& second) {
  fake_reply a, b;
  a.items = {first};
  b.items = {second};
  h.api.script("37", 0, a);
  h.api.script("37", 1, b);
}

// A state file of version 2 (before fingerprints): tenant 37, watermark t0 - 2m, id `id`.
std::string version_2_state(const std::string& id, std::chrono::sys_seconds id_time) {
  collector::tenant_snapshot t;
  t.label = "37";
  t.watermark = t0 - minutes(2);
  t.ids.insert(id, id_time, 12345);
  t.totals.add(make_cdr(id, id_time));
  t.counts.records = 1;
  auto text = collector::serialize_state({t}, t0);
  text = std::regex_replace(text, std::regex(R"("version":3)"), R"("version":2)");
  text = std::regex_replace(text, std::regex(R"(,12345\])"), "]");
  text = std::regex_replace(text, std::regex(R"("revised":0,)"), "");
  return text;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(revised_records)

BOOST_AUTO_TEST_CASE(an_id_re_sent_with_a_later_time_at_each_of_6_polls_is_counted_once) {
  window_rig rig;
  auto& h = rig.h;
  h.add_tenant(37);
  // Every poll 20 minutes later, the API returns the same call with a time 5 minutes before
  // that poll's window end: each time past the overlap horizon of the time it had before.
  auto resend_at = [&](int k) {
    h.wall = t0 + minutes(20 * k);
    rig.api.records["37"] = {unmeasured("a", h.wall - minutes(7))};
  };
  resend_at(0);
  h.start();
  for (int k = 0; k < 6; ++k) {
    if (k > 0) resend_at(k);
    BOOST_TEST_REQUIRE(run_polls(h, k + 1));
  }
  BOOST_TEST(rig.api.requests_of("37").size() == 6u);
  BOOST_TEST(calls(h) == 1);
  BOOST_TEST(value(h, "voxo_collector_records_total") == 1);
  BOOST_TEST(duplicates(h) == 5);
  BOOST_TEST(revised(h) == 0);
  BOOST_TEST(h.c->find("37")->seen.contains("a"));
}

BOOST_AUTO_TEST_CASE(an_id_re_sent_with_a_changed_mos_is_counted_once_and_as_one_revision) {
  collector_harness h;
  h.add_tenant(37);
  const auto first = unmeasured("a", t0 - minutes(10));
  two_replies(h, first, with_mos(first, 4.1));
  h.start();
  BOOST_TEST_REQUIRE(run_polls(h, 2));
  BOOST_TEST(calls(h) == 1);
  BOOST_TEST(revised(h) == 1);
  BOOST_TEST(duplicates(h) == 0);
  // The first version's values stay: the MOS filled in later is not observed.
  BOOST_TEST(h.value("voxo_call_mos_count", {{"tenant", "37"}}) == 0);
  BOOST_TEST(h.value("voxo_call_duration_seconds_count", {{"tenant", "37"}}) == 1);
}

BOOST_AUTO_TEST_CASE(an_id_re_sent_unchanged_is_a_duplicate_not_a_revision) {
  collector_harness h;
  h.add_tenant(37);
  const auto first = with_mos(unmeasured("a", t0 - minutes(10)), 4.1);
  auto later = first;
  later.time += minutes(1);  // the time is not a counted value
  two_replies(h, first, later);
  h.start();
  BOOST_TEST_REQUIRE(run_polls(h, 2));
  BOOST_TEST(calls(h) == 1);
  BOOST_TEST(duplicates(h) == 1);
  BOOST_TEST(revised(h) == 0);
}

BOOST_AUTO_TEST_CASE(a_revision_is_counted_once_however_often_the_revised_version_comes_back) {
  collector_harness h;
  h.add_tenant(37);
  const auto first = unmeasured("a", t0 - minutes(10));
  fake_reply a, b;
  a.items = {first};
  b.items = {with_mos(first, 4.1), with_mos(first, 4.1)};
  h.api.script("37", 0, a);
  h.api.set_default("37", b);
  h.start();
  BOOST_TEST_REQUIRE(run_polls(h, 3));
  BOOST_TEST(calls(h) == 1);
  BOOST_TEST(revised(h) == 1);
  BOOST_TEST(duplicates(h) == 3);
}

BOOST_AUTO_TEST_CASE(revisions_within_one_reply_count_too) {
  collector_harness h;
  h.add_tenant(37);
  const auto first = unmeasured("a", t0 - minutes(10));
  fake_reply r;
  r.items = {first, with_mos(first, 4.1), with_mos(first, 4.1)};
  h.api.script("37", 0, r);
  h.start();
  BOOST_TEST_REQUIRE(run_polls(h, 1));
  BOOST_TEST(calls(h) == 1);
  BOOST_TEST(revised(h) == 1);
  BOOST_TEST(duplicates(h) == 1);
  BOOST_TEST(h.value("voxo_call_mos_count", {{"tenant", "37"}}) == 0);
}

BOOST_FIXTURE_TEST_CASE(the_revision_count_and_the_last_values_survive_a_state_save_and_load, state_file_dir) {
  const auto first = unmeasured("a", t0 - minutes(10));
  const auto second = with_mos(first, 4.1);
  {
    state_harness h(path);
    two_replies(h, first, second);
    h.start();
    BOOST_TEST_REQUIRE(run_polls(h, 2));
    BOOST_TEST(revised(h) == 1);
    h.c->stop();  // saves
  }
  BOOST_TEST(read(path).find(R"("revised":1)") != std::string::npos);
  state_harness h(path);
  h.wall = t0 + minutes(1);
  fake_reply again;
  again.items = {second};  // the version seen last before the restart: not a revision again
  h.api.set_default("37", again);
  h.start();
  BOOST_TEST_REQUIRE(h.run_until([&] { return h.c->find("37")->last_success.has_value() && h.c->published(); }));
  BOOST_TEST(revised(h) == 1);  // restored, not counted again
  BOOST_TEST(duplicates(h) == 1);
  BOOST_TEST(calls(h) == 1);
}

BOOST_FIXTURE_TEST_CASE(an_old_version_state_file_loads_and_its_ids_do_not_count_as_revised, state_file_dir) {
  const auto written = collector::write_state_file(path, version_2_state("a", t0 - minutes(10)));
  BOOST_TEST_REQUIRE(written.has_value(), written.error());
  state_harness h(path);
  fake_reply r;
  r.items = {with_mos(unmeasured("a", t0 - minutes(10)), 4.1)};  // values the file can't compare
  h.api.set_default("37", r);
  h.start();
  BOOST_TEST_REQUIRE(h.run_until([&] { return h.c->find("37")->last_success.has_value() && h.c->published(); }));
  BOOST_TEST(calls(h) == 1);  // the saved total, nothing added
  BOOST_TEST(duplicates(h) == 1);
  BOOST_TEST(revised(h) == 0);
}

BOOST_AUTO_TEST_CASE(in_partner_wide_mode_a_revision_counts_for_the_account_of_the_record) {
  collector_harness h;
  h.cfg.tenants = {{api::partner_scope{}, "partner", ""}};
  h.cfg.partner.enabled = true;
  h.cfg.partner.accounts = {{api::billing_code_scope{"B101"}, "B101", "Acme"}};
  auto first = unmeasured("a", t0 - minutes(10));
  first.billing_id = "B101";
  auto unbilled = unmeasured("b", t0 - minutes(9));
  fake_reply a, b;
  a.items = {first, unbilled};
  b.items = {with_mos(first, 4.1), with_mos(unbilled, 3.9)};
  h.api.script("partner", 0, a);
  h.api.script("partner", 1, b);
  h.start();
  BOOST_TEST_REQUIRE(run_polls(h, 2, "partner"));
  BOOST_TEST(calls(h, "B101") == 1);
  BOOST_TEST(revised(h, "B101") == 1);
  BOOST_TEST(revised(h, "partner") == 1);  // the record without a billingId is the partner's
  BOOST_TEST(duplicates(h, "B101") == 0);
}

BOOST_AUTO_TEST_CASE(every_counted_field_changes_the_fingerprint_and_none_is_the_reserved_value) {
  api::cdr r = unmeasured("a", t0);
  const auto base = collector::counted_fingerprint(r);
  BOOST_TEST(base != collector::dedupe_set::unknown_fingerprint);
  auto changed = [&](auto&& edit) {
    api::cdr c = r;
    edit(c);
    return collector::counted_fingerprint(c) != base;
  };
  BOOST_TEST(changed([](api::cdr& c) { c.direction = api::call_direction::out; }));
  BOOST_TEST(changed([](api::cdr& c) { c.disposition = api::call_disposition::busy; }));
  BOOST_TEST(changed([](api::cdr& c) { c.duration = 31; }));
  BOOST_TEST(changed([](api::cdr& c) { c.duration.reset(); }));
  BOOST_TEST(changed([](api::cdr& c) { c.after_answer_duration = 25; }));
  BOOST_TEST(changed([](api::cdr& c) { c.mos = 4.1; }));
  BOOST_TEST(changed([](api::cdr& c) { c.percent_jitter = 0.5; }));
  BOOST_TEST(changed([](api::cdr& c) { c.packet_loss = 0.1; }));
  BOOST_TEST(changed([](api::cdr& c) { c.recorded = true; }));
  BOOST_TEST(changed([](api::cdr& c) { c.queue_call = false; }));
  BOOST_TEST(changed([](api::cdr& c) { c.is_toll_free = true; }));
  BOOST_TEST(changed([](api::cdr& c) { c.is_international = false; }));
  BOOST_TEST(changed([](api::cdr& c) { c.jurisdiction = "INTERSTATE"; }));
  // Not counted: the id, the time and the fields no metric reads.
  BOOST_TEST(!changed([](api::cdr& c) { c.time += minutes(5); }));
  BOOST_TEST(!changed([](api::cdr& c) { c.id = "b"; }));
  BOOST_TEST(!changed([](api::cdr& c) { c.partner_id = "P1"; }));
}

BOOST_AUTO_TEST_CASE(a_batch_stages_the_later_time_and_new_values_of_a_known_id_for_commit) {
  collector::dedupe_set known;
  const auto first = unmeasured("a", t0 - minutes(50));
  known.insert("a", first.time, collector::counted_fingerprint(first));
  collector::window_batch b(known, {t0 - minutes(60), t0});
  auto later = with_mos(first, 4.1);
  later.time = t0 - minutes(5);
  b.on_record(later);
  BOOST_TEST(b.records() == 0u);
  BOOST_TEST(b.revised() == 1u);
  BOOST_TEST(b.duplicates() == 0u);
  BOOST_TEST((known.find(collector::dedupe_set::make_key("a"))->time == first.time));  // not before commit
  b.commit_ids(known);
  const auto e = known.find(collector::dedupe_set::make_key("a"));
  BOOST_TEST_REQUIRE(e.has_value());
  BOOST_TEST((e->time == later.time));
  BOOST_TEST(e->print == collector::counted_fingerprint(later));
  BOOST_TEST(known.prune_before(t0 - minutes(6)) == 0u);  // remembered by its latest time
}

BOOST_AUTO_TEST_CASE(an_unknown_fingerprint_takes_the_values_seen_next_without_a_revision) {
  collector::dedupe_set known;
  const auto first = unmeasured("2d275d62-706c-42d2-a4d4-e4ef53d83974", t0 - minutes(5));
  known.insert(first.id, first.time);  // as loaded from a version 2 file
  {
    collector::window_batch b(known, {t0 - minutes(60), t0});
    b.on_record(with_mos(first, 4.1));
    BOOST_TEST(b.duplicates() == 1u);
    BOOST_TEST(b.revised() == 0u);
    b.commit_ids(known);
  }
  collector::window_batch b(known, {t0 - minutes(60), t0});
  b.on_record(with_mos(first, 4.1));
  b.on_record(with_mos(first, 3.0));
  BOOST_TEST(b.duplicates() == 1u);
  BOOST_TEST(b.revised() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

// A reply over api.max_response_bytes: the window is split in two, recursively, until each
// part fits; nothing is lost or counted twice, and a single second still too large fails.

#include <boost/test/unit_test.hpp>

#include "collector_harness.hpp"
#include "window_api.hpp"

namespace {
using namespace voxo;
using namespace voxo::test;
using std::chrono::minutes;
using std::chrono::seconds;

using rig = window_rig;

// `n` records of tenant 37, one every `step`, the last at `last`.
std::vector<api::cdr> spread(std::size_t n, std::chrono::sys_seconds last, seconds step) {
  std::vector<api::cdr> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(make_cdr("r" + std::to_string(i), last - step * static_cast<long>(i)));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(collector_large_replies)

BOOST_AUTO_TEST_CASE(a_window_too_large_is_split_until_each_part_fits_and_every_call_counts_once) {
  rig r;
  r.h.add_tenant(37);
  r.api.records["37"] = spread(120, t0 - minutes(3), seconds(28));  // ~56 minutes of calls
  r.api.max_records = 10;
  r.h.start();
  BOOST_TEST_REQUIRE(r.h.run_until([&] { return r.polls("37", "success") >= 1; }));
  BOOST_TEST(r.h.value("voxo_calls_total", {{"tenant", "37"}}) == 120);
  BOOST_TEST(r.h.value("voxo_collector_records_total", {{"tenant", "37"}}) == 120);
  BOOST_TEST((r.h.c->find("37")->watermark == t0 - minutes(2)));
  // Records streamed before a too_large were dropped with their batch, never counted.
  std::size_t too_large = 0;
  for (const auto& q : r.api.requests_of("37")) too_large += q.error == api::api_errc::too_large;
  BOOST_TEST(too_large > 0u);
  BOOST_TEST(r.h.value("voxo_collector_requests_total", {{"tenant", "37"}, {"code", "error"}}) ==
             static_cast<double>(too_large));
  BOOST_TEST(r.polls("37", "failure") == 0);
  // The parts that succeeded tile the window asked for, in time order.
  std::optional<std::chrono::sys_seconds> reached;
  for (const auto& q : r.api.requests_of("37")) {
    if (!q.ok) continue;
    if (reached) BOOST_TEST((q.window.start == *reached));
    reached = q.window.end;
  }
  BOOST_TEST((reached == t0 - minutes(2)));
}

BOOST_AUTO_TEST_CASE(the_next_poll_starts_with_a_window_no_longer_than_what_fit) {
  rig r;
  r.h.add_tenant(37);
  r.h.cfg.api.max_response_bytes = 10'000;  // the fake's replies are 1000 bytes a record
  r.api.records["37"] = spread(120, t0 - minutes(3), seconds(28));
  r.api.max_records = 10;
  r.h.start();
  BOOST_TEST_REQUIRE(r.h.run_until([&] { return r.polls("37", "success") >= 1; }));
  const auto before = r.api.requests_of("37").size();
  r.h.wall = t0 + std::chrono::hours(1);  // the next poll asks the overlap plus an hour
  BOOST_TEST_REQUIRE(r.h.run_until([&] { return r.polls("37", "success") >= 2; }));
  const auto all = r.api.requests_of("37");
  BOOST_TEST_REQUIRE(all.size() > before);
  const auto asked = all[before].window.end - all[before].window.start;
  BOOST_TEST((asked <= minutes(30)), "the first request of the next poll asked " << asked.count() << " s");
  BOOST_TEST(r.h.value("voxo_calls_total", {{"tenant", "37"}}) == 120);
}

BOOST_AUTO_TEST_CASE(a_single_second_still_too_large_fails_the_poll_and_the_watermark_waits) {
  rig r;
  r.h.add_tenant(37);
  r.h.add_tenant(42);
  auto crowded = spread(5, t0 - minutes(30), seconds(600));
  for (int i = 0; i < 20; ++i) crowded.push_back(make_cdr("same-second-" + std::to_string(i), t0 - minutes(20)));
  r.api.records["37"] = crowded;
  r.api.records["42"] = spread(3, t0 - minutes(30), seconds(60));
  r.api.max_records = 10;
  r.h.start();
  BOOST_TEST_REQUIRE(r.h.run_until([&] { return r.polls("37", "failure") >= 1 && r.polls("42", "success") >= 1; }));
  const auto* t = r.h.c->find("37");
  BOOST_TEST(t->last_error.find("max_response_bytes") != std::string::npos, t->last_error);
  BOOST_TEST_REQUIRE(t->watermark.has_value());  // the parts before the crowded second are in
  BOOST_TEST((*t->watermark < t0 - minutes(20)));
  BOOST_TEST((*t->watermark >= t0 - minutes(20) - seconds(1)));
  BOOST_TEST(r.h.value("voxo_up", {{"tenant", "37"}}) == 0);
  BOOST_TEST(r.h.value("voxo_calls_total", {{"tenant", "42"}}) == 3);  // the other tenant is fine
}

BOOST_AUTO_TEST_SUITE_END()

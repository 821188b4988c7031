#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <set>

#include "collector/async_semaphore.hpp"
#include "collector/backoff.hpp"
#include "collector/dedupe_set.hpp"
#include "collector/tenant_filter.hpp"
#include "collector/window_batch.hpp"
#include "support/fake_api_client.hpp"

namespace {
using namespace voxo;
using namespace std::chrono_literals;
const std::chrono::sys_seconds t0{std::chrono::seconds(1'700'000'000)};
}  // namespace

BOOST_AUTO_TEST_SUITE(backoff)

BOOST_AUTO_TEST_CASE(delays_double_per_failure_up_to_the_cap) {
  collector::backoff_policy p{1000ms, 5000ms};
  BOOST_TEST(collector::backoff_delay(p, 1, std::nullopt, 1.0).count() == 1000);
  BOOST_TEST(collector::backoff_delay(p, 2, std::nullopt, 1.0).count() == 2000);
  BOOST_TEST(collector::backoff_delay(p, 3, std::nullopt, 1.0).count() == 4000);
  BOOST_TEST(collector::backoff_delay(p, 9, std::nullopt, 1.0).count() == 5000);
}

BOOST_AUTO_TEST_CASE(jitter_stays_in_the_upper_half) {
  collector::backoff_policy p{1000ms, 5000ms};
  BOOST_TEST(collector::backoff_delay(p, 2, std::nullopt, 0.0).count() == 1000);
  BOOST_TEST(collector::backoff_delay(p, 2, std::nullopt, 0.5).count() == 1500);
}

BOOST_AUTO_TEST_CASE(retry_after_is_a_floor_even_above_the_cap) {
  collector::backoff_policy p{1000ms, 5000ms};
  BOOST_TEST(collector::backoff_delay(p, 1, std::chrono::seconds(30), 0.0).count() == 30000);
  BOOST_TEST(collector::backoff_delay(p, 3, std::chrono::seconds(1), 1.0).count() == 4000);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(dedupe)

BOOST_AUTO_TEST_CASE(prune_drops_only_ids_before_the_cutoff) {
  collector::dedupe_set s;
  s.insert("a", t0 - 10s);
  s.insert("b", t0);
  BOOST_TEST(s.prune_before(t0) == 1u);
  BOOST_TEST(!s.contains("a"));
  BOOST_TEST(s.contains("b"));
}

BOOST_AUTO_TEST_CASE(uuid_and_other_ids_are_kept_exactly_as_received) {
  collector::dedupe_set s;
  const std::string uuid = "2d275d62-706c-42d2-a4d4-e4ef53d83974";
  s.insert(uuid, t0);
  s.insert("2D275D62-706C-42D2-A4D4-E4EF53D83974", t0);  // another spelling is another id
  s.insert("atl-ast2-1665457640.1430167", t0);
  BOOST_TEST(s.size() == 3u);
  BOOST_TEST(s.contains(uuid));
  BOOST_TEST(!s.contains("2d275d62-706c-42d2-a4d4-e4ef53d83975"));
  std::set<std::string> ids;
  s.for_each([&](const std::string& id, std::chrono::sys_seconds) { ids.insert(id); });
  BOOST_TEST(ids.count(uuid) == 1u);
  BOOST_TEST(ids.count("2D275D62-706C-42D2-A4D4-E4EF53D83974") == 1u);
  BOOST_TEST(ids.count("atl-ast2-1665457640.1430167") == 1u);
}

BOOST_AUTO_TEST_CASE(absorb_moves_ids_and_keeps_the_later_time) {
  collector::dedupe_set a, b;
  a.insert("x", t0 - 10s);
  b.insert("x", t0);
  b.insert("2d275d62-706c-42d2-a4d4-e4ef53d83974", t0);
  a.absorb(std::move(b));
  BOOST_TEST(a.size() == 2u);
  BOOST_TEST(a.prune_before(t0 - 1s) == 0u);
}

BOOST_AUTO_TEST_CASE(a_record_time_outside_the_window_is_remembered_until_the_window_end) {
  collector::dedupe_set known;
  collector::window_batch b(known, {t0 - 1h, t0});
  b.on_record(test::make_cdr("zone-shifted", t0 - 5h));
  BOOST_TEST(b.outside_window() == 1u);
  collector::dedupe_set into;
  b.commit_ids(into);
  BOOST_TEST(into.prune_before(t0 - 1s) == 0u);  // kept: the API may send it again until t0
  BOOST_TEST(into.contains("zone-shifted"));
}

BOOST_AUTO_TEST_CASE(a_record_time_after_the_window_is_remembered_until_that_time_within_the_hold) {
  collector::dedupe_set known;
  collector::window_batch b(known, {t0 - 1h, t0});
  b.hold_outside_ids_for(1h);
  b.on_record(test::make_cdr("misplaced", t0 + 30min));
  BOOST_TEST(b.records() == 1u);  // counted: the API's filter decides the window
  BOOST_TEST(b.outside_window() == 1u);
  collector::dedupe_set into;
  b.commit_ids(into);
  BOOST_TEST(into.prune_before(t0 + 30min) == 0u);  // its own window may still return it
  BOOST_TEST(into.prune_before(t0 + 30min + 1s) == 1u);
}

BOOST_AUTO_TEST_CASE(a_far_future_record_time_is_remembered_no_longer_than_the_hold) {
  collector::dedupe_set known;
  collector::window_batch b(known, {t0 - 1h, t0});
  b.hold_outside_ids_for(1h);
  b.on_record(test::make_cdr("year-3000", t0 + std::chrono::days(365 * 977)));
  collector::dedupe_set into;
  b.commit_ids(into);
  BOOST_TEST(into.prune_before(t0 + 1h) == 0u);
  BOOST_TEST(into.prune_before(t0 + 1h + 1s) == 1u);
}

BOOST_AUTO_TEST_CASE(a_batch_counts_known_ids_as_duplicates_and_stages_the_rest) {
  collector::dedupe_set known;
  known.insert("a", t0);
  collector::window_batch b(known, {t0 - 1h, t0});
  b.on_record(test::make_cdr("a", t0 - 1min));
  b.on_record(test::make_cdr("b", t0 - 1min));
  b.on_record(test::make_cdr("b", t0 - 1min));
  b.on_record(test::make_cdr("", t0 - 1min));
  BOOST_TEST(b.records() == 1u);
  BOOST_TEST(b.duplicates() == 2u);
  BOOST_TEST(b.invalid() == 1u);
  BOOST_TEST(!known.contains("b"));  // nothing reaches the tenant before commit
  b.commit_ids(known);
  BOOST_TEST(known.contains("b"));
}

// The parser hints each record's id early (for prefetching); a hint that does not match the
// record that completes (a numeric id gives none) must not change which id is counted.
BOOST_AUTO_TEST_CASE(an_early_id_hint_never_stands_in_for_a_different_record_id) {
  const std::string u1 = "2d275d62-706c-42d2-a4d4-e4ef53d83974";
  const std::string u2 = "ae8a5f62-7bd3-46a0-84d6-a3d46b35c886";
  collector::dedupe_set known;
  collector::window_batch b(known, {t0 - 1h, t0});
  b.on_record_id(u1);
  b.on_record(test::make_cdr(u1, t0 - 1min));
  b.on_record(test::make_cdr(u2, t0 - 1min));  // stale hint (u1)
  b.on_record_id(u2);
  b.on_record(test::make_cdr(u2, t0 - 1min));  // a duplicate, hinted
  b.on_record_id("not-a-uuid");
  b.on_record(test::make_cdr(u1, t0 - 1min));  // a duplicate, hint of a record that failed
  BOOST_TEST(b.records() == 2u);
  BOOST_TEST(b.duplicates() == 2u);
  b.commit_ids(known);
  BOOST_TEST(known.contains(u1));
  BOOST_TEST(known.contains(u2));
  BOOST_TEST(!known.contains("not-a-uuid"));
  BOOST_TEST(known.size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(discovery_filter)

BOOST_AUTO_TEST_CASE(include_and_exclude_match_the_whole_id_or_name) {
  collector::tenant_filter f({"3.", "Acme.*"}, {"Acme Test"});
  BOOST_TEST(f.accepts("37", "x"));
  BOOST_TEST(!f.accepts("137", "x"));
  BOOST_TEST(f.accepts("5", "Acme Corp"));
  BOOST_TEST(!f.accepts("5", "Acme Test"));
  BOOST_TEST(collector::tenant_filter({}, {}).accepts("1", ""));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(semaphore)

BOOST_AUTO_TEST_CASE(waiters_get_permits_in_order_and_never_more_than_the_limit) {
  boost::asio::io_context ioc;
  collector::async_semaphore sem(ioc.get_executor(), 2);
  std::vector<int> order;
  std::size_t max_in_use = 0;
  for (int i = 0; i < 5; ++i) {
    boost::asio::co_spawn(
        ioc,
        [&, i]() -> boost::asio::awaitable<void> {
          auto p = co_await sem.acquire();
          order.push_back(i);
          max_in_use = std::max(max_in_use, sem.in_use());
          boost::asio::steady_timer t(ioc, 5ms);
          co_await t.async_wait(boost::asio::use_awaitable);
        },
        boost::asio::detached);
  }
  ioc.run_for(5s);
  BOOST_TEST(order == (std::vector<int>{0, 1, 2, 3, 4}));
  BOOST_TEST(max_in_use == 2u);
  BOOST_TEST(sem.in_use() == 0u);
  BOOST_TEST(sem.waiting() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

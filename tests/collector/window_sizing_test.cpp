#include <boost/test/unit_test.hpp>

#include "collector/window_sizing.hpp"

namespace {
using namespace voxo;
using namespace std::chrono_literals;
const std::chrono::sys_seconds t0{std::chrono::seconds(1'700'000'000)};

collector::tenant_state tenant_of(api::query_scope scope) {
  collector::tenant_state t;
  t.cfg.scope = scope;
  t.cfg.label = "t";
  return t;
}
}  // namespace

BOOST_AUTO_TEST_SUITE(window_sizing)

BOOST_AUTO_TEST_CASE(a_first_poll_spans_the_lookback_and_later_ones_start_an_overlap_before_the_watermark) {
  config::collector_config cfg;
  cfg.delay = 2min;
  cfg.overlap = 15min;
  cfg.lookback = 1h;
  auto t = tenant_of(api::tenant_scope{7});
  BOOST_TEST((collector::poll_span(t, t0, cfg) == api::time_window{t0 - 1h, t0 - 2min}));
  t.watermark = t0 - 10min;
  BOOST_TEST((collector::poll_span(t, t0, cfg) == api::time_window{t0 - 25min, t0 - 2min}));
}

BOOST_AUTO_TEST_CASE(a_too_large_window_becomes_its_halves_earlier_first_and_the_tenant_remembers_the_length) {
  auto t = tenant_of(api::tenant_scope{7});
  collector::window_queue todo({t0, t0 + 100s}, collector::window_cap(t));
  BOOST_TEST(todo.halve_front(t, 1s));
  BOOST_TEST((todo.front() == api::time_window{t0, t0 + 50s}));
  BOOST_TEST((t.max_window == std::optional(std::chrono::seconds(50))));
  BOOST_TEST(collector::window_cap(t).count() == 50);
  todo.pop();
  BOOST_TEST((todo.front() == api::time_window{t0 + 50s, t0 + 100s}));
  todo.pop();
  BOOST_TEST(todo.empty());
}

BOOST_AUTO_TEST_CASE(a_window_at_the_minimum_length_is_not_halved) {
  auto t = tenant_of(api::tenant_scope{7});
  collector::window_queue todo({t0, t0 + 2s}, collector::window_cap(t));
  BOOST_TEST(!todo.halve_front(t, 2s));
  BOOST_TEST((todo.front() == api::time_window{t0, t0 + 2s}));
  BOOST_TEST(!t.max_window);
}

BOOST_AUTO_TEST_CASE(small_replies_double_the_remembered_length_until_the_apis_cap) {
  auto t = tenant_of(api::partner_scope{});  // 24 h cap
  t.max_window = 8h;
  collector::grow_after_reply(t, 250, 1000);  // a quarter of the limit: not small
  BOOST_TEST(t.max_window->count() == std::chrono::seconds(8h).count());
  collector::grow_after_reply(t, 249, 1000);
  BOOST_TEST(t.max_window->count() == std::chrono::seconds(16h).count());
  collector::grow_after_reply(t, 0, 1000);  // 32 h >= the cap: back to the API's cap
  BOOST_TEST(!t.max_window);
  BOOST_TEST(collector::window_cap(t).count() == std::chrono::seconds(24h).count());
}

BOOST_AUTO_TEST_SUITE_END()

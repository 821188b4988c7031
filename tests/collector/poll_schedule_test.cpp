#include <boost/test/unit_test.hpp>

#include <chrono>
#include <set>

#include "collector/poll_schedule.hpp"

namespace {
using namespace std::chrono_literals;
using voxo::collector::first_poll_delay;
using voxo::collector::next_tick;
using tp = std::chrono::steady_clock::time_point;
const tp base{std::chrono::hours(1)};
}  // namespace

BOOST_AUTO_TEST_SUITE(poll_schedule)

BOOST_AUTO_TEST_CASE(first_polls_each_land_in_their_own_slot_of_the_interval) {
  const std::chrono::steady_clock::duration interval = 60s;
  for (double jitter : {0.0, 0.5, 0.999}) {
    for (std::size_t i = 0; i < 4; ++i) {
      const auto d = first_poll_delay(i, 4, interval, jitter);
      BOOST_TEST(d >= interval * i / 4);
      BOOST_TEST(d < interval * (i + 1) / 4);
    }
  }
}

BOOST_AUTO_TEST_CASE(jitter_moves_a_first_poll_inside_its_slot) {
  const std::chrono::steady_clock::duration interval = 60s;
  BOOST_TEST((first_poll_delay(1, 4, interval, 0.0) != first_poll_delay(1, 4, interval, 0.5)));
  BOOST_TEST((first_poll_delay(1, 2, interval, 0.5) == std::chrono::steady_clock::duration(45s)));
}

BOOST_AUTO_TEST_CASE(the_first_tenant_polls_at_once_so_a_single_tenant_never_waits_an_interval) {
  const std::chrono::steady_clock::duration interval = 1h;
  for (double jitter : {0.0, 0.5, 0.999}) {
    BOOST_TEST((first_poll_delay(0, 1, interval, jitter) == std::chrono::steady_clock::duration::zero()));
    BOOST_TEST((first_poll_delay(0, 1000, interval, jitter) == std::chrono::steady_clock::duration::zero()));
  }
}

BOOST_AUTO_TEST_CASE(a_poll_after_a_retry_returns_to_the_tenants_own_phase) {
  // Two tenants 10 s apart; an outage hits both, their retries end at the same instant.
  const std::chrono::steady_clock::duration interval = 60s;
  const tp a = base, b = base + 10s;
  const tp recovered = base + 7min + 3s;
  const auto next_a = next_tick(a, recovered, interval);
  const auto next_b = next_tick(b, recovered, interval);
  BOOST_TEST(((next_a - a) % interval == std::chrono::steady_clock::duration::zero()));
  BOOST_TEST(((next_b - b) % interval == std::chrono::steady_clock::duration::zero()));
  BOOST_TEST((next_b == base + 7min + 10s));  // b's phase first, then a's: still 10 s apart on the grid
  BOOST_TEST((next_a == base + 8min));
}

BOOST_AUTO_TEST_CASE(a_long_poll_skips_the_ticks_it_overran) {
  const std::chrono::steady_clock::duration interval = 60s;
  BOOST_TEST((next_tick(base, base + 150s, interval) == base + 180s));
  BOOST_TEST((next_tick(base, base, interval) == base + 60s));
  BOOST_TEST((next_tick(base + 30s, base, interval) == base + 30s));  // not yet due: unchanged
}

BOOST_AUTO_TEST_SUITE_END()

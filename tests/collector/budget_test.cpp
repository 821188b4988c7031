#include <boost/test/unit_test.hpp>

#include <algorithm>

#include "window_api.hpp"

namespace {
using namespace voxo;
using namespace voxo::test;
using std::chrono::minutes;

bool finished(const window_request& r) { return r.ok || r.error.has_value(); }

}  // namespace

BOOST_AUTO_TEST_SUITE(api_budget)

// Five tenants want a request each every 50 ms; the budget gives one request per step of a
// frozen clock. Polls fall behind (the lag grows) but every window is fetched, none twice.
BOOST_AUTO_TEST_CASE(a_budget_too_small_for_the_tenants_makes_polls_late_but_loses_nothing) {
  window_rig w;
  auto& h = w.h;
  std::chrono::steady_clock::time_point budget_now{std::chrono::hours(1)};
  h.opts.budget_clock = [&] { return budget_now; };
  h.cfg.collector.max_requests_per_second = 1;  // burst 1
  const std::vector<std::string> tenants{"1", "2", "3", "4", "5"};
  for (std::size_t i = 0; i < tenants.size(); ++i) {
    h.add_tenant(static_cast<long long>(i + 1));
    for (int m = -55; m <= 60; m += 5)
      w.api.records[tenants[i]].push_back(make_cdr(tenants[i] + "/" + std::to_string(m), t0 + minutes(m)));
  }
  h.start();

  std::size_t tokens = 1;  // the burst
  std::chrono::milliseconds worst_lag{0};
  auto step = [&] {
    BOOST_REQUIRE(h.run_until([&] {
      return w.api.requests.size() >= tokens && std::all_of(w.api.requests.begin(), w.api.requests.end(), finished);
    }));
    BOOST_TEST(w.api.requests.size() == tokens);  // never more requests than the budget allows
    for (const auto& t : tenants)
      if (const auto* s = h.c->find(t); s && s->watermark)
        worst_lag = std::max(worst_lag, (h.wall - h.cfg.collector.delay) - *s->watermark);
    budget_now += std::chrono::seconds(1);
    ++tokens;
    h.c->budget().poke();
  };
  for (int i = 0; i < 60; ++i) {  // an hour of wall time, 60 requests for 5 tenants
    step();
    h.wall += minutes(1);
  }
  BOOST_TEST((worst_lag > minutes(2)));

  // The wall clock stops; the budget lets every tenant catch up.
  const auto final_end = h.wall - h.cfg.collector.delay;
  auto caught_up = [&] {
    return std::all_of(tenants.begin(), tenants.end(), [&](const std::string& t) {
      const auto* s = h.c->find(t);
      return s && s->watermark && *s->watermark >= final_end;
    });
  };
  for (int i = 0; i < 300 && !caught_up(); ++i) step();
  BOOST_TEST_REQUIRE(caught_up());

  for (const auto& t : tenants) {
    auto asked = w.api.requests_of(t);
    std::erase_if(asked, [](const window_request& r) { return !r.ok; });
    BOOST_TEST_REQUIRE(!asked.empty());
    std::sort(asked.begin(), asked.end(),
              [](const window_request& a, const window_request& b) { return a.window.start < b.window.start; });
    // Every instant from the first window's start to the end is in some window.
    auto covered = asked.front().window.end;
    for (const auto& r : asked) {
      BOOST_TEST((r.window.start <= covered));
      covered = std::max(covered, r.window.end);
    }
    BOOST_TEST((covered >= final_end));
    const auto from = asked.front().window.start;
    const auto expected = std::count_if(w.api.records[t].begin(), w.api.records[t].end(),
                                        [&](const api::cdr& r) { return r.time >= from && r.time <= final_end; });
    BOOST_TEST(h.value("voxo_calls_total", {{"tenant", t}}) == static_cast<double>(expected));
  }
  BOOST_TEST(h.value("voxo_collector_rate_limit_wait_seconds_total", {}) > 0);
}

BOOST_AUTO_TEST_CASE(discovery_waits_for_the_budget_too) {
  collector_harness h;
  std::chrono::steady_clock::time_point budget_now{std::chrono::hours(1)};
  h.opts.budget_clock = [&] { return budget_now; };
  h.cfg.collector.max_requests_per_second = 1;
  h.cfg.discovery.enabled = true;
  h.cfg.discovery.refresh = std::chrono::milliseconds(10);
  h.add_tenant(37);
  h.start();
  BOOST_TEST(h.run_until([&] { return h.api.calls().size() + h.api.tenant_listings() >= 1; }));
  h.run_until([] { return false; }, std::chrono::milliseconds(100));
  BOOST_TEST(h.api.calls().size() + h.api.tenant_listings() == 1u);  // the burst, nothing more
  budget_now += std::chrono::seconds(1);
  h.c->budget().poke();
  BOOST_TEST(h.run_until([&] { return h.api.calls().size() + h.api.tenant_listings() >= 2; }));
}

BOOST_AUTO_TEST_SUITE_END()

// Issue #13: records whose time lies outside the window asked for are counted (the API's
// filter decides the window), in voxo_collector_records_outside_window_total, and remembered
// until their own time has passed, so the API returning one again in its own window, long
// after the overlap moved past the first window, counts it once.

#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <functional>
#include <vector>

#include "collector_harness.hpp"

namespace {
using namespace voxo;
using namespace voxo::test;
using std::chrono::minutes;

// Serves whatever `serve` returns for the window asked, without checking the times.
class misplacing_api : public api::api_client {
 public:
  explicit misplacing_api(boost::asio::any_io_executor ex) : ex_(std::move(ex)) {}
  std::function<std::vector<api::cdr>(const api::time_window&, std::size_t call)> serve;
  std::size_t calls = 0;

  boost::asio::awaitable<api::api_result<api::fetch_summary>> fetch_call_reports(const api::call_reports_query& q,
                                                                                 api::record_sink& sink) override {
    co_await boost::asio::post(ex_, boost::asio::use_awaitable);  // never complete inline
    const auto records = serve(q.window, calls++);
    for (const auto& r : records) sink.on_record(r);
    co_return api::fetch_summary{200, records.size(), 0, 1000};
  }
  boost::asio::awaitable<api::api_result<std::vector<api::tenant_info>>> list_tenants() override {
    co_return std::vector<api::tenant_info>{};
  }

 private:
  boost::asio::any_io_executor ex_;
};

bool contains(const api::time_window& w, std::chrono::sys_seconds t) { return t >= w.start && t <= w.end; }

}  // namespace

BOOST_AUTO_TEST_SUITE(collector_outside_window)

BOOST_AUTO_TEST_CASE(a_record_returned_before_its_own_window_is_counted_once_when_that_window_returns_it) {
  collector_harness h;
  misplacing_api api(h.ioc.get_executor());
  h.client = &api;
  h.add_tenant(7);
  const auto in_place = make_cdr("in-place", t0 - minutes(30));
  const auto misplaced = make_cdr("misplaced", t0 + minutes(30));  // after the first window's end
  api.serve = [&](const api::time_window& w, std::size_t call) {
    std::vector<api::cdr> out;
    if (contains(w, in_place.time)) out.push_back(in_place);
    if (call == 0 || contains(w, misplaced.time)) out.push_back(misplaced);
    return out;
  };
  h.start();
  const auto watermark_at = [&](std::chrono::sys_time<std::chrono::milliseconds> end) {
    return h.run_until([&] {
      const auto* t = h.c->find("7");
      return t && t->watermark && *t->watermark == end;
    });
  };
  BOOST_TEST_REQUIRE(watermark_at(t0 - h.cfg.collector.delay));
  BOOST_TEST(h.value("voxo_collector_records_outside_window_total", {{"tenant", "7"}}) == 1);
  // The overlap moves past the first window (its end is pruned), then the misplaced record's
  // own window is polled.
  h.wall = t0 + minutes(20);
  BOOST_TEST_REQUIRE(watermark_at(h.wall - h.cfg.collector.delay));
  h.wall = t0 + minutes(45);
  BOOST_TEST_REQUIRE(watermark_at(h.wall - h.cfg.collector.delay));
  BOOST_TEST(h.value("voxo_collector_records_total", {{"tenant", "7"}}) == 2);
  BOOST_TEST(h.value("voxo_calls_total", {{"tenant", "7"}}) == 2);
  BOOST_TEST(h.value("voxo_collector_records_outside_window_total", {{"tenant", "7"}}) == 1);
}

BOOST_AUTO_TEST_SUITE_END()

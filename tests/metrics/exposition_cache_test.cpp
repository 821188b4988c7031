#include <boost/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "metrics/exposition_cache.hpp"

namespace {
using namespace voxo;
using namespace std::chrono_literals;

// A data source whose text is its generation, rendered by a counting function.
struct fake_data {
  std::atomic<std::uint64_t> generation{1};
  std::atomic<int> data_calls{0};
  std::atomic<int> live_calls{0};
  std::atomic<bool> fail{false};

  metrics::exposition_cache make(std::chrono::steady_clock::duration min_interval = 0s) {
    metrics::exposition_cache::timing t;
    t.min_interval = min_interval;
    t.poll = 1ms;
    return metrics::exposition_cache(
        [this] {
          ++data_calls;
          if (fail) throw std::runtime_error("render failed");
          return "data " + std::to_string(generation.load()) + "\n";
        },
        [this](const metrics::exposition_data& d) {
          ++live_calls;
          return "live " + std::to_string(d.generation) + "\n";
        },
        [this] { return generation.load(); }, t);
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(exposition_cache, fake_data)

BOOST_AUTO_TEST_CASE(nothing_is_rendered_until_the_first_scrape) {
  auto cache = make();
  BOOST_TEST(data_calls == 0);
  BOOST_TEST(cache.renders() == 0u);
}

BOOST_AUTO_TEST_CASE(the_first_scrape_renders_and_appends_the_live_part) {
  auto cache = make();
  const auto e = cache.current();
  BOOST_TEST(e->text() == "data 1\nlive 1\n");
  BOOST_TEST(cache.renders() == 1u);
}

BOOST_AUTO_TEST_CASE(the_data_part_is_compressed_once_with_its_text) {
  auto cache = make();
  const auto e = cache.current();
  BOOST_REQUIRE(e->data->deflated);
  BOOST_TEST(e->data->text.empty());  // kept compressed only
  BOOST_TEST(e->data->deflated->size == e->data->plain_text().size());
  const auto tail = e->gzip_tail();
  BOOST_REQUIRE(tail);
  BOOST_TEST(metrics::gzip_decompress(std::string(metrics::gzip_header()) + e->data->deflated->bytes + *tail) ==
             e->text());
}

BOOST_AUTO_TEST_CASE(every_scrape_renders_the_live_part_but_shares_the_data_part) {
  auto cache = make();
  const auto a = cache.current();
  const auto b = cache.current();
  BOOST_TEST(live_calls == 2);
  BOOST_TEST(a->data.get() == b->data.get());
  BOOST_TEST(data_calls == 1);
}

BOOST_AUTO_TEST_CASE(a_change_is_rendered_in_the_background) {
  auto cache = make();
  cache.current();
  generation = 2;
  BOOST_REQUIRE(cache.wait_rendered(2, 30s));
  BOOST_TEST(cache.current()->text() == "data 2\nlive 2\n");
}

BOOST_AUTO_TEST_CASE(a_scrape_never_waits_for_the_rendering_of_a_change) {
  auto cache = make(1h);  // the next rendering may start only in an hour
  cache.current();
  generation = 2;
  BOOST_TEST(cache.current()->text() == "data 1\nlive 1\n");  // served at once, the old data part
  BOOST_TEST(!cache.wait_rendered(2, 50ms));
  BOOST_TEST(data_calls == 1);
}

BOOST_AUTO_TEST_CASE(without_a_change_nothing_is_rendered_again) {
  auto cache = make();
  cache.current();
  std::this_thread::sleep_for(50ms);  // ~50 polls of the generation
  cache.current();
  BOOST_TEST(data_calls == 1);
}

BOOST_AUTO_TEST_CASE(a_failed_rendering_keeps_serving_the_previous_one) {
  auto cache = make();
  cache.current();
  fail = true;
  generation = 2;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (data_calls < 2 && std::chrono::steady_clock::now() < deadline) {
    cache.current();  // wakes the render thread
    std::this_thread::sleep_for(1ms);
  }
  BOOST_TEST(data_calls >= 2);  // it was tried
  BOOST_TEST(cache.current()->text() == "data 1\nlive 1\n");
}

BOOST_AUTO_TEST_CASE(destruction_stops_the_render_thread_with_a_change_pending) {
  {
    auto cache = make(1h);
    cache.current();
    generation = 5;
  }  // joins: would hang (and time the test out) if the thread ignored the stop
  BOOST_TEST(data_calls == 1);
}

BOOST_AUTO_TEST_SUITE_END()

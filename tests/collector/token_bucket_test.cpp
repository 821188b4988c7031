#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <exception>
#include <vector>

#include "collector/token_bucket.hpp"

namespace {
using namespace voxo;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

// A frozen clock the test moves; waiters see a move when the test pokes the bucket.
struct bucket_rig {
  boost::asio::io_context ioc;
  clock_type::time_point now{clock_type::duration(1'000'000)};
  collector::token_bucket bucket;
  std::vector<int> done;  // acquirers in the order they got their token
  std::vector<int> aborted;

  explicit bucket_rig(double rate, double burst = 0)
      : bucket(ioc.get_executor(), rate, burst, [this] { return now; }) {}

  boost::asio::awaitable<void> take(int who) {
    try {
      co_await bucket.acquire();
      done.push_back(who);
    } catch (const std::exception&) {
      aborted.push_back(who);
    }
  }
  void spawn(int who) {
    boost::asio::co_spawn(ioc, take(who), [](std::exception_ptr) {});
  }
  void spawn(int who, boost::asio::cancellation_signal& sig) {
    boost::asio::co_spawn(ioc, take(who), boost::asio::bind_cancellation_slot(sig.slot(), [](std::exception_ptr) {}));
  }
  void settle() {
    ioc.restart();
    for (int i = 0; i < 50; ++i) ioc.poll();
  }
  void advance(clock_type::duration d) {
    now += d;
    bucket.poke();
    settle();
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(token_bucket)

BOOST_AUTO_TEST_CASE(a_zero_rate_is_unlimited) {
  bucket_rig r(0);
  BOOST_TEST(r.bucket.unlimited());
  for (int i = 0; i < 100; ++i) r.spawn(i);
  r.settle();
  BOOST_TEST(r.done.size() == 100u);
}

BOOST_AUTO_TEST_CASE(the_burst_defaults_to_the_rate_and_at_least_one) {
  BOOST_TEST(bucket_rig(5).bucket.burst() == 5.0);
  BOOST_TEST(bucket_rig(0.2).bucket.burst() == 1.0);
  BOOST_TEST(bucket_rig(5, 2).bucket.burst() == 2.0);
}

BOOST_AUTO_TEST_CASE(past_the_burst_requests_wait_for_the_clock) {
  bucket_rig r(2);  // 2 per second, burst 2
  for (int i = 0; i < 5; ++i) r.spawn(i);
  r.settle();
  BOOST_TEST(r.done.size() == 2u);
  r.advance(499ms);
  BOOST_TEST(r.done.size() == 2u);
  r.advance(1ms);  // half a second: one more token
  BOOST_TEST(r.done.size() == 3u);
  r.advance(1s);
  BOOST_TEST(r.done.size() == 5u);
}

BOOST_AUTO_TEST_CASE(waiters_get_their_tokens_in_arrival_order) {
  bucket_rig r(1);
  for (int i = 0; i < 6; ++i) r.spawn(i);
  r.settle();
  for (int i = 0; i < 5; ++i) r.advance(1s);
  BOOST_TEST(r.done == (std::vector<int>{0, 1, 2, 3, 4, 5}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(an_idle_bucket_fills_up_to_the_burst_only) {
  bucket_rig r(1, 3);
  r.advance(1h);
  for (int i = 0; i < 10; ++i) r.spawn(i);
  r.settle();
  BOOST_TEST(r.done.size() == 3u);
}

BOOST_AUTO_TEST_CASE(cancel_ends_every_waiter_and_later_requests) {
  bucket_rig r(1);
  for (int i = 0; i < 4; ++i) r.spawn(i);
  r.settle();
  r.bucket.cancel();
  r.settle();
  BOOST_TEST(r.done.size() == 1u);
  BOOST_TEST(r.aborted.size() == 3u);
  r.spawn(9);
  r.advance(1h);
  BOOST_TEST(r.aborted.size() == 4u);
  BOOST_TEST(r.bucket.waiting() == 0u);
}

BOOST_AUTO_TEST_CASE(a_cancelled_waiter_gives_its_token_back) {
  bucket_rig r(1);
  boost::asio::cancellation_signal sig;
  r.spawn(0);
  r.spawn(1, sig);
  r.spawn(2);
  r.settle();
  sig.emit(boost::asio::cancellation_type::terminal);
  r.settle();
  BOOST_TEST(r.aborted == (std::vector<int>{1}), boost::test_tools::per_element());
  r.advance(2s);  // waiter 2's reserved token is due; the one given back is free again
  BOOST_TEST(r.done == (std::vector<int>{0, 2}), boost::test_tools::per_element());
  r.spawn(3);
  r.settle();
  BOOST_TEST(r.done == (std::vector<int>{0, 2, 3}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

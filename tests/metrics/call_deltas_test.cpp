#include <boost/test/unit_test.hpp>

#include "metrics/call_deltas.hpp"

namespace {
using namespace voxo;
using metrics::call_histogram;

api::cdr answered_in() {
  api::cdr r;
  r.id = "a";
  r.direction = api::call_direction::in;
  r.disposition = api::call_disposition::answered;
  return r;
}

const metrics::histogram_delta& hist(const metrics::call_deltas& d, call_histogram h) {
  return d.histogram(h, api::call_direction::in);
}
}  // namespace

BOOST_AUTO_TEST_SUITE(call_deltas_rules)

BOOST_AUTO_TEST_CASE(a_record_counts_one_call_under_its_direction_and_disposition) {
  metrics::call_deltas d;
  auto r = answered_in();
  r.direction = api::call_direction::out;
  r.disposition = api::call_disposition::no_answer;
  d.add(r);
  BOOST_TEST(d.calls[1][1] == 1u);
  BOOST_TEST(d.total_calls() == 1u);
  BOOST_TEST(d.answered_calls() == 0u);
}

BOOST_AUTO_TEST_CASE(mos_zero_means_not_measured_and_is_not_observed) {
  metrics::call_deltas d;
  auto r = answered_in();
  r.mos = 0.0;
  d.add(r);
  BOOST_TEST(hist(d, call_histogram::mos).count == 0u);
  r.mos = 4.1;
  d.add(r);
  BOOST_TEST(hist(d, call_histogram::mos).count == 1u);
  BOOST_TEST(hist(d, call_histogram::mos).sum == 4.1);
}

BOOST_AUTO_TEST_CASE(quality_and_talk_time_are_observed_only_for_answered_calls) {
  metrics::call_deltas d;
  auto r = answered_in();
  r.disposition = api::call_disposition::no_answer;
  r.mos = 4.4;
  r.after_answer_duration = 10;
  r.percent_jitter = 1;
  r.packet_loss = 1;
  r.duration = 20;
  d.add(r);
  BOOST_TEST(hist(d, call_histogram::mos).count == 0u);
  BOOST_TEST(hist(d, call_histogram::talk_duration).count == 0u);
  BOOST_TEST(hist(d, call_histogram::jitter).count == 0u);
  BOOST_TEST(hist(d, call_histogram::packet_loss).count == 0u);
  BOOST_TEST(hist(d, call_histogram::duration).count == 1u);  // ringing time of a missed call counts
}

BOOST_AUTO_TEST_CASE(jitter_and_packet_loss_percentages_become_ratios) {
  metrics::call_deltas d;
  auto r = answered_in();
  r.percent_jitter = 2.0;
  r.packet_loss = 0.5;
  d.add(r);
  BOOST_TEST(hist(d, call_histogram::jitter).sum == 0.02);
  BOOST_TEST(hist(d, call_histogram::packet_loss).sum == 0.005);
  // 0.02 falls in le=0.02 (index 4 of ratio_buckets), 0.005 in le=0.005 (index 2)
  BOOST_TEST(hist(d, call_histogram::jitter).buckets[4] == 1u);
  BOOST_TEST(hist(d, call_histogram::packet_loss).buckets[2] == 1u);
}

BOOST_AUTO_TEST_CASE(null_durations_are_not_observed) {
  metrics::call_deltas d;
  d.add(answered_in());
  BOOST_TEST(hist(d, call_histogram::duration).count == 0u);
  BOOST_TEST(hist(d, call_histogram::talk_duration).count == 0u);
  BOOST_TEST(d.total_calls() == 1u);
}

BOOST_AUTO_TEST_CASE(a_value_above_the_last_bound_lands_in_the_inf_bucket) {
  metrics::call_deltas d;
  auto r = answered_in();
  r.duration = 100000;
  d.add(r);
  BOOST_TEST(hist(d, call_histogram::duration).buckets[metrics::duration_buckets.size()] == 1u);
}

BOOST_AUTO_TEST_CASE(recorded_and_queue_flags_count_per_direction) {
  metrics::call_deltas d;
  auto r = answered_in();
  r.recorded = true;
  r.queue_call = false;
  d.add(r);
  BOOST_TEST(d.recorded[0] == 1u);
  BOOST_TEST(d.queued[0] == 0u);
}

BOOST_AUTO_TEST_CASE(merge_adds_every_value) {
  metrics::call_deltas a, b;
  auto r = answered_in();
  r.mos = 4.2;
  a.add(r);
  b.add(r);
  a.merge(b);
  BOOST_TEST(a.total_calls() == 2u);
  BOOST_TEST(hist(a, call_histogram::mos).count == 2u);
}

BOOST_AUTO_TEST_CASE(median_is_interpolated_inside_the_bucket_like_histogram_quantile) {
  metrics::histogram_delta h;
  // two values in (4.0, 4.3]: the median rank 1 of 2 sits halfway through that bucket
  h.observe(metrics::mos_buckets, 4.1);
  h.observe(metrics::mos_buckets, 4.2);
  const auto m = metrics::estimate_quantile(metrics::mos_buckets, h, 0.5);
  BOOST_TEST_REQUIRE(m.has_value());
  BOOST_TEST(*m == 4.15, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(an_empty_histogram_has_no_quantile) {
  metrics::histogram_delta h;
  BOOST_TEST(!metrics::estimate_quantile(metrics::mos_buckets, h, 0.5).has_value());
}

BOOST_AUTO_TEST_SUITE_END()

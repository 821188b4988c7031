#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <vector>

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

// One record, one histogram: whether the record is observed in it, and where.
namespace {

struct observation {
  const char* name;
  api::cdr record;
  call_histogram histogram;
  std::uint64_t count;                        // observations of the record in `histogram`
  std::optional<double> sum{};                // checked when set
  std::optional<std::size_t> bucket_index{};  // the (non-cumulative) bucket it lands in
};
std::ostream& operator<<(std::ostream& os, const observation& o) { return os << o.name; }

api::cdr answered_in_with(void (*change)(api::cdr&)) {
  auto r = answered_in();
  change(r);
  return r;
}

// A missed call with every quality field set: only its ringing time counts.
api::cdr missed_in_with_every_field() {
  return answered_in_with([](api::cdr& r) {
    r.disposition = api::call_disposition::no_answer;
    r.mos = 4.4;
    r.after_answer_duration = 10;
    r.percent_jitter = 1;
    r.packet_loss = 1;
    r.duration = 20;
  });
}

std::vector<observation> observations() {
  const auto jitter_and_loss = answered_in_with([](api::cdr& r) {
    r.percent_jitter = 2.0;
    r.packet_loss = 0.5;
  });
  return {
      {"mos_zero_means_not_measured_and_is_not_observed", answered_in_with([](api::cdr& r) { r.mos = 0.0; }),
       call_histogram::mos, 0},
      {"a_measured_mos_is_observed", answered_in_with([](api::cdr& r) { r.mos = 4.1; }), call_histogram::mos, 1, 4.1},
      {"a_missed_call_has_no_mos", missed_in_with_every_field(), call_histogram::mos, 0},
      {"a_missed_call_has_no_talk_time", missed_in_with_every_field(), call_histogram::talk_duration, 0},
      {"a_missed_call_has_no_jitter", missed_in_with_every_field(), call_histogram::jitter, 0},
      {"a_missed_call_has_no_packet_loss", missed_in_with_every_field(), call_histogram::packet_loss, 0},
      {"the_ringing_time_of_a_missed_call_counts", missed_in_with_every_field(), call_histogram::duration, 1, 20.0},
      // 0.02 falls in le=0.02 (index 4 of ratio_buckets), 0.005 in le=0.005 (index 2).
      {"a_jitter_percentage_becomes_a_ratio", jitter_and_loss, call_histogram::jitter, 1, 0.02, 4},
      {"a_packet_loss_percentage_becomes_a_ratio", jitter_and_loss, call_histogram::packet_loss, 1, 0.005, 2},
      {"a_null_duration_is_not_observed", answered_in(), call_histogram::duration, 0},
      {"a_null_talk_time_is_not_observed", answered_in(), call_histogram::talk_duration, 0},
      {"a_value_above_the_last_bound_lands_in_the_inf_bucket",
       answered_in_with([](api::cdr& r) { r.duration = 100000; }), call_histogram::duration, 1, std::nullopt,
       metrics::duration_buckets.size()},
  };
}

}  // namespace

BOOST_DATA_TEST_CASE(a_record_is_observed_only_where_the_rules_say, boost::unit_test::data::make(observations()), row) {
  metrics::call_deltas d;
  d.add(row.record);
  BOOST_TEST(d.total_calls() == 1u);  // observed or not, the call counts
  const auto& h = hist(d, row.histogram);
  BOOST_TEST(h.count == row.count);
  if (row.sum) BOOST_TEST(h.sum == *row.sum);
  if (row.bucket_index) BOOST_TEST(h.buckets[*row.bucket_index] == 1u);
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

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <limits>
#include <string>

#include "util/duration.hpp"

using namespace std::chrono_literals;
using voxo::format_duration;
using voxo::parse_duration;

BOOST_AUTO_TEST_SUITE(duration)

BOOST_AUTO_TEST_CASE(single_terms_parse_in_every_unit) {
  BOOST_TEST(parse_duration("500ms")->count() == 500);
  BOOST_TEST(parse_duration("30s")->count() == (30s).count() * 1000);
  BOOST_TEST(*parse_duration("5m") == 5min);
  BOOST_TEST(*parse_duration("2h") == 2h);
  BOOST_TEST(*parse_duration("2d") == 48h);
  BOOST_TEST(*parse_duration("1w") == 7 * 24h);
  BOOST_TEST(*parse_duration("1y") == 365 * 24h);
}

BOOST_AUTO_TEST_CASE(terms_in_decreasing_unit_order_add_up) {
  BOOST_TEST(*parse_duration("1h30m") == 90min);
  BOOST_TEST(*parse_duration("1m30s500ms") == 90500ms);
  BOOST_TEST(*parse_duration("1y1w1d1h1m1s1ms") == 365 * 24h + 7 * 24h + 24h + 1h + 1min + 1s + 1ms);
  BOOST_TEST(*parse_duration("2h0m") == 2h);
}

BOOST_AUTO_TEST_CASE(zero_alone_and_zero_with_a_unit_are_zero) {
  BOOST_TEST(*parse_duration("0") == 0ms);
  BOOST_TEST(*parse_duration("0s") == 0ms);
  BOOST_TEST(*parse_duration("0ms") == 0ms);
}

BOOST_AUTO_TEST_CASE(leading_zeros_are_accepted_like_prometheus) { BOOST_TEST(*parse_duration("05m") == 5min); }

BOOST_AUTO_TEST_CASE(malformed_text_is_rejected) {
  for (const char* bad :
       {"",   " ",  "5",  "00", "10", "-5m", "+5m",  "5 m", " 5m",    "5m ",       "1.5h",  "1,5h",  "5min",
        "5M", "5S", "5x", "m",  "ms", "h5",  "5mss", "5m5", "1h 30m", "5 minutes", "0x10s", "1e3ms", "5\0s"}) {
    BOOST_TEST_CONTEXT("input \"" << bad << '"') { BOOST_TEST(!parse_duration(bad).has_value()); }
  }
  BOOST_TEST(!parse_duration(std::string_view("5\0s", 3)).has_value());
}

BOOST_AUTO_TEST_CASE(repeated_or_out_of_order_units_are_rejected) {
  BOOST_TEST(!parse_duration("30m1h").has_value());
  BOOST_TEST(!parse_duration("1s1m").has_value());
  BOOST_TEST(!parse_duration("5m5m").has_value());
  BOOST_TEST(!parse_duration("1ms1s").has_value());
  BOOST_TEST(!parse_duration("1d1w").has_value());
}

BOOST_AUTO_TEST_CASE(values_beyond_the_range_of_milliseconds_are_rejected) {
  const auto max = std::numeric_limits<std::chrono::milliseconds::rep>::max();
  BOOST_TEST(parse_duration(std::to_string(max) + "ms")->count() == max);
  BOOST_TEST(!parse_duration("9223372036854775808ms").has_value());
  BOOST_TEST(!parse_duration("99999999999999999999999ms").has_value());
  BOOST_TEST(!parse_duration("300000000y").has_value());
  BOOST_TEST(!parse_duration("292000000y292000000w").has_value());
  BOOST_TEST(!parse_duration(std::to_string(max) + "s").has_value());
}

BOOST_AUTO_TEST_CASE(format_is_the_shortest_canonical_form) {
  BOOST_TEST(format_duration(0ms) == "0s");
  BOOST_TEST(format_duration(500ms) == "500ms");
  BOOST_TEST(format_duration(1500ms) == "1s500ms");
  BOOST_TEST(format_duration(30s) == "30s");
  BOOST_TEST(format_duration(90min) == "1h30m");
  BOOST_TEST(format_duration(120min) == "2h");
  BOOST_TEST(format_duration(std::chrono::milliseconds{8 * 24h}) == "1w1d");
  BOOST_TEST(format_duration(std::chrono::milliseconds{366 * 24h}) == "1y1d");
}

BOOST_AUTO_TEST_CASE(format_marks_negative_values_with_a_minus) {
  BOOST_TEST(format_duration(-90s) == "-1m30s");
  BOOST_TEST(!format_duration(std::chrono::milliseconds::min()).empty());
}

BOOST_AUTO_TEST_CASE(format_then_parse_round_trips) {
  for (auto d : {0ms, 1ms, 999ms, 1000ms, 61001ms, std::chrono::milliseconds{90min},
                 std::chrono::milliseconds{400 * 24h + 3h + 7s}, std::chrono::milliseconds::max()}) {
    BOOST_TEST_CONTEXT("ms " << d.count()) { BOOST_TEST(parse_duration(format_duration(d))->count() == d.count()); }
  }
}

BOOST_AUTO_TEST_SUITE_END()

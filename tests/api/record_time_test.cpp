#include <boost/test/unit_test.hpp>

#include <date/date.h>
#include <date/tz.h>

#include <stdexcept>

#include "api/detail/local_time.hpp"
#include "api/record_time.hpp"

using namespace voxo::api;
using namespace std::chrono_literals;

namespace {

// An instant written in UTC, for readable expectations.
std::chrono::sys_seconds utc(int y, unsigned mo, unsigned d, int h, int mi, int s) {
  return date::sys_days{date::year{y} / date::month{mo} / date::day{d}} + std::chrono::hours{h} +
         std::chrono::minutes{mi} + std::chrono::seconds{s};
}

const date::time_zone* chicago() { return find_zone("America/Chicago"); }

}  // namespace

BOOST_AUTO_TEST_SUITE(record_time)

BOOST_AUTO_TEST_CASE(find_zone_returns_the_named_zone) {
  BOOST_TEST(find_zone("America/Chicago")->name() == "America/Chicago");
  BOOST_TEST(find_zone("UTC")->name() == "UTC");
}

BOOST_AUTO_TEST_CASE(find_zone_throws_naming_an_unknown_zone) {
  try {
    find_zone("Mars/Olympus_Mons");
    BOOST_FAIL("no exception");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string{e.what()} == "unknown time zone 'Mars/Olympus_Mons'");
  }
}

BOOST_AUTO_TEST_CASE(record_time_of_the_documented_example_is_central_daylight_time) {
  const auto t = parse_record_time("10/10/22 23:07:20", chicago());
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST((*t == utc(2022, 10, 11, 4, 7, 20)));
}

BOOST_AUTO_TEST_CASE(record_time_in_utc_is_taken_as_is) {
  const auto t = parse_record_time("01/02/03 04:05:06", find_zone("UTC"));
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST((*t == utc(2003, 1, 2, 4, 5, 6)));
}

BOOST_AUTO_TEST_CASE(two_digit_years_are_in_the_2000s) {
  BOOST_TEST((*parse_record_time("12/31/99 23:59:59", find_zone("UTC")) == utc(2099, 12, 31, 23, 59, 59)));
  BOOST_TEST((*parse_record_time("01/01/00 00:00:00", find_zone("UTC")) == utc(2000, 1, 1, 0, 0, 0)));
}

BOOST_AUTO_TEST_CASE(query_time_round_trips_in_chicago) {
  const auto t = utc(2022, 10, 10, 5, 0, 0);
  BOOST_TEST(format_query_time(t, chicago()) == "2022-10-10 00:00:00");
  BOOST_TEST((*parse_query_time("2022-10-10 00:00:00", chicago()) == t));
}

BOOST_AUTO_TEST_CASE(record_time_round_trips_in_chicago) {
  const auto t = utc(2022, 10, 11, 4, 7, 20);
  BOOST_TEST(format_record_time(t, chicago()) == "10/10/22 23:07:20");
  BOOST_TEST((*parse_record_time(format_record_time(t, chicago()), chicago()) == t));
}

BOOST_AUTO_TEST_CASE(query_time_in_dublin_follows_irish_summer_and_winter_time) {
  const auto* dublin = find_zone("Europe/Dublin");
  BOOST_TEST((*parse_query_time("2022-10-10 00:00:00", dublin) == utc(2022, 10, 9, 23, 0, 0)));
  BOOST_TEST((*parse_query_time("2022-12-11 00:00:00", dublin) == utc(2022, 12, 11, 0, 0, 0)));
  BOOST_TEST(format_query_time(utc(2022, 10, 9, 23, 0, 0), dublin) == "2022-10-10 00:00:00");
}

BOOST_AUTO_TEST_CASE(skipped_local_time_maps_to_the_end_of_the_gap) {
  // 2022-03-13: Chicago jumps from 02:00 CST to 03:00 CDT, at 08:00 UTC.
  BOOST_TEST((*parse_query_time("2022-03-13 02:30:00", chicago()) == utc(2022, 3, 13, 8, 0, 0)));
  BOOST_TEST((*parse_record_time("03/13/22 02:30:00", chicago()) == utc(2022, 3, 13, 8, 0, 0)));
  BOOST_TEST((*parse_record_time("03/13/22 01:59:59", chicago()) == utc(2022, 3, 13, 7, 59, 59)));
  BOOST_TEST((*parse_record_time("03/13/22 03:00:00", chicago()) == utc(2022, 3, 13, 8, 0, 0)));
}

BOOST_AUTO_TEST_CASE(repeated_local_time_maps_to_the_earlier_instant) {
  // 2022-11-06: Chicago repeats 01:00-02:00, first as CDT (UTC-5) then as CST (UTC-6).
  BOOST_TEST((*parse_query_time("2022-11-06 01:30:00", chicago()) == utc(2022, 11, 6, 6, 30, 0)));
  BOOST_TEST((*parse_record_time("11/06/22 01:30:00", chicago()) == utc(2022, 11, 6, 6, 30, 0)));
  BOOST_TEST((*parse_record_time("11/06/22 02:00:00", chicago()) == utc(2022, 11, 6, 8, 0, 0)));
}

BOOST_AUTO_TEST_CASE(leap_day_exists_only_in_leap_years) {
  BOOST_TEST(parse_record_time("02/29/24 12:00:00", chicago()).has_value());
  BOOST_TEST(!parse_record_time("02/29/23 12:00:00", chicago()).has_value());
  BOOST_TEST(parse_query_time("2000-02-29 12:00:00", chicago()).has_value());
  BOOST_TEST(!parse_query_time("2100-02-29 12:00:00", chicago()).has_value());
}

BOOST_AUTO_TEST_CASE(record_time_rejects_anything_not_exactly_the_format) {
  const auto* z = chicago();
  for (const char* bad :
       {"13/01/22 00:00:00", "00/01/22 00:00:00", "02/30/22 00:00:00", "04/31/22 00:00:00", "01/00/22 00:00:00",
        "2/3/22 00:00:00", "10/10/22 23:07:20 ", " 10/10/22 23:07:20", "", "ab/cd/ef gh:ij:kl", "10/10/22 24:00:00",
        "10/10/22 23:60:00", "10/10/22 23:07:60", "10-10-22 23:07:20", "10/10/22T23:07:20", "10/10/2022 23:07:20",
        "10/10/22 23:07", "+1/10/22 23:07:20", "10/10/22 23:07:2\xff"})
    BOOST_TEST(!parse_record_time(bad, z).has_value(), "accepted '" << bad << "'");
}

BOOST_AUTO_TEST_CASE(query_time_rejects_anything_not_exactly_the_format) {
  const auto* z = chicago();
  for (const char* bad : {"2022-13-01 00:00:00", "2022-02-30 00:00:00", "2022-1-01 00:00:00", "2022-10-10 00:00:00 ",
                          "2022-10-10T00:00:00", "", "10/10/22 23:07:20", "2022-10-10 25:00:00", "yyyy-mm-dd hh:mm:ss"})
    BOOST_TEST(!parse_query_time(bad, z).has_value(), "accepted '" << bad << "'");
}

BOOST_AUTO_TEST_CASE(zone_converter_agrees_with_the_zone_across_a_year_of_hours) {
  // The converter caches offsets; walking every local hour of 2022 (both DST changes)
  // it must give what the uncached conversion gives.
  const auto* z = chicago();
  voxo::api::detail::zone_converter convert{z};
  const date::local_seconds first = date::local_days{date::year{2022} / 1 / 1};
  for (auto t = first; t < first + date::days{366}; t += 15min)
    BOOST_REQUIRE((convert(t) == voxo::api::detail::to_instant(t, z)));
  voxo::api::detail::zone_converter backwards{z};
  for (auto t = first + date::days{366}; t > first; t -= 15min)
    BOOST_REQUIRE((backwards(t) == voxo::api::detail::to_instant(t, z)));
  // and jumping back and forth
  BOOST_TEST((convert(date::local_days{date::year{2022} / 3 / 13} + 2h + 30min) == utc(2022, 3, 13, 8, 0, 0)));
  BOOST_TEST((convert(date::local_days{date::year{2022} / 11 / 6} + 1h + 30min) == utc(2022, 11, 6, 6, 30, 0)));
  BOOST_TEST((convert(date::local_days{date::year{2022} / 1 / 6} + 1h) == utc(2022, 1, 6, 7, 0, 0)));
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include "sim/fault_schedule.hpp"

using namespace std::chrono_literals;
using voxo::sim::fault;
using voxo::sim::fault_kind;
using voxo::sim::parse_fault_schedule;

BOOST_AUTO_TEST_SUITE(fault_schedule)

BOOST_AUTO_TEST_CASE(parses_every_kind_with_its_argument) {
  auto s = parse_fault_schedule("1:500,2:503/2,3:429/7,4:slow/1.5,5:truncate,6:html,7:401,8:reset,9:empty");
  BOOST_REQUIRE_MESSAGE(s, s.error());
  BOOST_TEST(s->rules().size() == 9U);
  BOOST_TEST((s->for_request(1) == fault{fault_kind::internal_error, 0ms}));
  BOOST_TEST((s->for_request(2) == fault{fault_kind::unavailable, 2000ms}));
  BOOST_TEST((s->for_request(3) == fault{fault_kind::rate_limited, 7000ms}));
  BOOST_TEST((s->for_request(4) == fault{fault_kind::slow, 1500ms}));
  BOOST_TEST((s->for_request(5) == fault{fault_kind::truncate, 0ms}));
  BOOST_TEST((s->for_request(6) == fault{fault_kind::html, 0ms}));
  BOOST_TEST((s->for_request(7) == fault{fault_kind::unauthorized, 0ms}));
  BOOST_TEST((s->for_request(8) == fault{fault_kind::reset, 0ms}));
  BOOST_TEST((s->for_request(9) == fault{fault_kind::empty, 0ms}));
  BOOST_TEST(!s->for_request(10).has_value());
}

BOOST_AUTO_TEST_CASE(status_html_with_a_status_and_badjson_are_parsed_and_described_back) {
  auto s = parse_fault_schedule("1:status/502,2:html/503,3:badjson,4:html");
  BOOST_REQUIRE_MESSAGE(s, s.error());
  BOOST_TEST((s->for_request(1) == fault{fault_kind::status, 0ms, 502}));
  BOOST_TEST((s->for_request(2) == fault{fault_kind::html, 0ms, 503}));
  BOOST_TEST((s->for_request(3) == fault{fault_kind::bad_json, 0ms}));
  BOOST_TEST((s->for_request(4) == fault{fault_kind::html, 0ms, 0}));
  BOOST_TEST(describe(*s->for_request(1)) == "status/502");
  BOOST_TEST(describe(*s->for_request(2)) == "html/503");
  BOOST_TEST(describe(*s->for_request(3)) == "badjson");
  BOOST_TEST(describe(*s->for_request(4)) == "html");
}

BOOST_AUTO_TEST_CASE(a_status_outside_the_error_range_or_missing_is_refused) {
  for (const char* bad : {"1:status", "1:status/200", "1:status/600", "1:status/5x", "1:html/399", "1:badjson/1"}) {
    BOOST_TEST_CONTEXT(bad) {
      auto s = parse_fault_schedule(bad);
      BOOST_TEST(!s.has_value());
      BOOST_TEST(s.error().find("bad fault rule") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(every_repeats_and_an_exact_rule_wins) {
  auto s = parse_fault_schedule(" every=3:500 , 6:reset ");
  BOOST_REQUIRE_MESSAGE(s, s.error());
  BOOST_TEST(!s->for_request(1).has_value());
  BOOST_TEST((s->for_request(3) == fault{fault_kind::internal_error, 0ms}));
  BOOST_TEST((s->for_request(6) == fault{fault_kind::reset, 0ms}));
  BOOST_TEST((s->for_request(9) == fault{fault_kind::internal_error, 0ms}));
}

BOOST_AUTO_TEST_CASE(empty_text_is_an_empty_schedule) {
  auto s = parse_fault_schedule("");
  BOOST_REQUIRE(s);
  BOOST_TEST(s->empty());
}

BOOST_AUTO_TEST_CASE(invalid_text_is_refused_with_a_message_naming_the_rule) {
  for (const char* bad : {"3", "x:500", "0:500", "3:404", "3:503", "3:503/1.5", "3:slow/-1", "3:truncate/2",
                          "every=:500", "1:500,,2:500", "3:slow/abc"}) {
    BOOST_TEST_CONTEXT(bad) {
      auto s = parse_fault_schedule(bad);
      BOOST_TEST(!s.has_value());
      BOOST_TEST(s.error().find("bad fault rule") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(describe_gives_back_the_rule_syntax) {
  BOOST_TEST(describe(fault{fault_kind::slow, 1500ms}) == "slow/1.5");
  BOOST_TEST(describe(fault{fault_kind::unavailable, 2000ms}) == "503/2");
  BOOST_TEST(describe(fault{fault_kind::truncate, 0ms}) == "truncate");
}

BOOST_AUTO_TEST_SUITE_END()

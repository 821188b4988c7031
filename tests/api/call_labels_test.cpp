#include <boost/test/unit_test.hpp>

#include "api/call_labels.hpp"

using namespace voxo::api;

BOOST_AUTO_TEST_SUITE(call_labels)

BOOST_AUTO_TEST_CASE(directions_map_case_insensitively_and_unknown_is_other) {
  BOOST_TEST(label(parse_direction("IN")) == "in");
  BOOST_TEST(label(parse_direction("out")) == "out");
  BOOST_TEST(label(parse_direction("Local")) == "local");
  BOOST_TEST(label(parse_direction("INTERNAL")) == "internal");
  BOOST_TEST(label(parse_direction("SIDEWAYS")) == "other");
  BOOST_TEST(label(parse_direction("")) == "other");
  BOOST_TEST(label(parse_direction("other")) == "other");
}

BOOST_AUTO_TEST_CASE(dispositions_use_the_api_spelling_and_unknown_is_other) {
  BOOST_TEST(label(parse_disposition("ANSWERED")) == "answered");
  BOOST_TEST(label(parse_disposition("NO ANSWER")) == "no_answer");
  BOOST_TEST(label(parse_disposition("no answer")) == "no_answer");
  BOOST_TEST(label(parse_disposition("BUSY")) == "busy");
  BOOST_TEST(label(parse_disposition("Failed")) == "failed");
  BOOST_TEST(label(parse_disposition("CONGESTION")) == "congestion");
  BOOST_TEST(label(parse_disposition("no_answer")) == "other");
  BOOST_TEST(label(parse_disposition("5555555555")) == "other");
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include <date/date.h>

#include "api/retry_after.hpp"

using namespace std::chrono_literals;
using voxo::api::parse_retry_after;

namespace {
// Sun, 06 Nov 1994 08:49:37 GMT, the RFC's example date.
const auto rfc_example = date::sys_days{date::year{1994} / 11 / 6} + 8h + 49min + 37s;
}  // namespace

BOOST_AUTO_TEST_SUITE(retry_after)

BOOST_AUTO_TEST_CASE(delta_seconds_are_taken_as_they_are) {
  BOOST_TEST(parse_retry_after("7", rfc_example).value().count() == 7);
  BOOST_TEST(parse_retry_after(" 120 ", rfc_example).value().count() == 120);
}

BOOST_AUTO_TEST_CASE(an_http_date_gives_the_seconds_until_then) {
  auto now = rfc_example - 90s;
  BOOST_TEST(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now).value().count() == 90);
  BOOST_TEST(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now).value().count() == 90);
  BOOST_TEST(parse_retry_after("Sun Nov  6 08:49:37 1994", now).value().count() == 90);
}

BOOST_AUTO_TEST_CASE(a_date_in_the_past_means_retry_now) {
  BOOST_TEST(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", rfc_example + 1h).value().count() == 0);
}

BOOST_AUTO_TEST_CASE(garbage_gives_nothing) {
  for (const char* bad : {"", "soon", "-5", "1.5", "Sun, 06 Nov 1994", "99999999999999999999999"})
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!parse_retry_after(bad, rfc_example).has_value()); }
}

BOOST_AUTO_TEST_SUITE_END()

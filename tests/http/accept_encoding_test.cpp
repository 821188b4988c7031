#include <boost/test/unit_test.hpp>

#include "http/accept_encoding.hpp"

using voxo::http::accepts_gzip;

BOOST_AUTO_TEST_SUITE(accept_encoding)

BOOST_AUTO_TEST_CASE(gzip_alone_or_in_a_list_is_accepted) {
  BOOST_TEST(accepts_gzip("gzip"));
  BOOST_TEST(accepts_gzip("deflate, gzip"));
  BOOST_TEST(accepts_gzip("gzip;q=0.5, identity"));
  BOOST_TEST(accepts_gzip("GZip ; Q=1"));
  BOOST_TEST(accepts_gzip("x-gzip"));
}

BOOST_AUTO_TEST_CASE(gzip_with_weight_zero_is_refused) {
  BOOST_TEST(!accepts_gzip("gzip;q=0"));
  BOOST_TEST(!accepts_gzip("gzip; q=0.000, deflate"));
  BOOST_TEST(!accepts_gzip("*, gzip;q=0"));
}

BOOST_AUTO_TEST_CASE(a_wildcard_accepts_gzip_unless_weighted_zero) {
  BOOST_TEST(accepts_gzip("*"));
  BOOST_TEST(accepts_gzip("identity, *;q=0.1"));
  BOOST_TEST(!accepts_gzip("*;q=0"));
  BOOST_TEST(accepts_gzip("*;q=0, gzip"));
}

BOOST_AUTO_TEST_CASE(absent_or_other_codings_mean_plain) {
  BOOST_TEST(!accepts_gzip(""));
  BOOST_TEST(!accepts_gzip("identity"));
  BOOST_TEST(!accepts_gzip("deflate, br"));
  BOOST_TEST(!accepts_gzip("gzipx"));
}

BOOST_AUTO_TEST_SUITE_END()

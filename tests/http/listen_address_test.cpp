#include <boost/test/unit_test.hpp>

#include "http/listen_address.hpp"

using voxo::http::parse_listen_address;

BOOST_AUTO_TEST_SUITE(listen_address)

BOOST_AUTO_TEST_CASE(a_bare_port_means_all_interfaces) {
  auto a = parse_listen_address(":10368");
  BOOST_REQUIRE(a);
  BOOST_TEST(a->host == "");
  BOOST_TEST(a->port == 10368);
}

BOOST_AUTO_TEST_CASE(ipv4_bracketed_ipv6_and_host_names_are_split_from_the_port) {
  auto v4 = parse_listen_address("127.0.0.1:9000");
  auto v6 = parse_listen_address("[::1]:0");
  auto name = parse_listen_address("localhost:65535");
  BOOST_REQUIRE(v4 && v6 && name);
  BOOST_TEST(v4->host == "127.0.0.1");
  BOOST_TEST(v4->port == 9000);
  BOOST_TEST(v6->host == "::1");
  BOOST_TEST(v6->port == 0);
  BOOST_TEST(name->host == "localhost");
  BOOST_TEST(name->port == 65535);
}

BOOST_AUTO_TEST_CASE(malformed_addresses_are_refused) {
  for (const char* bad : {"", "10368", ":", ":65536", ":12a", "::1:9000", "[::1]9000", "[]:80", "[::1", "host:-1"})
    BOOST_TEST(!parse_listen_address(bad), bad);
}

BOOST_AUTO_TEST_SUITE_END()

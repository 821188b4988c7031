#include <boost/test/unit_test.hpp>

#include "api/url.hpp"

using voxo::api::parse_api_url;

BOOST_AUTO_TEST_SUITE(api_url)

BOOST_AUTO_TEST_CASE(https_defaults_to_port_443_and_an_empty_base_path) {
  auto url = parse_api_url("https://api.voxo.co");
  BOOST_REQUIRE(url.has_value());
  BOOST_TEST(url->tls);
  BOOST_TEST(url->host == "api.voxo.co");
  BOOST_TEST(url->port == 443);
  BOOST_TEST(url->base_path == "");
  BOOST_TEST(url->host_header() == "api.voxo.co");
  BOOST_TEST(!url->host_is_ip());
}

BOOST_AUTO_TEST_CASE(http_defaults_to_port_80) {
  auto url = parse_api_url("http://localhost/");
  BOOST_REQUIRE(url.has_value());
  BOOST_TEST(!url->tls);
  BOOST_TEST(url->port == 80);
  BOOST_TEST(url->base_path == "");
}

BOOST_AUTO_TEST_CASE(an_explicit_port_is_kept_and_appears_in_the_host_header) {
  auto url = parse_api_url("HTTPS://127.0.0.1:8443");
  BOOST_REQUIRE(url.has_value());
  BOOST_TEST(url->port == 8443);
  BOOST_TEST(url->host_is_ip());
  BOOST_TEST(url->host_header() == "127.0.0.1:8443");
}

BOOST_AUTO_TEST_CASE(a_base_path_is_kept_without_its_trailing_slash) {
  auto url = parse_api_url("https://gw.example.com/voxo/v2/");
  BOOST_REQUIRE(url.has_value());
  BOOST_TEST(url->base_path == "/voxo/v2");
}

BOOST_AUTO_TEST_CASE(an_ipv6_literal_loses_its_brackets_but_keeps_them_in_the_host_header) {
  auto url = parse_api_url("http://[::1]:8080/api");
  BOOST_REQUIRE(url.has_value());
  BOOST_TEST(url->host == "::1");
  BOOST_TEST(url->host_is_ip());
  BOOST_TEST(url->port == 8080);
  BOOST_TEST(url->base_path == "/api");
  BOOST_TEST(url->host_header() == "[::1]:8080");
}

BOOST_AUTO_TEST_CASE(malformed_urls_are_rejected) {
  for (const char* bad :
       {"", "api.voxo.co", "ftp://api.voxo.co", "https://", "https://:443", "https://host:", "https://host:0",
        "https://host:65536", "https://host:12ab", "https://[::1", "https://[nope]:1", "https://ho st",
        "https://host?x=1", "https://host/path#frag", "https://host/pa th"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!parse_api_url(bad).has_value()); }
  }
}

BOOST_AUTO_TEST_CASE(user_info_is_rejected_without_repeating_it) {
  auto url = parse_api_url("https://me:hunter2@api.voxo.co");
  BOOST_REQUIRE(!url.has_value());
  BOOST_TEST(url.error().find("hunter2") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

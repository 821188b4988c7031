#include <boost/test/unit_test.hpp>

#include <array>
#include <string>
#include <string_view>

#include "config/byte_size.hpp"
#include "config/yaml_reader.hpp"

using voxo::config::parse_byte_size;
using voxo::config::detail::closest_key;
using voxo::config::detail::in_quotes;

namespace {
constexpr std::array<std::string_view, 3> top{"api", "collector", "tenants"};
constexpr std::array<std::string_view, 3> api{"url", "token_file", "email"};
constexpr std::array<std::string_view, 3> tenant{"id", "billing_code", "name"};
constexpr std::array<std::string_view, 2> timing{"interval", "delay"};
}  // namespace

BOOST_AUTO_TEST_SUITE(yaml_reader)

BOOST_AUTO_TEST_CASE(typos_suggest_the_closest_key) {
  BOOST_TEST(closest_key("colector", top) == "collector");
  BOOST_TEST(closest_key("Collector", top) == "collector");
  BOOST_TEST(closest_key("token-file", api) == "token_file");
  BOOST_TEST(closest_key("billingcode", tenant) == "billing_code");
}

BOOST_AUTO_TEST_CASE(unrelated_keys_suggest_nothing) {
  BOOST_TEST(closest_key("web", top).empty());
  BOOST_TEST(closest_key("listen_address", timing).empty());
}

BOOST_AUTO_TEST_CASE(quoting_keeps_a_message_on_one_line) {
  BOOST_TEST(in_quotes("a\nb\t\"c\"\\") == "\"a\\nb\\t\\\"c\\\"\\\\\"");
  BOOST_TEST(in_quotes(std::string("\x01", 1)) == "\"\\x01\"");
}

BOOST_AUTO_TEST_CASE(quoting_cuts_long_values) {
  const std::string q = in_quotes(std::string(500, 'x'));
  BOOST_TEST(q.size() < 100u);
  BOOST_TEST(q.ends_with("...\""));
}

BOOST_AUTO_TEST_CASE(byte_sizes_take_binary_and_decimal_units) {
  BOOST_TEST(*parse_byte_size("268435456") == 268435456u);
  BOOST_TEST(*parse_byte_size("256MiB") == 256ull << 20);
  BOOST_TEST(*parse_byte_size("1GiB") == 1ull << 30);
  BOOST_TEST(*parse_byte_size("512KiB") == 512ull << 10);
  BOOST_TEST(*parse_byte_size("10MB") == 10'000'000u);
  BOOST_TEST(*parse_byte_size("10kB") == 10'000u);
  BOOST_TEST(*parse_byte_size("7B") == 7u);
}

BOOST_AUTO_TEST_CASE(malformed_byte_sizes_are_rejected) {
  for (const char* bad :
       {"", "MiB", "1.5GiB", "-1", "1 MiB", "1mib", "1Mi", "1XB", "+1", "99999999999999999999", "20000000TiB"}) {
    BOOST_TEST_CONTEXT("input \"" << bad << '"') { BOOST_TEST(!parse_byte_size(bad).has_value()); }
  }
}

BOOST_AUTO_TEST_SUITE_END()

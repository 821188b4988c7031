#include <boost/test/unit_test.hpp>

#include <variant>

#include "config/config_loader.hpp"
#include "config_test_support.hpp"

using voxo::config::load_config_file;

BOOST_FIXTURE_TEST_SUITE(example_configs, voxo::test::no_credentials_in_env)

BOOST_AUTO_TEST_CASE(the_minimal_example_loads) {
  const auto c = load_config_file(VOXO_SOURCE_DIR "/deploy/config/minimal.yml");
  BOOST_TEST(*c.api.token_file == "/etc/voxo_exporter/token");
  BOOST_REQUIRE(c.tenants.size() == 1u);
  BOOST_TEST(c.tenants[0].label == "37");
}

BOOST_AUTO_TEST_CASE(the_full_example_loads_and_sets_every_section) {
  const auto c = load_config_file(VOXO_SOURCE_DIR "/deploy/config/voxo_exporter.yml");
  BOOST_TEST(c.api.url == "https://api.voxo.co");
  BOOST_TEST(c.api.record_timezone == "America/Chicago");
  BOOST_TEST(c.api.max_response_bytes == 256ull << 20);
  BOOST_TEST(c.collector.concurrency == 4u);
  BOOST_TEST(*c.collector.state_file == "/var/lib/voxo_exporter/state.json");
  BOOST_REQUIRE(c.tenants.size() == 2u);
  BOOST_TEST(c.tenants[0].name == "acme");
  BOOST_TEST(std::holds_alternative<voxo::api::billing_code_scope>(c.tenants[1].scope));
  BOOST_TEST((c.metrics == voxo::config::metrics_config{}));  // documents the defaults
}

BOOST_AUTO_TEST_SUITE_END()

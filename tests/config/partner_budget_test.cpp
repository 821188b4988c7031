#include <boost/test/unit_test.hpp>

#include <string>
#include <variant>

#include "config/cli.hpp"
#include "config/config_loader.hpp"
#include "config_test_support.hpp"
#include "support/temp_dir.hpp"

using voxo::config::config;
using voxo::config::load_config_text;
using voxo::test::load_error;

namespace {
std::string with_api(const std::string& body) { return "api:\n  token_file: /run/token\n" + body; }
}  // namespace

BOOST_FIXTURE_TEST_SUITE(partner_and_budget_config, voxo::test::no_credentials_in_env)

BOOST_AUTO_TEST_CASE(partner_wide_mode_polls_one_partner_scope) {
  const config c = load_config_text(with_api("tenants: {partner: true}\n"), "test.yml");
  BOOST_TEST(c.partner.enabled);
  BOOST_TEST(c.partner.max_accounts == 1000u);
  BOOST_REQUIRE(c.tenants.size() == 1u);
  BOOST_TEST(std::holds_alternative<voxo::api::partner_scope>(c.tenants[0].scope));
  BOOST_TEST(c.tenants[0].label == "partner");
  BOOST_TEST(!c.discovery.enabled);
}

BOOST_AUTO_TEST_CASE(partner_accounts_and_the_cap_are_read) {
  const config c = load_config_text(with_api("tenants:\n  partner: true\n  max_accounts: 50\n  accounts:\n"
                                             "    - {billing_code: B101, name: Acme}\n    - billing_code: B102\n"),
                                    "test.yml");
  BOOST_TEST(c.partner.max_accounts == 50u);
  BOOST_REQUIRE(c.partner.accounts.size() == 2u);
  BOOST_TEST(c.partner.accounts[0].label == "B101");
  BOOST_TEST(c.partner.accounts[0].name == "Acme");
  BOOST_TEST(c.partner.accounts[1].label == "B102");
}

BOOST_AUTO_TEST_CASE(partner_mode_refuses_what_would_count_twice_or_make_no_sense) {
  BOOST_TEST(load_error(with_api("tenants: {partner: true, discover: true}\n")).find("drop discover") !=
             std::string::npos);
  BOOST_TEST(load_error(with_api("tenants: {partner: false}\n")).find("false") != std::string::npos);
  BOOST_TEST(load_error(with_api("tenants:\n  partner: true\n  accounts: [{id: 37}]\n")).find("use billing_code") !=
             std::string::npos);
  BOOST_TEST(load_error(with_api("tenants:\n  partner: true\n  accounts: [{billing_code: A}, {billing_code: A}]\n"))
                 .find("duplicate account") != std::string::npos);
  BOOST_TEST(load_error(with_api("tenants:\n  partner: true\n  accounts: [{billing_code: partner}]\n"))
                 .find("label of records") != std::string::npos);
  BOOST_TEST(load_error(with_api("tenants: {partner: true, max_accounts: 0}\n")).find("between 1 and") !=
             std::string::npos);
  BOOST_TEST(load_error(with_api("tenants: {partner: true, bogus: 1}\n")).find("unknown key") != std::string::npos);
  BOOST_TEST(load_error(with_api("max_accounts: 5\ntenants: {partner: true}\n")).find("under \"tenants:\"") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(partner_mode_cannot_be_sharded) {
  voxo::test::temp_dir dir;
  const auto path = dir.write("c.yml", "api: {token_file: /t}\ntenants: {partner: true}\n").string();
  voxo::config::cli_options o;
  o.config_file = path;
  o.shard = {0, 1};
  BOOST_TEST(voxo::config::load_config(o).tenants.size() == 1u);
  o.shard = {1, 3};
  try {
    voxo::config::load_config(o);
    BOOST_FAIL("loaded");
  } catch (const voxo::config::config_error& e) {
    BOOST_TEST(std::string(e.what()).find("cannot be sharded") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(the_api_budget_is_a_rate_and_unlimited_by_default) {
  BOOST_TEST(load_config_text(with_api("tenants: [{id: 1}]\n"), "t").collector.max_requests_per_second == 0.0);
  BOOST_TEST(load_config_text(with_api("collector: {max_requests_per_second: 2.5}\ntenants: [{id: 1}]\n"), "t")
                 .collector.max_requests_per_second == 2.5);
  BOOST_TEST(load_config_text(with_api("collector: {max_requests_per_second: 0}\ntenants: [{id: 1}]\n"), "t")
                 .collector.max_requests_per_second == 0.0);
  for (const char* bad : {"-1", "fast", "1e9", "nan", "inf", "2 "})
    BOOST_TEST(
        load_error(with_api(std::string("collector: {max_requests_per_second: '") + bad + "'}\ntenants: [{id: 1}]\n"))
                .find("requests per second") != std::string::npos,
        bad);
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <ostream>
#include <string>
#include <variant>
#include <vector>

#include "config/config_loader.hpp"
#include "config_test_support.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using voxo::config::config;
using voxo::config::config_error;
using voxo::config::load_config_file;
using voxo::config::load_config_text;
using voxo::test::load_error;
using voxo::test::scoped_env;

namespace {

constexpr const char* minimal = R"(api:
  token_file: /run/token
tenants:
  - id: 37
)";

// `body` is appended after a valid api section (line 1-2): the first line of `body` is line 3.
std::string with_api(const std::string& body) { return "api:\n  token_file: /run/token\n" + body; }

long long tenant_id(const voxo::config::tenant_config& t) {
  return std::get<voxo::api::tenant_scope>(t.scope).tenant_id;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(config_loader, voxo::test::no_credentials_in_env)

// ---- what loads -------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_minimal_file_loads_with_every_default) {
  const config c = load_config_text(minimal, "test.yml");
  BOOST_TEST(c.source == "test.yml");
  BOOST_TEST(c.api.url == "https://api.voxo.co");
  BOOST_TEST(*c.api.token_file == "/run/token");
  BOOST_TEST(!c.api.email.has_value());
  BOOST_TEST(!c.api.password_file.has_value());
  BOOST_TEST(c.api.timezone == "America/Chicago");
  BOOST_TEST(c.api.record_timezone == "America/Chicago");
  BOOST_TEST(!c.api.ca_file.has_value());
  BOOST_TEST(c.api.timeout.count() == std::chrono::milliseconds(30s).count());
  BOOST_TEST(c.api.max_response_bytes == 256ull << 20);
  BOOST_TEST(c.api.max_connections == 4u);
  BOOST_TEST(c.collector.interval.count() == std::chrono::milliseconds(60s).count());
  BOOST_TEST(c.collector.delay.count() == std::chrono::milliseconds(2min).count());
  BOOST_TEST(c.collector.overlap.count() == std::chrono::milliseconds(15min).count());
  BOOST_TEST(c.collector.lookback.count() == std::chrono::milliseconds(1h).count());
  BOOST_TEST(c.collector.concurrency == 4u);
  BOOST_TEST(!c.collector.state_file.has_value());
  BOOST_REQUIRE(c.tenants.size() == 1u);
  BOOST_TEST(tenant_id(c.tenants[0]) == 37);
  BOOST_TEST(c.tenants[0].label == "37");
  BOOST_TEST(c.tenants[0].name == "");
  BOOST_TEST(!c.discovery.enabled);
  BOOST_TEST(c.web.listen_address == ":10368");
  BOOST_TEST(c.log.level == "info");
}

BOOST_AUTO_TEST_CASE(every_key_is_read) {
  const config c = load_config_text(R"(api:
  url: http://127.0.0.1:8080/base
  email: ops@example.com
  password_file: /run/pass
  timezone: Europe/Berlin
  record_timezone: UTC
  ca_file: /etc/ca.pem
  timeout: 5s
  max_response_bytes: 1GiB
collector:
  interval: 30s
  delay: 1m
  overlap: 5m
  lookback: 2h
  concurrency: 8
  state_file: /var/lib/state.json
tenants:
  - id: 37
    name: acme
  - billing_code: XXXX
)",
                                    "test.yml");
  BOOST_TEST(c.api.url == "http://127.0.0.1:8080/base");
  BOOST_TEST(*c.api.email == "ops@example.com");
  BOOST_TEST(*c.api.password_file == "/run/pass");
  BOOST_TEST(c.api.timezone == "Europe/Berlin");
  BOOST_TEST(c.api.record_timezone == "UTC");
  BOOST_TEST(*c.api.ca_file == "/etc/ca.pem");
  BOOST_TEST(c.api.timeout.count() == 5000);
  BOOST_TEST(c.api.max_response_bytes == 1ull << 30);
  BOOST_TEST(c.collector.interval.count() == 30000);
  BOOST_TEST(c.collector.delay.count() == 60000);
  BOOST_TEST(c.collector.overlap.count() == 300000);
  BOOST_TEST(c.collector.lookback.count() == 7200000);
  BOOST_TEST(c.collector.concurrency == 8u);
  BOOST_TEST(c.api.max_connections == 8u);
  BOOST_TEST(*c.collector.state_file == "/var/lib/state.json");
  BOOST_REQUIRE(c.tenants.size() == 2u);
  BOOST_TEST(tenant_id(c.tenants[0]) == 37);
  BOOST_TEST(c.tenants[0].name == "acme");
  BOOST_TEST(std::get<voxo::api::billing_code_scope>(c.tenants[1].scope).billing_code == "XXXX");
  BOOST_TEST(c.tenants[1].label == "XXXX");
}

BOOST_AUTO_TEST_CASE(record_timezone_defaults_to_timezone) {
  const config c = load_config_text(with_api("  timezone: America/New_York\ntenants: [{id: 1}]\n"), "test.yml");
  BOOST_TEST(c.api.record_timezone == "America/New_York");
}

BOOST_AUTO_TEST_CASE(max_response_bytes_accepts_a_plain_number) {
  const config c = load_config_text(with_api("  max_response_bytes: 1000\ntenants: [{id: 1}]\n"), "test.yml");
  BOOST_TEST(c.api.max_response_bytes == 1000u);
}

BOOST_AUTO_TEST_CASE(delay_and_overlap_may_be_zero) {
  const config c = load_config_text(with_api("collector: {delay: 0, overlap: 0s}\ntenants: [{id: 1}]\n"), "test.yml");
  BOOST_TEST(c.collector.delay.count() == 0);
  BOOST_TEST(c.collector.overlap.count() == 0);
}

BOOST_AUTO_TEST_CASE(tenant_ids_become_canonical_labels) {
  const config c = load_config_text(with_api("tenants: [{id: 0037}, {id: \"12\"}]\n"), "test.yml");
  BOOST_TEST(c.tenants[0].label == "37");
  BOOST_TEST(c.tenants[1].label == "12");
}

BOOST_AUTO_TEST_CASE(tenant_discovery_is_read) {
  const config c = load_config_text(
      with_api("tenants:\n  discover: true\n  include: ['^acme', '^37$']\n  exclude: [test]\n  refresh: 5m\n"),
      "test.yml");
  BOOST_TEST(c.discovery.enabled);
  BOOST_TEST(c.discovery.include == (std::vector<std::string>{"^acme", "^37$"}), boost::test_tools::per_element());
  BOOST_TEST(c.discovery.exclude == (std::vector<std::string>{"test"}), boost::test_tools::per_element());
  BOOST_TEST(c.discovery.refresh.count() == 300000);
  BOOST_TEST(c.tenants.empty());
}

BOOST_AUTO_TEST_CASE(tenant_discovery_defaults_to_everything_every_10m) {
  const config c = load_config_text(with_api("tenants: {discover: true}\n"), "test.yml");
  BOOST_TEST(c.discovery.enabled);
  BOOST_TEST(c.discovery.include.empty());
  BOOST_TEST(c.discovery.exclude.empty());
  BOOST_TEST(c.discovery.refresh.count() == 600000);
}

BOOST_AUTO_TEST_CASE(voxo_token_in_the_environment_is_enough_credentials) {
  scoped_env token("VOXO_TOKEN", "t");
  BOOST_TEST(load_error("tenants: [{id: 1}]\n") == "");
}

BOOST_AUTO_TEST_CASE(email_with_voxo_password_in_the_environment_is_enough_credentials) {
  scoped_env password("VOXO_PASSWORD", "p");
  BOOST_TEST(load_error("api: {email: a@b.c}\ntenants: [{id: 1}]\n") == "");
}

BOOST_AUTO_TEST_CASE(a_file_sets_source_and_resolves_relative_paths_against_its_folder) {
  voxo::test::temp_dir dir;
  const auto path = dir.write("c.yml",
                              "api: {token_file: token, ca_file: /abs/ca.pem}\n"
                              "collector: {state_file: sub/state.json}\ntenants: [{id: 1}]\n");
  const config c = load_config_file(path.string());
  BOOST_TEST(c.source == path.string());
  BOOST_TEST(*c.api.token_file == (dir.path() / "token").string());
  BOOST_TEST(*c.api.ca_file == "/abs/ca.pem");
  BOOST_TEST(*c.collector.state_file == (dir.path() / "sub/state.json").string());
}

// ---- one mistake each ---------------------------------------------------------------------

// Refusals: each row a config that cannot work and the one line that names where and why
// (file:line: key: reason). The row's name says what is refused, as its own test case did.
namespace {

struct refusal {
  const char* name;
  std::string yaml;
  std::string error;
};
std::ostream& operator<<(std::ostream& os, const refusal& r) { return os << r.name; }

const std::vector<refusal>& refusals() {
  static const std::vector<refusal> rows = {
      {"an_unknown_top_level_key_is_named_with_a_suggestion",
       with_api("colector:\n  interval: 30s\ntenants: [{id: 1}]\n"),
       "test.yml:3: unknown key \"colector\" (did you mean \"collector\"?)"},
      {"an_unknown_nested_key_is_named_with_its_section_and_a_suggestion",
       with_api("collector:\n  intervall: 30s\ntenants: [{id: 1}]\n"),
       "test.yml:4: collector: unknown key \"intervall\" (did you mean \"interval\"?)"},
      {"an_unknown_key_unlike_any_known_one_gets_no_suggestion", with_api("tenants: [{id: 1}]\nweb: {listen: x}\n"),
       "test.yml:4: unknown key \"web\""},
      {"a_section_key_at_the_top_level_names_its_section", with_api("interval: 30s\ntenants: [{id: 1}]\n"),
       "test.yml:3: unknown key \"interval\" (it belongs under \"collector:\")"},
      {"an_unknown_key_in_a_tenant_is_named_with_its_index", with_api("tenants:\n  - id: 1\n  - id: 2\n    nmae: x\n"),
       "test.yml:6: tenants[1]: unknown key \"nmae\" (did you mean \"name\"?)"},
      {"a_duplicate_key_is_refused", with_api("tenants: [{id: 1}]\ntenants: [{id: 2}]\n"),
       "test.yml:4: duplicate key \"tenants\""},
      {"a_wrong_type_names_the_key_and_both_types", with_api("collector:\n  interval: [1]\ntenants: [{id: 1}]\n"),
       "test.yml:4: collector.interval: expected a duration such as 30s, got a sequence"},
      {"a_key_without_a_value_is_refused", "api:\n  url:\n  token_file: /t\ntenants: [{id: 1}]\n",
       "test.yml:2: api.url: no value (expected a string)"},
      {"a_bad_duration_shows_the_value_and_the_syntax",
       with_api("collector:\n  interval: 5 minutes\ntenants: [{id: 1}]\n"),
       "test.yml:4: collector.interval: invalid duration \"5 minutes\" (use e.g. 30s, 5m, 1h)"},
      {"a_zero_interval_is_refused", with_api("collector: {interval: 0s}\ntenants: [{id: 1}]\n"),
       "test.yml:3: collector.interval: must be between 1s and 1d, got 0s"},
      {"a_zero_lookback_is_refused", with_api("collector: {lookback: 0}\ntenants: [{id: 1}]\n"),
       "test.yml:3: collector.lookback: must be between 1s and 1y1d, got 0s"},
      {"a_zero_timeout_is_refused", "api: {token_file: /t, timeout: 0ms}\ntenants: [{id: 1}]\n",
       "test.yml:1: api.timeout: must be between 100ms and 1h, got 0s"},
      {"an_empty_tenant_list_is_refused", with_api("tenants: []\n"),
       "test.yml:3: tenants: no tenants (list at least one, or use {discover: true})"},
      {"a_missing_tenants_section_is_refused", with_api("collector: {interval: 30s}\n"),
       "test.yml: tenants: missing (list the tenants to poll, or set tenants: {discover: true})"},
      {"tenants_as_a_plain_value_is_refused", with_api("tenants: 37\n"),
       "test.yml:3: tenants: expected a list of tenants, {discover: true} or {partner: true}, got a string"},
      {"a_duplicate_tenant_id_is_refused", with_api("tenants:\n  - id: 37\n  - id: 37\n"),
       "test.yml:5: tenants[1]: duplicate tenant \"37\" (already in tenants[0])"},
      {"a_duplicate_billing_code_is_refused", with_api("tenants:\n  - billing_code: XX\n  - billing_code: XX\n"),
       "test.yml:5: tenants[1]: duplicate tenant \"XX\" (already in tenants[0])"},
      {"an_id_and_a_billing_code_with_the_same_label_are_refused",
       with_api("tenants:\n  - id: 37\n  - billing_code: '37'\n"),
       "test.yml:5: tenants[1]: duplicate tenant \"37\" (already in tenants[0])"},
      {"a_tenant_with_both_id_and_billing_code_is_refused", with_api("tenants:\n  - id: 37\n    billing_code: XX\n"),
       "test.yml:4: tenants[0]: set either id or billing_code, not both"},
      {"a_tenant_with_neither_id_nor_billing_code_is_refused", with_api("tenants:\n  - name: acme\n"),
       "test.yml:4: tenants[0]: needs an id or a billing_code"},
      {"a_negative_tenant_id_is_refused", with_api("tenants:\n  - id: -1\n"),
       "test.yml:4: tenants[0].id: invalid tenant id \"-1\" (expected a positive whole number)"},
      {"discovery_switched_off_is_refused", with_api("tenants: {discover: false}\n"),
       "test.yml:3: tenants.discover: false leaves no tenants to poll (list the tenants instead)"},
      {"discovery_without_discover_true_is_refused", with_api("tenants: {include: [a]}\n"),
       "test.yml:3: tenants: needs discover: true (or a list of tenants)"},
      {"discover_must_be_a_boolean", with_api("tenants: {discover: yes}\n"),
       "test.yml:3: tenants.discover: invalid value \"yes\" (expected true or false)"},
      {"an_unknown_time_zone_is_refused", with_api("  timezone: Mars/Olympus\ntenants: [{id: 1}]\n"),
       "test.yml:3: api.timezone: unknown time zone \"Mars/Olympus\" (use an IANA name such as America/Chicago)"},
      {"an_unknown_record_time_zone_is_refused", with_api("  record_timezone: CST6\ntenants: [{id: 1}]\n"),
       "test.yml:3: api.record_timezone: unknown time zone \"CST6\" (use an IANA name such as America/Chicago)"},
      {"an_ftp_url_is_refused", with_api("  url: ftp://api.voxo.co\ntenants: [{id: 1}]\n"),
       "test.yml:3: api.url: the URL must start with http:// or https://"},
      {"a_url_without_host_is_refused", with_api("  url: https:///path\ntenants: [{id: 1}]\n"),
       "test.yml:3: api.url: no host in the URL"},
      {"a_url_with_a_bad_port_is_refused", with_api("  url: http://h:99999\ntenants: [{id: 1}]\n"),
       "test.yml:3: api.url: bad port \"99999\" in the URL"},
      {"no_credentials_at_all_is_refused", "tenants: [{id: 1}]\n",
       "test.yml: api: no credentials (set token_file, or email with password_file, or VOXO_TOKEN)"},
      {"a_password_file_without_email_is_refused", "api: {password_file: /p}\ntenants: [{id: 1}]\n",
       "test.yml: api.password_file: needs api.email"},
      {"an_email_without_any_password_is_refused", "api: {email: a@b.c}\ntenants: [{id: 1}]\n",
       "test.yml: api.email: no password (set api.password_file, or VOXO_PASSWORD in the environment)"},
      {"a_token_file_together_with_a_login_is_refused",
       "api: {token_file: /t, email: a@b.c, password_file: /p}\ntenants: [{id: 1}]\n",
       "test.yml: api: set either token_file, or email with password_file, not both"},
      {"concurrency_zero_is_refused", with_api("collector: {concurrency: 0}\ntenants: [{id: 1}]\n"),
       "test.yml:3: collector.concurrency: must be between 1 and 64"},
      {"concurrency_above_64_is_refused", with_api("collector: {concurrency: 65}\ntenants: [{id: 1}]\n"),
       "test.yml:3: collector.concurrency: must be between 1 and 64"},
      {"concurrency_must_be_a_whole_number", with_api("collector: {concurrency: 2.5}\ntenants: [{id: 1}]\n"),
       "test.yml:3: collector.concurrency: invalid number \"2.5\" (expected a whole number such as 4)"},
      {"a_bad_size_is_refused", with_api("  max_response_bytes: 1.5GiB\ntenants: [{id: 1}]\n"),
       "test.yml:3: api.max_response_bytes: invalid size \"1.5GiB\" (use e.g. 268435456, 256MiB, 1GiB)"},
      {"an_empty_file_is_refused", "",
       "test.yml: empty configuration (expected a mapping with api, collector and tenants)"},
      {"a_file_that_is_a_yaml_list_is_refused", "- api\n- tenants\n",
       "test.yml:1: expected a mapping with api, collector and tenants at the top level, got a sequence"},
      {"a_second_yaml_document_is_refused", std::string(minimal) + "---\ntenants: [{id: 2}]\n",
       "test.yml:5: more than one YAML document, or text after the end of the first"},
  };
  return rows;
}

}  // namespace

BOOST_DATA_TEST_CASE(a_config_that_cannot_work_is_refused_naming_where_and_why,
                     boost::unit_test::data::make(refusals()), row) {
  BOOST_TEST(load_error(row.yaml) == row.error);
}

BOOST_AUTO_TEST_CASE(a_password_at_the_top_level_is_refused_without_repeating_it) {
  const std::string e = load_error(with_api("password: hunter2\ntenants: [{id: 1}]\n"));
  BOOST_TEST(e.starts_with("test.yml:3: password: secrets don't belong in config files"), e);
  BOOST_TEST(e.find("hunter2") == std::string::npos);
}

// 300y fits in milliseconds but overflows steady_clock (nanoseconds, ~292 years): it polled in
// a tight loop (interval) or failed every request at once (timeout).
BOOST_AUTO_TEST_CASE(every_duration_has_a_range_named_in_the_error) {
  const std::pair<std::string, std::string> cases[] = {
      {"api: {token_file: /t, timeout: 300y}\ntenants: [{id: 1}]\n",
       "test.yml:1: api.timeout: must be between 100ms and 1h, got 300y"},
      {with_api("collector: {interval: 300y}\ntenants: [{id: 1}]\n"),
       "test.yml:3: collector.interval: must be between 1s and 1d, got 300y"},
      {with_api("collector: {interval: 500ms}\ntenants: [{id: 1}]\n"),
       "test.yml:3: collector.interval: must be between 1s and 1d, got 500ms"},
      {with_api("collector: {delay: 8d, lookback: 30d}\ntenants: [{id: 1}]\n"),
       "test.yml:3: collector.delay: must be between 0s and 1w, got 1w1d"},
      {with_api("collector: {overlap: 300y}\ntenants: [{id: 1}]\n"),
       "test.yml:3: collector.overlap: must be between 0s and 1w, got 300y"},
      {with_api("collector: {lookback: 2y}\ntenants: [{id: 1}]\n"),
       "test.yml:3: collector.lookback: must be between 1s and 1y1d, got 2y"},
      {with_api("tenants: {discover: true, refresh: 1s}\n"),
       "test.yml:3: tenants.refresh: must be between 10s and 1w, got 1s"},
      {with_api("tenants: {discover: true, refresh: 300y}\n"),
       "test.yml:3: tenants.refresh: must be between 10s and 1w, got 300y"},
  };
  for (const auto& [yaml, error] : cases) BOOST_TEST(load_error(yaml) == error, yaml);
}

BOOST_AUTO_TEST_CASE(the_range_bounds_themselves_are_accepted) {
  const config c = load_config_text(
      "api: {token_file: /t, timeout: 1h}\ncollector: {interval: 1d, delay: 1w, overlap: 1w, lookback: 366d}\n"
      "tenants: {discover: true, refresh: 10s}\n",
      "test.yml");
  BOOST_TEST(c.collector.lookback.count() == std::chrono::milliseconds(366 * 24h).count());
}

BOOST_AUTO_TEST_CASE(a_delay_not_shorter_than_the_lookback_is_refused_where_it_is_written) {
  // Nothing to ask for, yet it looked ready with voxo_up 1 and never made a request.
  BOOST_TEST(load_error(with_api("collector: {delay: 2h, lookback: 1h}\ntenants: [{id: 1}]\n")) ==
             "test.yml:3: collector.delay: must be shorter than collector.lookback (1h), got 2h");
  BOOST_TEST(load_error(with_api("collector: {delay: 1h, lookback: 1h}\ntenants: [{id: 1}]\n")) ==
             "test.yml:3: collector.delay: must be shorter than collector.lookback (1h), got 1h");
  // Only the lookback written: against the default delay (2m).
  BOOST_TEST(load_error(with_api("collector: {lookback: 1m}\ntenants: [{id: 1}]\n")) ==
             "test.yml:3: collector.lookback: must be longer than collector.delay (2m), got 1m");
}

BOOST_AUTO_TEST_CASE(tenant_ids_that_are_not_positive_whole_numbers_are_refused) {
  for (const char* bad : {"0", "3.5", "37abc", "0x25", "1e3", "+37", "99999999999999999999", "' 37'"}) {
    BOOST_TEST_CONTEXT("id " << bad) {
      BOOST_TEST(load_error(with_api(std::string("tenants: [{id: ") + bad + "}]\n"))
                     .find("tenants[0].id: invalid tenant id") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_bad_regex_is_named) {
  const std::string e = load_error(with_api("tenants:\n  discover: true\n  exclude: [ok, '(unclosed']\n"));
  BOOST_TEST(e.starts_with("test.yml:5: tenants.exclude[1]: invalid regex \"(unclosed\" (RE2 syntax): missing )"), e);
}

BOOST_AUTO_TEST_CASE(a_regex_repetition_count_over_1000_is_refused) {
  const std::string e = load_error(with_api("tenants: {discover: true, exclude: ['a{2,1001}']}\n"));
  BOOST_TEST(
      e ==
      "test.yml:3: tenants.exclude[0]: invalid regex \"a{2,1001}\" (RE2 syntax): invalid repetition size: {2,1001}");
}

BOOST_AUTO_TEST_CASE(a_brace_that_is_no_repetition_is_a_literal_as_in_re2) {
  // RE2 reads "{" with a count past its integer range as a plain character (std::regex
  // overflowed a signed integer here).
  const std::string huge = "[0-9]{" + std::string(30, '5') + ",}";
  BOOST_TEST(load_error(with_api("tenants: {discover: true, include: ['" + huge + "']}\n")).empty());
}

BOOST_AUTO_TEST_CASE(ecmascript_only_regex_features_are_refused_as_not_re2) {
  // Backreferences and lookarounds can't run in linear time: RE2 (and Prometheus) have none.
  const std::string e = load_error(with_api("tenants: {discover: true, include: ['(a)\\1']}\n"));
  BOOST_TEST(e.starts_with("test.yml:3: tenants.include[0]: invalid regex \"(a)\\\\1\" (RE2 syntax): invalid escape"),
             e);
  const std::string e2 = load_error(with_api("tenants: {discover: true, exclude: ['a(?=b)']}\n"));
  BOOST_TEST(e2.starts_with("test.yml:3: tenants.exclude[0]: invalid regex \"a(?=b)\" (RE2 syntax): "), e2);
}

BOOST_AUTO_TEST_CASE(regex_repetition_counts_up_to_1000_and_escaped_braces_are_accepted) {
  BOOST_TEST(
      load_error(with_api("tenants: {discover: true, include: ['^a{1,1000}$', '\\{99999\\}', 'b{3}']}\n")).empty());
}

BOOST_AUTO_TEST_CASE(a_very_long_regex_is_refused) {
  const std::string e = load_error(with_api("tenants: {discover: true, include: [" + std::string(2000, 'a') + "]}\n"));
  BOOST_TEST(e == "test.yml:3: tenants.include[0]: regex longer than 1024 characters");
}

BOOST_AUTO_TEST_CASE(a_url_with_user_info_is_refused_without_repeating_it) {
  const std::string e = load_error(with_api("  url: https://ops:hunter2@api.voxo.co\ntenants: [{id: 1}]\n"));
  BOOST_TEST(e.starts_with("test.yml:3: api.url: no user name or password in the URL"), e);
  BOOST_TEST(e.find("hunter2") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_inline_password_is_refused_without_repeating_it) {
  const std::string e = load_error("api:\n  email: a@b.c\n  password: hunter2\ntenants: [{id: 1}]\n");
  BOOST_TEST(e.starts_with("test.yml:3: api.password: passwords don't belong in config files"), e);
  BOOST_TEST(e.find("password_file") != std::string::npos);
  BOOST_TEST(e.find("hunter2") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_inline_token_is_refused_without_repeating_it) {
  const std::string e = load_error("api:\n  token: abc.def.ghi\ntenants: [{id: 1}]\n");
  BOOST_TEST(e.starts_with("test.yml:2: api.token: tokens don't belong in config files"), e);
  BOOST_TEST(e.find("abc.def") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_yaml_syntax_error_gives_the_line) {
  const std::string e = load_error(with_api("tenants:\n  - id: [1\n"));
  BOOST_TEST(e.starts_with("test.yml:5: invalid YAML: "), e);
}

BOOST_AUTO_TEST_CASE(a_file_of_only_comments_is_refused_as_empty) {
  BOOST_TEST(load_error("# nothing\n").find("empty configuration") != std::string::npos);
}

// yaml-cpp 0.7's LoadAll never returns on this (jbeder/yaml-cpp#1319).
BOOST_AUTO_TEST_CASE(a_stray_comma_is_refused_rather_than_hanging) {
  BOOST_TEST(load_error("\n,\n    ").starts_with("test.yml:"));
}

BOOST_AUTO_TEST_CASE(control_characters_in_messages_are_escaped_onto_one_line) {
  const std::string e = load_error(with_api("collector:\n  interval: \"5\\nm\"\ntenants: [{id: 1}]\n"));
  BOOST_TEST(e == "test.yml:4: collector.interval: invalid duration \"5\\nm\" (use e.g. 30s, 5m, 1h)");
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_named) {
  voxo::test::temp_dir dir;
  const std::string path = (dir.path() / "nope.yml").string();
  try {
    load_config_file(path);
    BOOST_FAIL("loaded a missing file");
  } catch (const config_error& e) {
    BOOST_TEST(std::string(e.what()) == path + ": cannot read: No such file or directory");
  }
}

BOOST_AUTO_TEST_CASE(a_directory_is_refused_as_a_config_file) {
  voxo::test::temp_dir dir;
  try {
    load_config_file(dir.path().string());
    BOOST_FAIL("loaded a directory");
  } catch (const config_error& e) {
    BOOST_TEST(std::string(e.what()) == dir.path().string() + ": is a directory, not a config file");
  }
}

BOOST_AUTO_TEST_CASE(errors_in_a_file_are_prefixed_with_its_path) {
  voxo::test::temp_dir dir;
  const auto path = dir.write("c.yml", "api: {token_file: /t}\ncolector: {}\ntenants: [{id: 1}]\n");
  try {
    load_config_file(path.string());
    BOOST_FAIL("loaded a bad file");
  } catch (const config_error& e) {
    BOOST_TEST(std::string(e.what()) == path.string() + ":2: unknown key \"colector\" (did you mean \"collector\"?)");
  }
}

// ---- metrics: (cardinality) ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(metrics_defaults_keep_per_tenant_histograms_and_no_extra_labels) {
  const config c = load_config_text(minimal, "test.yml");
  BOOST_TEST(c.metrics.per_tenant_histograms);
  BOOST_TEST(!c.metrics.extra_labels.any());
  BOOST_TEST(c.metrics.extra_labels.max_values == 20u);
  BOOST_TEST((c.metrics.new_series_hold == std::chrono::minutes(2)));
}

BOOST_AUTO_TEST_CASE(metrics_keys_are_read) {
  const config c = load_config_text(with_api("metrics:\n  per_tenant_histograms: false\n"
                                             "  extra_labels: [jurisdiction, toll_free]\n  max_label_values: 5\n"
                                             "  new_series_hold: 45s\n"
                                             "tenants: [{id: 1}]\n"),
                                    "test.yml");
  BOOST_TEST(!c.metrics.per_tenant_histograms);
  BOOST_TEST(c.metrics.extra_labels.on(voxo::metrics::extra_label::jurisdiction));
  BOOST_TEST(!c.metrics.extra_labels.on(voxo::metrics::extra_label::international));
  BOOST_TEST(c.metrics.extra_labels.on(voxo::metrics::extra_label::toll_free));
  BOOST_TEST(c.metrics.extra_labels.max_values == 5u);
  BOOST_TEST((c.metrics.new_series_hold == std::chrono::seconds(45)));
}

BOOST_AUTO_TEST_CASE(metrics_mistakes_get_a_clear_error) {
  auto err = [](const std::string& metrics) {
    return load_error(with_api("metrics:\n" + metrics + "tenants: [{id: 1}]\n"));
  };
  BOOST_TEST(
      err("  extra_labels: [jurisdiction, tollfree]\n") ==
      "test.yml:4: metrics.extra_labels[1]: unknown extra label \"tollfree\" (use jurisdiction, international or "
      "toll_free)");
  BOOST_TEST(err("  extra_labels: [international, international]\n") ==
             "test.yml:4: metrics.extra_labels[1]: extra label \"international\" listed twice");
  BOOST_TEST(err("  extra_labels: jurisdiction\n").find("metrics.extra_labels") != std::string::npos);
  BOOST_TEST(err("  max_label_values: 0\n") == "test.yml:4: metrics.max_label_values: must be between 1 and 1000");
  BOOST_TEST(err("  max_label_values: 1001\n") == "test.yml:4: metrics.max_label_values: must be between 1 and 1000");
  BOOST_TEST(err("  new_series_hold: 25h\n") ==
             "test.yml:4: metrics.new_series_hold: must be at most 24h (a new series shows 0 that long)");
  BOOST_TEST(err("  new_series_hold: soon\n").find("metrics.new_series_hold") != std::string::npos);
  BOOST_TEST(err("  per_tenant_histograms: no\n").find("metrics.per_tenant_histograms") != std::string::npos);
  BOOST_TEST(err("  per_tenant_histogram: false\n").find("did you mean \"per_tenant_histograms\"") !=
             std::string::npos);
  BOOST_TEST(load_error(with_api("extra_labels: [jurisdiction]\ntenants: [{id: 1}]\n")) ==
             "test.yml:3: unknown key \"extra_labels\" (it belongs under \"metrics:\")");
}

BOOST_AUTO_TEST_SUITE_END()

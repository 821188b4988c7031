#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <filesystem>

#include <initializer_list>
#include <ostream>
#include <string>
#include <vector>

#include "config/cli.hpp"
#include "config_test_support.hpp"
#include "support/temp_dir.hpp"

using voxo::config::cli_result;
using voxo::config::parse_command_line;

namespace {

cli_result parse(const std::vector<const char*>& flags) {
  std::vector<const char*> argv{"voxo_exporter"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  return parse_command_line(static_cast<int>(argv.size()), argv.data());
}
cli_result parse(std::initializer_list<const char*> flags) { return parse(std::vector<const char*>(flags)); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(cli, voxo::test::no_credentials_in_env)

BOOST_AUTO_TEST_CASE(no_flags_give_the_defaults_and_demo_mode) {
  const auto r = parse({});
  BOOST_TEST(!r.exit);
  BOOST_TEST(r.options.config_file.empty());
  BOOST_TEST(!r.options.config_check);
  BOOST_TEST(r.options.web.listen_address == ":10368");
  BOOST_TEST(r.options.web.telemetry_path == "/metrics");
  BOOST_TEST(!r.options.web.web_config_file.has_value());
  BOOST_TEST(r.options.log.level == "info");
  BOOST_TEST(r.options.log.format == "logfmt");
}

BOOST_AUTO_TEST_CASE(flags_accept_an_equals_sign) {
  const auto r = parse({"--config.file=/etc/v.yml", "--web.listen-address=127.0.0.1:0", "--web.telemetry-path=/m",
                        "--web.config.file=/etc/web.yml", "--log.level=debug", "--log.format=json"});
  BOOST_TEST(!r.exit, r.output);
  BOOST_TEST(r.options.config_file == "/etc/v.yml");
  BOOST_TEST(r.options.web.listen_address == "127.0.0.1:0");
  BOOST_TEST(r.options.web.telemetry_path == "/m");
  BOOST_TEST(*r.options.web.web_config_file == "/etc/web.yml");
  BOOST_TEST(r.options.log.level == "debug");
  BOOST_TEST(r.options.log.format == "json");
}

BOOST_AUTO_TEST_CASE(flags_accept_the_value_as_the_next_argument) {
  const auto r = parse({"--config.file", "/etc/v.yml", "--web.listen-address", "[::1]:9999", "--log.level", "warn"});
  BOOST_TEST(!r.exit, r.output);
  BOOST_TEST(r.options.config_file == "/etc/v.yml");
  BOOST_TEST(r.options.web.listen_address == "[::1]:9999");
  BOOST_TEST(r.options.log.level == "warn");
}

// A bad command line: exit code 2 and a message naming what is wrong (never a secret given).
namespace {

struct bad_command_line {
  const char* name;
  std::vector<const char*> flags;
  std::vector<std::string> mentions{};        // each appears in the output
  std::vector<std::string> never_mentions{};  // none does
};
std::ostream& operator<<(std::ostream& os, const bad_command_line& r) { return os << r.name; }

std::vector<bad_command_line> bad_command_lines() {
  return {
      {"an_unknown_flag", {"--web.listen-adress=:1"}, {"--web.listen-adress"}},
      {"a_flag_prefix_is_not_guessed", {"--config=/etc/v.yml"}},
      {"a_secret_flag_is_refused_without_repeating_the_secret",
       {"--api.token=abc.def.ghi"},
       {"--api.token"},
       {"abc.def"}},
      {"a_stray_argument", {"config.yml"}},
      {"a_flag_without_its_value", {"--config.file"}},
      {"a_bad_log_level", {"--log.level=verbose"}, {"--log.level", "verbose"}},
      {"a_bad_log_format", {"--log.format=xml"}},
      {"a_listen_address_without_a_port", {"--web.listen-address=localhost"}},
      {"a_listen_address_with_a_service_name_for_a_port", {"--web.listen-address=:http"}},
      {"a_telemetry_path_without_a_leading_slash", {"--web.telemetry-path=metrics"}},
      {"a_telemetry_path_of_just_a_slash", {"--web.telemetry-path=/"}},
      {"config_check_without_a_config_file", {"--config.check"}},
  };
}

}  // namespace

BOOST_DATA_TEST_CASE(a_bad_command_line_exits_with_code_2, boost::unit_test::data::make(bad_command_lines()), row) {
  const auto r = parse(row.flags);
  BOOST_TEST(r.exit);
  BOOST_TEST(r.exit_code == 2);
  for (const auto& m : row.mentions) BOOST_TEST(r.output.find(m) != std::string::npos, r.output);
  for (const auto& m : row.never_mentions) BOOST_TEST(r.output.find(m) == std::string::npos, r.output);
}

BOOST_AUTO_TEST_CASE(help_exits_early_with_code_0_and_lists_the_flags) {
  for (const char* flag : {"--help", "-h"}) {
    const auto r = parse({flag});
    BOOST_TEST(r.exit);
    BOOST_TEST(r.exit_code == 0);
    BOOST_TEST(r.output.find("--config.file") != std::string::npos);
    BOOST_TEST(r.output.find("--web.listen-address") != std::string::npos);
    BOOST_TEST(r.output.find("--config.check") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(version_exits_early_with_code_0) {
  const auto r = parse({"--version"});
  BOOST_TEST(r.exit);
  BOOST_TEST(r.exit_code == 0);
  BOOST_TEST(r.output.starts_with("voxo_exporter version "), r.output);
}

BOOST_AUTO_TEST_CASE(config_check_of_a_valid_file_says_ok_with_code_0) {
  voxo::test::temp_dir dir;
  const auto path = dir.write("c.yml", "api: {token_file: /t}\ntenants: [{id: 1}]\n").string();
  const auto r = parse({"--config.check", "--config.file", path.c_str()});
  BOOST_REQUIRE(!r.exit);
  BOOST_TEST(r.options.config_check);
  const auto checked = voxo::config::check_config(r.options);
  BOOST_TEST(checked.exit);
  BOOST_TEST(checked.exit_code == 0);
  BOOST_TEST(checked.output.find("config OK") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(config_check_of_a_bad_file_prints_the_error_with_code_1) {
  voxo::test::temp_dir dir;
  const auto path = dir.write("c.yml", "api: {token_file: /t}\ntenants: []\n").string();
  const std::string flag = "--config.file=" + path;
  const auto r = parse({"--config.check", flag.c_str()});
  const auto checked = voxo::config::check_config(r.options);
  BOOST_TEST(checked.exit_code == 1);
  BOOST_TEST(checked.output.starts_with(path + ":2: tenants:"), checked.output);
}

BOOST_AUTO_TEST_CASE(config_check_refuses_a_duration_out_of_range_and_a_state_file_that_is_a_directory) {
  voxo::test::temp_dir dir;
  const auto timeout = dir.write("t.yml", "api: {token_file: /t, timeout: 300y}\ntenants: [{id: 1}]\n").string();
  const auto r1 = voxo::config::check_config(parse({"--config.check", "--config.file", timeout.c_str()}).options);
  BOOST_TEST(r1.exit_code == 1);
  BOOST_TEST(r1.output.find("api.timeout: must be between 100ms and 1h, got 300y") != std::string::npos, r1.output);
  std::filesystem::create_directory(dir.path() / "state");
  const auto state =
      dir.write("s.yml", "api: {token_file: /t}\ncollector: {state_file: state}\ntenants: [{id: 1}]\n").string();
  const auto r2 = voxo::config::check_config(parse({"--config.check", "--config.file", state.c_str()}).options);
  BOOST_TEST(r2.exit_code == 1);
  BOOST_TEST(r2.output.find("collector.state_file: ") != std::string::npos, r2.output);
  BOOST_TEST(std::filesystem::is_directory(dir.path() / "state"));
}

BOOST_AUTO_TEST_CASE(load_config_applies_the_flags_over_the_file) {
  voxo::test::temp_dir dir;
  const auto path = dir.write("c.yml", "api: {token_file: /t}\ntenants: [{id: 1}]\n").string();
  const auto r = parse({"--config.file", path.c_str(), "--web.listen-address=127.0.0.1:0", "--log.level=debug"});
  const auto c = voxo::config::load_config(r.options);
  BOOST_TEST(c.source == path);
  BOOST_TEST(c.tenants.size() == 1u);
  BOOST_TEST(c.web.listen_address == "127.0.0.1:0");
  BOOST_TEST(c.log.level == "debug");
}

BOOST_AUTO_TEST_CASE(load_config_without_a_file_gives_the_demo_defaults) {
  const auto c = voxo::config::load_config(parse({"--log.format=json"}).options);
  BOOST_TEST(c.source.empty());
  BOOST_TEST(c.tenants.empty());
  BOOST_TEST(c.log.format == "json");
}

BOOST_AUTO_TEST_SUITE_END()

// Secret hygiene end to end: a password login against the simulator, failing once with a
// wrong password file, then succeeding; no log line and no page ever shows a password or a
// token.

#include <boost/test/unit_test.hpp>

#include "reliability_support.hpp"

using namespace std::chrono_literals;
using namespace voxo;
using namespace voxo::test::reliability;
using voxo::test::exporter_harness;

BOOST_AUTO_TEST_SUITE(reliability_secrets)

BOOST_AUTO_TEST_CASE(no_log_line_and_no_page_shows_a_password_or_a_token) {
  const std::string right = "Right-Pa55word-7f3c91";
  const std::string wrong = "Wrong-Pa55word-b02e44";
  auto options = messy_data_set(53);
  options.password = right;
  exporter_harness h(std::move(options));
  h.start_exporter();
  // Log in with email + password_file instead of the token file, the password wrong at first.
  const auto password_file = h.dir().write("password", wrong + "\n");
  const auto config = read_text(h.config_path());
  const auto token_line_start = config.find("  token_file: ");
  BOOST_REQUIRE(token_line_start != std::string::npos);
  const auto token_line = config.substr(token_line_start, config.find('\n', token_line_start) + 1 - token_line_start);
  edit_text(h.config_path(), token_line, "  email: ops@example.com\n  password_file: " + password_file.string() + "\n");
  h.restart_exporter();
  BOOST_REQUIRE_MESSAGE(
      exporter_harness::wait_until(
          [&] { return h.exporter().stderr_text().find("msg=\"poll failed\"") != std::string::npos; }, 30s),
      h.exporter().stderr_text());
  BOOST_TEST(h.sim().request_count("/authentication") >= 1u);

  h.dir().write("password", right + "\n");
  require_no_diffs(wait_for_ground_truth(h, all_tenants(h)), h);

  std::vector<std::pair<std::string, std::string>> seen{{"log", h.exporter().stderr_text()},
                                                        {"stdout", h.exporter().stdout_text()}};
  for (const char* path : {"/", "/metrics", "/-/ready", "/-/healthy", "/nope"})
    seen.emplace_back(path, h.scrape(path).body);
  for (const auto& [where, text] : seen) {
    BOOST_TEST_CONTEXT(where) {
      BOOST_TEST(text.find(right) == std::string::npos);
      BOOST_TEST(text.find(wrong) == std::string::npos);
      BOOST_TEST(text.find("Pa55word") == std::string::npos);
      BOOST_TEST(text.find("e2e-static-token") == std::string::npos);
      // The simulator's tokens are JWTs: base64url of '{"' starts every one of them.
      BOOST_TEST(text.find("eyJ") == std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include "support/capture_stderr.hpp"
#include "support/temp_dir.hpp"
#include "util/secret_file.hpp"

using voxo::util::read_secret_file;

BOOST_AUTO_TEST_SUITE(secret_file)

BOOST_AUTO_TEST_CASE(trailing_whitespace_and_newlines_are_trimmed) {
  voxo::test::temp_dir dir;
  auto path = dir.write("token", "abc.def ghi \r\n\n");
  auto s = read_secret_file(path.string());
  BOOST_REQUIRE(s.has_value());
  BOOST_TEST(s->reveal() == "abc.def ghi");
}

BOOST_AUTO_TEST_CASE(an_empty_file_is_an_error) {
  voxo::test::temp_dir dir;
  auto path = dir.write("token", " \n");
  auto s = read_secret_file(path.string());
  BOOST_REQUIRE(!s.has_value());
  BOOST_TEST(s.error().find("empty") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_an_error_naming_the_path) {
  voxo::test::temp_dir dir;
  auto path = (dir.path() / "nope").string();
  auto s = read_secret_file(path);
  BOOST_REQUIRE(!s.has_value());
  BOOST_TEST(s.error().find(path) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_file_others_can_read_draws_one_warning_without_the_content) {
  voxo::test::temp_dir dir;
  auto path = dir.write("password", "s3cr3t-Pa55\n", 0644);
  voxo::test::capture_stderr captured;
  BOOST_TEST(read_secret_file(path.string()).has_value());
  BOOST_TEST(read_secret_file(path.string()).has_value());
  std::string out = captured.text();
  BOOST_TEST(out.find("readable by group or others") != std::string::npos);
  BOOST_TEST(out.find("readable by group or others") == out.rfind("readable by group or others"));
  BOOST_TEST(out.find("s3cr3t-Pa55") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_private_file_draws_no_warning) {
  voxo::test::temp_dir dir;
  auto path = dir.write("password", "s3cr3t\n", 0600);
  voxo::test::capture_stderr captured;
  BOOST_TEST(read_secret_file(path.string()).has_value());
  BOOST_TEST(captured.text().find("readable by group or others") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

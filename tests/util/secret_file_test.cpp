#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <string>

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

BOOST_AUTO_TEST_CASE(a_directory_is_refused_as_a_directory) {
  voxo::test::temp_dir dir;
  auto s = read_secret_file(dir.path().string());
  BOOST_REQUIRE(!s.has_value());
  BOOST_TEST(s.error() == "secret file " + dir.path().string() + " is a directory, not a file");
}

BOOST_AUTO_TEST_CASE(a_device_that_never_ends_is_refused_without_reading_it) {
  auto s = read_secret_file("/dev/zero");
  BOOST_REQUIRE(!s.has_value());
  BOOST_TEST(s.error().find("not a regular file") != std::string::npos, s.error());
}

BOOST_AUTO_TEST_CASE(a_fifo_is_refused_at_once_without_waiting_for_a_writer) {
  voxo::test::temp_dir dir;
  const auto path = (dir.path() / "token").string();
  BOOST_REQUIRE(::mkfifo(path.c_str(), 0600) == 0);
  auto s = read_secret_file(path);  // would block forever in a plain open()
  BOOST_REQUIRE(!s.has_value());
  BOOST_TEST(s.error().find("not a regular file") != std::string::npos, s.error());
}

BOOST_AUTO_TEST_CASE(a_file_over_the_size_cap_is_refused_and_one_at_the_cap_is_read) {
  voxo::test::temp_dir dir;
  const auto cap = voxo::util::max_secret_file_bytes;
  auto big = read_secret_file(dir.write("big", std::string(cap + 1, 'x')).string());
  BOOST_REQUIRE(!big.has_value());
  BOOST_TEST(big.error().find("larger than 64 KiB") != std::string::npos, big.error());
  auto at_cap = read_secret_file(dir.write("ok", std::string(cap, 'x'), 0600).string());
  BOOST_REQUIRE(at_cap.has_value());
  BOOST_TEST(at_cap->reveal().size() == cap);
}

BOOST_AUTO_TEST_SUITE_END()

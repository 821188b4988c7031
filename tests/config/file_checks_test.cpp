#include <boost/test/unit_test.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "config/config_loader.hpp"
#include "config_test_support.hpp"
#include "support/temp_dir.hpp"

// What load_config_file checks on disk (config/file_checks.hpp): the error names the key, and
// nothing the exporter does not own is moved or opened in a way that could block.

namespace {
namespace fs = std::filesystem;
using voxo::config::config_error;
using voxo::config::load_config_file;
using voxo::test::temp_dir;

struct config_dir : voxo::test::no_credentials_in_env {
  temp_dir dir;
  // A config file in the temp folder with `api_extra` under api: and collector.state_file.
  std::string write(const std::string& state_file, const std::string& api_extra = "token_file: token") {
    return dir
        .write("c.yml", "api: {" + api_extra + "}\ncollector: {state_file: " + state_file + "}\ntenants: [{id: 1}]\n")
        .string();
  }
  std::string error_of(const std::string& config_path) {
    try {
      load_config_file(config_path);
    } catch (const config_error& e) {
      return e.what();
    }
    return "";
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(file_checks, config_dir)

BOOST_AUTO_TEST_CASE(a_state_file_that_is_a_directory_stops_the_start_and_stays_where_it_is) {
  fs::create_directory(dir.path() / "state");
  const auto config = write("state");
  BOOST_TEST(error_of(config) == config + ": collector.state_file: " + (dir.path() / "state").string() +
                                     " is a directory (it must be a regular file or absent; nothing was moved)");
  BOOST_TEST(fs::is_directory(dir.path() / "state"));
}

BOOST_AUTO_TEST_CASE(a_state_file_that_is_a_fifo_stops_the_start_without_blocking) {
  BOOST_REQUIRE(::mkfifo((dir.path() / "state").c_str(), 0600) == 0);
  BOOST_TEST(error_of(write("state")).find("collector.state_file: " + (dir.path() / "state").string() + " is a FIFO") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_state_file_in_a_folder_that_is_a_file_stops_the_start) {
  dir.write("plain", "x");
  const auto e = error_of(write("plain/state.json"));
  BOOST_TEST(e.find("collector.state_file: cannot use " + (dir.path() / "plain" / "state.json").string() +
                    ": Not a directory") != std::string::npos,
             e);
}

BOOST_AUTO_TEST_CASE(a_symlinked_state_file_is_followed_so_saves_replace_the_target_not_the_link) {
  fs::create_directory(dir.path() / "data");
  dir.write("data/state.json", "{}");
  fs::create_symlink(dir.path() / "data" / "state.json", dir.path() / "link.json");
  const auto c = load_config_file(write("link.json"));
  BOOST_TEST(*c.collector.state_file == (dir.path() / "data" / "state.json").string());
  // A dangling link names where the first save goes.
  fs::create_symlink(dir.path() / "data" / "new.json", dir.path() / "dangling.json");
  BOOST_TEST(*load_config_file(write("dangling.json")).collector.state_file ==
             (dir.path() / "data" / "new.json").string());
}

BOOST_AUTO_TEST_CASE(a_missing_state_file_or_folder_is_accepted) {
  BOOST_TEST(error_of(write("state.json")) == "");
  BOOST_TEST(error_of(write("not-yet/state.json")) == "");  // saves fail and are counted instead
}

BOOST_AUTO_TEST_CASE(an_unreadable_state_file_stops_the_start_instead_of_being_saved_over) {
  if (::geteuid() == 0) {
    BOOST_TEST_MESSAGE("skipped: root reads any file");
    return;
  }
  dir.write("state.json", "{}", 0000);
  BOOST_TEST(error_of(write("state.json")).find("collector.state_file: cannot read ") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_token_file_that_is_a_directory_or_a_device_is_refused_naming_the_key) {
  fs::create_directory(dir.path() / "token");
  const auto config = write("s.json");
  BOOST_TEST(error_of(config) ==
             config + ": api.token_file: " + (dir.path() / "token").string() + " is a directory, not a file");
  BOOST_TEST(error_of(write("s.json", "token_file: /dev/zero")) ==
             config + ": api.token_file: /dev/zero is a device, not a file");
}

BOOST_AUTO_TEST_CASE(an_oversized_password_file_is_refused_naming_the_key) {
  dir.write("pw", std::string(65 * 1024, 'x'));
  const auto config = write("s.json", "email: ops@example.com, password_file: pw");
  BOOST_TEST(error_of(config) ==
             config + ": api.password_file: " + (dir.path() / "pw").string() + " is larger than 64 KiB");
}

BOOST_AUTO_TEST_CASE(missing_secret_files_are_left_to_their_first_use) {
  BOOST_TEST(error_of(write("s.json", "token_file: nowhere")) == "");
}

BOOST_AUTO_TEST_SUITE_END()

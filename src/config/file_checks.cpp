#include "config/file_checks.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

#include "config/config_loader.hpp"
#include "util/secret_file.hpp"

namespace voxo::config {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t max_ca_file_bytes = 4 << 20;  // a bundle of every public root is ~250 KiB

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

[[noreturn]] void fail(const config& c, const char* key, const std::string& message) {
  throw config_error(c.source + ": " + key + ": " + message);
}

void check_state_file(config& c) {
  if (!c.collector.state_file) return;
  std::string& path = *c.collector.state_file;
  std::error_code ec;
  // Followed link by link (a dangling link names where the first save goes); 40 like the kernel.
  for (int hops = 0; fs::is_symlink(fs::symlink_status(path, ec)); ++hops) {
    fs::path target = fs::read_symlink(path, ec);
    if (ec || hops == 40) fail(c, "collector.state_file", path + ": cannot follow the symlink");
    if (target.is_relative()) target = fs::path(path).parent_path() / target;
    path = target.lexically_normal().string();
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode))
      fail(c, "collector.state_file",
           path + " is " + kind_of(st.st_mode) + " (it must be a regular file or absent; nothing was moved)");
    if (::access(path.c_str(), R_OK) != 0)  // saving over a state we cannot read would lose it
      fail(c, "collector.state_file", "cannot read " + path + ": " + std::strerror(errno));
  } else if (errno != ENOENT) {
    fail(c, "collector.state_file", "cannot use " + path + ": " + std::strerror(errno));
  }
  // A missing or read-only folder is not refused (a volume may be mounted after a config check
  // elsewhere): saves then fail, which voxo_exporter_state_save_failures_total and the shipped
  // alert show. (A folder path that is a file fails the stat above: ENOTDIR.)
}

void check_input_file(const config& c, const char* key, const std::optional<std::string>& path,
                      std::uintmax_t max_bytes) {
  if (!path) return;
  struct stat st {};
  if (::stat(path->c_str(), &st) != 0) return;  // missing: the first use names the key
  if (!S_ISREG(st.st_mode)) fail(c, key, *path + " is " + kind_of(st.st_mode) + ", not a file");
  if (static_cast<std::uintmax_t>(st.st_size) > max_bytes)
    fail(c, key, *path + " is larger than " + std::to_string(max_bytes / 1024) + " KiB");
}

}  // namespace

void check_files(config& c) {
  check_state_file(c);
  check_input_file(c, "api.token_file", c.api.token_file, util::max_secret_file_bytes);
  check_input_file(c, "api.password_file", c.api.password_file, util::max_secret_file_bytes);
  check_input_file(c, "api.ca_file", c.api.ca_file, max_ca_file_bytes);
}

}  // namespace voxo::config

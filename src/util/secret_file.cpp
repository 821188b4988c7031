#include "util/secret_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <string_view>

#include "util/log.hpp"

namespace voxo::util {
namespace {

void warn_once_if_shared(const std::string& path, const struct stat& st) {
  if ((st.st_mode & (S_IRGRP | S_IROTH)) == 0) return;
  static std::mutex mutex;
  static std::set<std::string> warned;
  std::lock_guard lock(mutex);
  if (!warned.insert(path).second) return;
  log::warn("secret file is readable by group or others; chmod 600 it", {{"path", path}});
}

std::string too_large(const std::string& path) {
  return "secret file " + path + " is larger than " + std::to_string(max_secret_file_bytes / 1024) +
         " KiB: not a token or password";
}

// Closes the descriptor on every return path.
struct fd_guard {
  int fd;
  ~fd_guard() { ::close(fd); }
};

}  // namespace

result<secret, std::string> read_secret_file(const std::string& path) {
  // O_NONBLOCK: a FIFO in its place must not hang the start; it is refused below anyway.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return fail("cannot read secret file " + path + ": " + std::strerror(errno));
  const fd_guard guard{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return fail("cannot read secret file " + path + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return fail("secret file " + path + " is a directory, not a file");
  // A device such as /dev/zero would be read until memory runs out.
  if (!S_ISREG(st.st_mode)) return fail("secret file " + path + " is not a regular file (a device, FIFO or socket)");
  if (static_cast<std::uintmax_t>(st.st_size) > max_secret_file_bytes) return fail(too_large(path));

  std::string content;
  char buffer[4096];
  for (;;) {
    const auto n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail("cannot read secret file " + path + ": " + std::strerror(errno));
    if (n == 0) break;
    content.append(buffer, static_cast<std::size_t>(n));
    if (content.size() > max_secret_file_bytes) return fail(too_large(path));  // grew while read
  }
  while (!content.empty() && std::string_view(" \t\r\n\f\v").find(content.back()) != std::string_view::npos)
    content.pop_back();
  if (content.empty()) return fail("secret file " + path + " is empty");
  warn_once_if_shared(path, st);
  return secret(std::move(content));
}

}  // namespace voxo::util

#include "support/capture_stderr.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace voxo::test {

capture_stderr::capture_stderr() {
  char name[] = "/tmp/voxo-stderr-XXXXXX";
  file_fd_ = ::mkstemp(name);
  if (file_fd_ < 0) throw std::runtime_error("mkstemp failed");
  ::unlink(name);
  std::fflush(stderr);
  saved_fd_ = ::dup(2);
  ::dup2(file_fd_, 2);
}

capture_stderr::~capture_stderr() {
  std::fflush(stderr);
  ::dup2(saved_fd_, 2);
  ::close(saved_fd_);
  ::close(file_fd_);
}

std::string capture_stderr::text() const {
  std::fflush(stderr);
  std::string out;
  char buf[4096];
  for (off_t at = 0;;) {
    ssize_t n = ::pread(file_fd_, buf, sizeof buf, at);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    at += n;
  }
  return out;
}

}  // namespace voxo::test

#pragma once
// Captures what the process writes to stderr (fd 2, so log lines too) while alive.

#include <string>

namespace voxo::test {

class capture_stderr {
 public:
  capture_stderr();
  ~capture_stderr();  // restores stderr
  capture_stderr(const capture_stderr&) = delete;
  capture_stderr& operator=(const capture_stderr&) = delete;
  std::string text() const;  // everything captured so far

 private:
  int saved_fd_ = -1;
  int file_fd_ = -1;
};

}  // namespace voxo::test

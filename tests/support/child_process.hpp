#pragma once
// Runs a binary of ours (voxo_exporter, voxo_sim) as a child process for end-to-end tests:
// stdout and stderr go to files the test can read; the child is killed when the object goes.

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace voxo::test {

class child_process {
 public:
  // `env` entries are added to (or replace in) the test's own environment.
  child_process(const std::string& program, const std::vector<std::string>& args, const std::filesystem::path& log_dir,
                const std::map<std::string, std::string>& env = {});
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  pid_t pid() const noexcept { return pid_; }
  bool running();
  void signal(int sig);
  // Waits for exit up to `timeout`; the exit status (or 128+signal), nullopt if still running.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  std::string stdout_text() const;
  std::string stderr_text() const;
  // Polls stdout until a line containing `needle` appears; returns that line.
  std::optional<std::string> wait_for_stdout_line(const std::string& needle, std::chrono::milliseconds timeout) const;

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::filesystem::path out_, err_;
};

// The path of a binary built next to the tests (e.g. "voxo_exporter").
std::string built_binary(const std::string& name);

}  // namespace voxo::test

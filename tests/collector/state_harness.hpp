#pragma once
// Shared set-up of the state file tests (restart_test, state_file_test): a temp folder for
// the file, and a collector_harness of tenant 37 saving to it, its first reply scripted.

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "collector_harness.hpp"
#include "support/temp_dir.hpp"

namespace voxo::test {

// Fixture: `path` names state.json in a fresh folder (not created).
struct state_file_dir {
  temp_dir dir;
  const std::string path = (dir.path() / "state.json").string();
};

struct state_harness : collector_harness {
  // Tenant 37, saving to `state_file`.
  explicit state_harness(const std::string& state_file) {
    cfg.collector.state_file = state_file;
    add_tenant(37);
  }
  // The same, and tenant 37's first request is answered with `first_reply`.
  state_harness(const std::string& state_file, std::vector<std::variant<api::cdr, fake_invalid>> first_reply)
      : state_harness(state_file) {
    fake_reply r;
    r.items = std::move(first_reply);
    api.script("37", 0, r);
  }
};

inline double polls(collector_harness& h, const std::string& tenant) {
  return h.value("voxo_collector_polls_total", {{"tenant", tenant}});
}

inline std::string read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace voxo::test

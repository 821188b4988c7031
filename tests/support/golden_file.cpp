#include "support/golden_file.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "support/temp_dir.hpp"

namespace voxo::test {

namespace {

bool update_requested() {
  const char* v = std::getenv("VOXO_UPDATE_GOLDEN");
  return v && std::string(v) == "1";
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// diff(1) is in Debian's essential set; its unified format is what reviewers read anyway.
std::string unified_diff(const std::filesystem::path& expected, const std::string& actual) {
  temp_dir dir;
  const auto actual_file = dir.write("actual", actual);
  const auto expected_file = std::filesystem::exists(expected) ? expected : dir.write("missing", "");
  const std::string cmd = "diff -u --label '" + expected.string() + " (expected)' --label actual '" +
                          expected_file.string() + "' '" + actual_file.string() + "' 2>&1";
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    std::array<char, 4096> buf{};
    while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
    pclose(p);
  }
  return out.empty() ? "texts differ (no diff output)" : out;
}

}  // namespace

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::filesystem::path fixture_path(const std::string& name) {
  return std::filesystem::path(VOXO_SOURCE_DIR) / "tests" / "fixtures" / name;
}

std::string golden_mismatch(const std::string& actual, const std::filesystem::path& expected) {
  if (std::filesystem::exists(expected) && read_file(expected) == actual) return {};
  if (update_requested()) {
    write_file(expected, actual);
    return {};
  }
  return "golden mismatch (VOXO_UPDATE_GOLDEN=1 rewrites the expected file):\n" + unified_diff(expected, actual);
}

}  // namespace voxo::test

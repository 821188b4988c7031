#include "support/temp_dir.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>
#include <system_error>

namespace voxo::test {

temp_dir::temp_dir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "voxo-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::filesystem::path temp_dir::write(const std::string& name, const std::string& content, unsigned mode) const {
  auto p = path_ / name;
  std::ofstream(p, std::ios::binary) << content;
  std::filesystem::permissions(p, static_cast<std::filesystem::perms>(mode));
  return p;
}

}  // namespace voxo::test

#pragma once
// A fresh folder under the system temp dir, removed when the object goes away.

#include <filesystem>
#include <string>

namespace voxo::test {

class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  const std::filesystem::path& path() const noexcept { return path_; }
  // Writes `content` to path()/name and returns the full path.
  std::filesystem::path write(const std::string& name, const std::string& content, unsigned mode = 0600) const;

 private:
  std::filesystem::path path_;
};

}  // namespace voxo::test

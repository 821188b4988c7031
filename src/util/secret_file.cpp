#include "util/secret_file.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <string_view>

#include "util/log.hpp"

namespace voxo::util {
namespace {

void warn_once_if_shared(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return;
  if ((st.st_mode & (S_IRGRP | S_IROTH)) == 0) return;
  static std::mutex mutex;
  static std::set<std::string> warned;
  std::lock_guard lock(mutex);
  if (!warned.insert(path).second) return;
  log::warn("secret file is readable by group or others; chmod 600 it", {{"path", path}});
}

// secret is constructible from a string too, so the error needs saying explicitly.
boost::system::result<secret, std::string> failure(std::string message) {
  return {boost::system::in_place_error, std::move(message)};
}

}  // namespace

boost::system::result<secret, std::string> read_secret_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return failure("cannot read secret file " + path + ": " + std::strerror(errno));
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return failure("cannot read secret file " + path);
  while (!content.empty() && std::string_view(" \t\r\n\f\v").find(content.back()) != std::string_view::npos) content.pop_back();
  if (content.empty()) return failure("secret file " + path + " is empty");
  warn_once_if_shared(path);
  return secret(std::move(content));
}

}  // namespace voxo::util

#include "collector/state_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>

namespace voxo::collector {

namespace {

constexpr std::size_t read_chunk = 64 * 1024;  // a load reads and parses the file in pieces this big

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

bool write_all(int fd, std::string_view data, const std::string& tmp, std::string& error) {
  std::size_t done = 0;
  while (done < data.size()) {
    const auto n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      error = errno_text("write " + tmp);
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Writes <path>.tmp through `fill` (false: it failed, `error` set), then makes it <path>.
bool replace_file(const std::string& path, const std::function<bool(int fd, const std::string& tmp)>& fill,
                  std::string& error) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = errno_text("open " + tmp);
    return false;
  }
  if (!fill(fd, tmp)) {
    ::close(fd);
    return false;
  }
  // fsync before rename: after a crash the name points at complete content or the old file.
  if (::fsync(fd) != 0) {
    error = errno_text("fsync " + tmp);
    ::close(fd);
    return false;
  }
  if (::close(fd) != 0) {
    error = errno_text("close " + tmp);
    return false;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    error = errno_text("rename " + tmp);
    ::unlink(tmp.c_str());
    return false;
  }
  auto dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);  // makes the rename itself durable
    ::close(dfd);
  }
  return true;
}

}  // namespace

bool write_state_file(const std::string& path, const std::string& content, std::string& error) {
  return replace_file(
      path, [&](int fd, const std::string& tmp) { return write_all(fd, content, tmp, error); }, error);
}

bool write_state_file(const std::string& path, std::chrono::sys_seconds saved_at,
                      const std::function<void(state_writer&)>& fill, std::string& error) {
  return replace_file(
      path,
      [&](int fd, const std::string& tmp) {
        state_writer w([&](std::string_view s) { return write_all(fd, s, tmp, error); }, saved_at);
        fill(w);
        return w.finish();
      },
      error);
}

state_load load_state_file(const std::string& path, std::vector<tenant_snapshot>& out, std::string& error) {
  // O_NONBLOCK: a FIFO in its place must not hang the start (it is refused below).
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return state_load::missing;
  std::string why;
  if (fd >= 0) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      // Not ours to move: a directory or a device in its place is the operator's (the config
      // loader refuses it at start-up; this is the race after that check).
      ::close(fd);
      error = path + " is not a regular file; not read and not moved";
      return state_load::not_a_file;
    }
    // Read and parsed piece by piece: the file is never in memory whole.
    state_reader reader;
    std::vector<char> buf(read_chunk);
    bool read_failed = false;
    for (;;) {
      const auto n = ::read(fd, buf.data(), buf.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) read_failed = true;
      if (n <= 0 || !reader.write(std::string_view(buf.data(), static_cast<std::size_t>(n)))) break;
    }
    ::close(fd);
    if (read_failed) {
      why = "read error";
    } else if (auto parsed = reader.finish(&why)) {
      out = std::move(*parsed);
      return state_load::loaded;
    }
  } else {
    why = errno_text("cannot open");
    if (errno == EACCES || errno == EISDIR) {  // a permission problem is not corruption: leave it
      error = why;
      return state_load::not_a_file;
    }
  }
  const auto aside = path + ".corrupt-" +
                     std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
  std::error_code ec;
  std::filesystem::rename(path, aside, ec);
  error = why + (ec ? "; cannot move it aside: " + ec.message() : "; moved aside to " + aside);
  return state_load::corrupt;
}

}  // namespace voxo::collector

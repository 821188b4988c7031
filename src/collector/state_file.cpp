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

using written = util::result<void, std::string>;

written write_all(int fd, std::string_view data, const std::string& tmp) {
  std::size_t done = 0;
  while (done < data.size()) {
    const auto n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return util::fail(errno_text("write " + tmp));
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

// Writes <path>.tmp through `fill`, then makes it <path>.
written replace_file(const std::string& path, const std::function<written(int fd, const std::string& tmp)>& fill) {
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return util::fail(errno_text("open " + tmp));
  if (auto filled = fill(fd, tmp); !filled) {
    ::close(fd);
    return filled;
  }
  // fsync before rename: after a crash the name points at complete content or the old file.
  if (::fsync(fd) != 0) {
    auto error = errno_text("fsync " + tmp);  // before close() can change errno
    ::close(fd);
    return util::fail(std::move(error));
  }
  if (::close(fd) != 0) return util::fail(errno_text("close " + tmp));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    auto error = errno_text("rename " + tmp);  // before unlink() can change errno
    ::unlink(tmp.c_str());
    return util::fail(std::move(error));
  }
  auto dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
    ::fsync(dfd);  // makes the rename itself durable
    ::close(dfd);
  }
  return {};
}

}  // namespace

util::result<void, std::string> write_state_file(const std::string& path, const std::string& content) {
  return replace_file(path, [&](int fd, const std::string& tmp) { return write_all(fd, content, tmp); });
}

util::result<void, std::string> write_state_file(const std::string& path, std::chrono::sys_seconds saved_at,
                                                 const std::function<void(state_writer&)>& fill) {
  return replace_file(path, [&](int fd, const std::string& tmp) -> written {
    // The writer's sink says only yes or no: the first failure's message is kept here.
    std::string error;
    state_writer w(
        [&](std::string_view s) {
          auto done = write_all(fd, s, tmp);
          if (!done && error.empty()) error = done.error();
          return done.has_value();
        },
        saved_at);
    fill(w);
    if (!w.finish()) return util::fail(std::move(error));
    return {};
  });
}

util::result<std::vector<tenant_snapshot>, state_load_error> load_state_file(const std::string& path) {
  // O_NONBLOCK: a FIFO in its place must not hang the start (it is refused below).
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0 && errno == ENOENT) return util::fail(state_load_error{state_load::missing, errno_text("cannot open")});
  std::string why;
  if (fd >= 0) {
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      // Not ours to move: a directory or a device in its place is the operator's (the config
      // loader refuses it at start-up; this is the race after that check).
      ::close(fd);
      return util::fail(
          state_load_error{state_load::not_a_file, path + " is not a regular file; not read and not moved"});
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
    } else if (auto parsed = reader.finish()) {
      return std::move(*parsed);
    } else {
      why = parsed.error();
    }
  } else {
    why = errno_text("cannot open");
    // A permission problem is not corruption: leave it.
    if (errno == EACCES || errno == EISDIR) return util::fail(state_load_error{state_load::not_a_file, why});
  }
  const auto aside = path + ".corrupt-" +
                     std::to_string(std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
  std::error_code ec;
  std::filesystem::rename(path, aside, ec);
  return util::fail(state_load_error{
      state_load::corrupt, why + (ec ? "; cannot move it aside: " + ec.message() : "; moved aside to " + aside)});
}

}  // namespace voxo::collector

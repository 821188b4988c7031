#include "metrics/prefix_inflater.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace voxo::metrics {

struct prefix_inflater::state {
  z_stream zs{};
  bool ready = false;  // inflateInit2 worked
  bool failed = false;
  ~state() {
    if (ready) inflateEnd(&zs);
  }
};

prefix_inflater::prefix_inflater(std::string_view deflated) : state_(std::make_unique<state>()) {
  auto& s = *state_;
  if (deflated.size() > std::numeric_limits<uInt>::max() || inflateInit2(&s.zs, -15) != Z_OK) {  // raw deflate
    s.failed = true;
    return;
  }
  s.ready = true;
  s.zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(deflated.data()));
  s.zs.avail_in = static_cast<uInt>(deflated.size());
}

prefix_inflater::~prefix_inflater() = default;

std::optional<std::size_t> prefix_inflater::read(char* out, std::size_t size) {
  auto& s = *state_;
  if (s.failed) return std::nullopt;
  if (size == 0) return 0;
  s.zs.next_out = reinterpret_cast<Bytef*>(out);
  s.zs.avail_out = static_cast<uInt>(std::min<std::size_t>(size, std::numeric_limits<uInt>::max()));
  const uInt room = s.zs.avail_out;
  // The prefix ends with a sync flush, not a final block: no Z_STREAM_END, the text ends when
  // the input is used up and nothing more comes out (Z_BUF_ERROR: no progress possible).
  const int rc = inflate(&s.zs, Z_SYNC_FLUSH);
  if (rc != Z_OK && rc != Z_BUF_ERROR && rc != Z_STREAM_END) {
    s.failed = true;
    return std::nullopt;
  }
  return room - s.zs.avail_out;
}

std::optional<std::string> inflate_prefix(const deflate_prefix& prefix) {
  std::string text(prefix.size, '\0');
  prefix_inflater inflater(prefix.bytes);
  std::size_t at = 0;
  for (;;) {
    char probe;  // after the last byte: one more read must give nothing
    const auto n = at < text.size() ? inflater.read(text.data() + at, text.size() - at) : inflater.read(&probe, 1);
    if (!n) return std::nullopt;
    if (*n == 0) break;
    if (at == text.size()) return std::nullopt;  // longer than it says
    at += *n;
  }
  if (at != text.size()) return std::nullopt;
  return text;
}

}  // namespace voxo::metrics

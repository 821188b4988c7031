#include "api/window_split.hpp"

#include <algorithm>

namespace voxo::api {

std::vector<time_window> split_window(const time_window& w, std::chrono::seconds max_len) {
  std::vector<time_window> pieces;
  if (w.end <= w.start || max_len <= std::chrono::seconds::zero()) return pieces;
  pieces.reserve(static_cast<std::size_t>((w.end - w.start) / max_len) + 1);
  for (auto s = w.start; s < w.end;) {
    const auto e = (w.end - s > max_len) ? s + max_len : w.end;
    pieces.push_back(time_window{s, e});
    s = e;
  }
  return pieces;
}

}  // namespace voxo::api

#include <string>

#include "config/detail/sections.hpp"
#include "util/duration.hpp"

namespace voxo::config::detail {

std::chrono::milliseconds duration_in(const yaml_reader& r, const located& v, duration_range range) {
  const auto d = r.duration(v);
  if (d < range.min || d > range.max)
    r.fail(v, "must be between " + format_duration(range.min) + " and " + format_duration(range.max) + ", got " +
                  format_duration(d));
  return d;
}

}  // namespace voxo::config::detail

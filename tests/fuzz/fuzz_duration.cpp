// libFuzzer target: parse_duration never crashes, and whatever it accepts formats back to a
// string that parses to the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "util/duration.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = voxo::parse_duration(text);
  if (!parsed) return 0;
  if (parsed->count() < 0) std::abort();
  const auto again = voxo::parse_duration(voxo::format_duration(*parsed));
  if (!again || *again != *parsed) std::abort();
  return 0;
}

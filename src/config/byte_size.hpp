#pragma once
// Sizes in bytes as written in the config file: a plain integer, or an integer with a unit:
// KiB MiB GiB TiB (powers of 1024) or kB KB MB GB TB (powers of 1000), e.g. "256MiB".
// No spaces, signs or fractions.

#include <cstdint>
#include <optional>
#include <string_view>

namespace voxo::config {

std::optional<std::uint64_t> parse_byte_size(std::string_view text);

}  // namespace voxo::config

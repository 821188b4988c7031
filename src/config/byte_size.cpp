#include "config/byte_size.hpp"

#include <array>
#include <charconv>
#include <limits>

namespace voxo::config {
namespace {

struct unit {
  std::string_view suffix;
  std::uint64_t factor;
};

constexpr std::uint64_t ki = 1024;
constexpr std::uint64_t k = 1000;

constexpr std::array<unit, 10> units{{
    {"KiB", ki},
    {"MiB", ki* ki},
    {"GiB", ki* ki* ki},
    {"TiB", ki* ki* ki* ki},
    {"kB", k},
    {"KB", k},
    {"MB", k* k},
    {"GB", k* k* k},
    {"TB", k* k* k* k},
    {"B", 1},
}};

}  // namespace

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;

  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + digits, value);
  if (ec != std::errc{} || end != text.data() + digits) return std::nullopt;

  const std::string_view suffix = text.substr(digits);
  if (suffix.empty()) return value;
  for (const auto& u : units) {
    if (suffix != u.suffix) continue;
    if (value > std::numeric_limits<std::uint64_t>::max() / u.factor) return std::nullopt;
    return value * u.factor;
  }
  return std::nullopt;
}

}  // namespace voxo::config

#include "util/duration.hpp"

#include <array>
#include <cstdint>
#include <limits>

namespace voxo {
namespace {

struct unit {
  std::string_view suffix;
  std::int64_t ms;
};

constexpr std::int64_t second = 1000;
constexpr std::int64_t minute = 60 * second;
constexpr std::int64_t hour = 60 * minute;
constexpr std::int64_t day = 24 * hour;

// Largest first: the order terms must appear in, and the order format_duration emits them.
constexpr std::array<unit, 7> units{{
    {"y", 365 * day},
    {"w", 7 * day},
    {"d", day},
    {"h", hour},
    {"m", minute},
    {"s", second},
    {"ms", 1},
}};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Index into `units` of the suffix at the start of `rest`, or units.size().
// "ms" must win over "m" when both match.
std::size_t match_unit(std::string_view rest) {
  if (rest.starts_with("ms")) return units.size() - 1;
  for (std::size_t i = 0; i + 1 < units.size(); ++i)
    if (rest.starts_with(units[i].suffix)) return i;
  return units.size();
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  if (text == "0") return std::chrono::milliseconds{0};
  if (text.empty()) return std::nullopt;

  constexpr std::int64_t max = std::numeric_limits<std::chrono::milliseconds::rep>::max();
  std::int64_t total = 0;
  std::size_t next_allowed = 0;  // units must strictly decrease
  std::size_t pos = 0;
  while (pos < text.size()) {
    if (!is_digit(text[pos])) return std::nullopt;
    std::int64_t value = 0;
    while (pos < text.size() && is_digit(text[pos])) {
      const int digit = text[pos] - '0';
      if (value > (max - digit) / 10) return std::nullopt;
      value = value * 10 + digit;
      ++pos;
    }
    const std::size_t u = match_unit(text.substr(pos));
    if (u == units.size() || u < next_allowed) return std::nullopt;
    pos += units[u].suffix.size();
    next_allowed = u + 1;
    if (value > (max - total) / units[u].ms) return std::nullopt;
    total += value * units[u].ms;
  }
  return std::chrono::milliseconds{total};
}

std::string format_duration(std::chrono::milliseconds d) {
  std::int64_t rest = d.count();
  if (rest == 0) return "0s";
  std::string out;
  std::uint64_t magnitude;
  if (rest < 0) {
    out += '-';
    // Via unsigned so that the minimum value does not overflow on negation.
    magnitude = std::uint64_t{0} - static_cast<std::uint64_t>(rest);
  } else {
    magnitude = static_cast<std::uint64_t>(rest);
  }
  for (const auto& u : units) {
    const auto per = static_cast<std::uint64_t>(u.ms);
    if (magnitude >= per) {
      out += std::to_string(magnitude / per);
      out += u.suffix;
      magnitude %= per;
    }
  }
  return out;
}

}  // namespace voxo

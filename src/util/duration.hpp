#pragma once
// Durations in Prometheus syntax: one or more <integer><unit> terms in decreasing unit order,
// units ms, s, m, h, d (24h), w (7d), y (365d); e.g. "500ms", "30s", "1h30m", "2d". "0" alone
// is zero. No sign, no spaces, no fractions, each unit at most once.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace voxo {

// nullopt for anything outside the syntax above, or beyond the range of milliseconds.
std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

// Shortest canonical form, largest units first: 90min -> "1h30m", 0 -> "0s", 1500ms -> "1s500ms".
// parse_duration(format_duration(d)) == d for every d >= 0; negative values get a leading '-'.
std::string format_duration(std::chrono::milliseconds d);

}  // namespace voxo

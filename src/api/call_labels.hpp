#pragma once
// The one place where record values become label values. Nothing else maps
// `direction`/`disposition` strings; no label ever carries a number, name or id.

#include <cstddef>
#include <string_view>

namespace voxo::api {

enum class call_direction : unsigned char { in, out, local, internal, other };
enum class call_disposition : unsigned char { answered, no_answer, busy, failed, congestion, other };

inline constexpr std::size_t direction_count = 5;
inline constexpr std::size_t disposition_count = 6;

// Case-insensitive; anything unknown (or empty) maps to `other`.
call_direction parse_direction(std::string_view raw) noexcept;
call_disposition parse_disposition(std::string_view raw) noexcept;

std::string_view label(call_direction d) noexcept;     // "in", "out", "local", "internal", "other"
std::string_view label(call_disposition d) noexcept;   // "answered", "no_answer", ...

}  // namespace voxo::api

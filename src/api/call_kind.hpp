#pragma once
// A record's direction and disposition as the API spells them, parsed into enums when the
// record is read (so the per-record path compares no strings later). What a metric calls
// them (label values) is metrics/call_labels.hpp's business.

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

}  // namespace voxo::api

#pragma once
// The one place where record values become label values. Nothing else maps
// `direction`/`disposition` strings; no label ever carries a number, name or id.

#include <cstddef>
#include <optional>
#include <string>
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

// The `tenant` label of an account a partner-wide record names by its billingId: trimmed,
// characters outside [A-Za-z0-9._-] become '_'; nullopt when nothing usable is left or the
// value is longer than max_account_label (such a record stays with tenant="partner").
inline constexpr std::size_t max_account_label = 64;
std::optional<std::string> account_label(std::string_view billing_id);

}  // namespace voxo::api

#pragma once
// The Retry-After header of a 429/503: delta-seconds or an HTTP-date (RFC 9110 10.2.3).

#include <chrono>
#include <optional>
#include <string_view>

namespace voxo::api {

// A date in the past gives 0s; anything unparsable gives nullopt.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now);

}  // namespace voxo::api

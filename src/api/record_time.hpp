#pragma once
// The API's two time formats, converted with an IANA zone (DST included):
//  - query `start`/`end`: "YYYY-MM-DD HH:MM:SS" in api.timezone
//  - record `time`:       "MM/DD/YY HH:MM:SS"  in api.record_timezone (two-digit year = 20YY)
// Ambiguous local times (the repeated hour when DST ends) resolve to the earlier instant;
// local times that do not exist (the skipped hour) resolve to the instant the gap ends at.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace voxo::api {

// Throws std::runtime_error naming the zone when the zone database has no such zone
// (start-up only); never returns null.
const date::time_zone* find_zone(std::string_view name);

std::string format_query_time(std::chrono::sys_seconds t, const date::time_zone* zone);
std::optional<std::chrono::sys_seconds> parse_query_time(std::string_view text, const date::time_zone* zone);

std::string format_record_time(std::chrono::sys_seconds t, const date::time_zone* zone);
// nullopt for anything that is not exactly a valid MM/DD/YY HH:MM:SS.
std::optional<std::chrono::sys_seconds> parse_record_time(std::string_view text, const date::time_zone* zone);

}  // namespace voxo::api

#pragma once
// Wall-clock parsing and local -> instant conversion shared by record_time.cpp and the
// streaming parser (which caches the zone's current offset, see zone_converter).

#include <date/tz.h>

#include <chrono>
#include <optional>
#include <string_view>

namespace voxo::api::detail {

// Strict: exact digits and separators, calendar ranges checked, nothing trailing.
std::optional<date::local_seconds> parse_query_local(std::string_view text) noexcept;   // YYYY-MM-DD HH:MM:SS
std::optional<date::local_seconds> parse_record_local(std::string_view text) noexcept;  // MM/DD/YY HH:MM:SS

// Ambiguous -> earliest instant; nonexistent (DST gap) -> the instant the gap ends.
std::chrono::sys_seconds to_instant(date::local_seconds local, const date::time_zone* zone);

// to_instant with the last unique offset range remembered: records of one reply are close
// together in time, so most conversions skip the zone's transition search.
class zone_converter {
 public:
  explicit zone_converter(const date::time_zone* zone) noexcept : zone_(zone) {}
  std::chrono::sys_seconds operator()(date::local_seconds local);

 private:
  const date::time_zone* zone_;
  // Local times in [begin_, end_) map uniquely with offset_.
  date::local_seconds begin_{};
  date::local_seconds end_{};
  std::chrono::seconds offset_{};
};

}  // namespace voxo::api::detail

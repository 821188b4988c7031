#include "api/record_time.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <array>
#include <cstdio>
#include <stdexcept>

#include "api/detail/local_time.hpp"

namespace voxo::api {
namespace detail {
namespace {

// Reads exactly `n` ASCII digits at `pos`; -1 if any is not a digit.
constexpr int digits(std::string_view s, std::size_t pos, std::size_t n) noexcept {
  int v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  return v;
}

std::optional<date::local_seconds> make_local(int y, int mo, int d, int h, int mi, int s) noexcept {
  if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59)
    return std::nullopt;
  const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                 date::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;  // day past the month's end, 02/29 outside leap years
  return date::local_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
}

struct civil {
  date::year_month_day ymd;
  date::hh_mm_ss<std::chrono::seconds> hms;
};

civil split(std::chrono::sys_seconds t, const date::time_zone* zone) {
  const auto local = zone->to_local(t);
  const auto day = date::floor<date::days>(local);
  return {date::year_month_day{day}, date::hh_mm_ss<std::chrono::seconds>{local - day}};
}

}  // namespace

std::optional<date::local_seconds> parse_query_local(std::string_view t) noexcept {
  // YYYY-MM-DD HH:MM:SS
  if (t.size() != 19 || t[4] != '-' || t[7] != '-' || t[10] != ' ' || t[13] != ':' || t[16] != ':') return std::nullopt;
  return make_local(digits(t, 0, 4), digits(t, 5, 2), digits(t, 8, 2), digits(t, 11, 2), digits(t, 14, 2),
                    digits(t, 17, 2));
}

std::optional<date::local_seconds> parse_record_local(std::string_view t) noexcept {
  // MM/DD/YY HH:MM:SS
  if (t.size() != 17 || t[2] != '/' || t[5] != '/' || t[8] != ' ' || t[11] != ':' || t[14] != ':') return std::nullopt;
  const int yy = digits(t, 6, 2);
  if (yy < 0) return std::nullopt;
  return make_local(2000 + yy, digits(t, 0, 2), digits(t, 3, 2), digits(t, 9, 2), digits(t, 12, 2), digits(t, 15, 2));
}

std::chrono::sys_seconds to_instant(date::local_seconds local, const date::time_zone* zone) {
  const auto info = zone->get_info(local);
  switch (info.result) {
    case date::local_info::unique: return std::chrono::sys_seconds{local.time_since_epoch()} - info.first.offset;
    case date::local_info::ambiguous:  // the repeated hour: the earlier pass
      return std::chrono::sys_seconds{local.time_since_epoch()} - info.first.offset;
    case date::local_info::nonexistent:  // the skipped hour: when the clocks resume
      return info.second.begin;
  }
  return std::chrono::sys_seconds{local.time_since_epoch()} - info.first.offset;
}

std::chrono::sys_seconds zone_converter::operator()(date::local_seconds local) {
  if (local >= begin_ && local < end_) return std::chrono::sys_seconds{local.time_since_epoch()} - offset_;
  const auto info = zone_->get_info(local);
  if (info.result != date::local_info::unique) return to_instant(local, zone_);
  // Cache the part of this offset's range that no neighbouring offset can reach: offsets
  // of neighbouring periods differ by far less than a day, so a day's margin is safe.
  constexpr std::chrono::seconds margin = std::chrono::hours{26};
  const auto& p = info.first;
  begin_ = date::local_seconds{p.begin.time_since_epoch()} + p.offset + margin;
  end_ = date::local_seconds{p.end.time_since_epoch()} + p.offset - margin;
  offset_ = p.offset;
  return std::chrono::sys_seconds{local.time_since_epoch()} - offset_;
}

}  // namespace detail

const date::time_zone* find_zone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    throw std::runtime_error("unknown time zone '" + std::string{name} + "'");
  }
}

std::string format_query_time(std::chrono::sys_seconds t, const date::time_zone* zone) {
  const auto c = detail::split(t, zone);
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02u-%02u %02d:%02d:%02d", static_cast<int>(c.ymd.year()),
                static_cast<unsigned>(c.ymd.month()), static_cast<unsigned>(c.ymd.day()),
                static_cast<int>(c.hms.hours().count()), static_cast<int>(c.hms.minutes().count()),
                static_cast<int>(c.hms.seconds().count()));
  return buf.data();
}

std::optional<std::chrono::sys_seconds> parse_query_time(std::string_view text, const date::time_zone* zone) {
  const auto local = detail::parse_query_local(text);
  if (!local) return std::nullopt;
  return detail::to_instant(*local, zone);
}

std::string format_record_time(std::chrono::sys_seconds t, const date::time_zone* zone) {
  // The format only holds 2000-2099; other years wrap (the API never sends them).
  const auto c = detail::split(t, zone);
  const int yy = ((static_cast<int>(c.ymd.year()) % 100) + 100) % 100;
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "%02u/%02u/%02d %02d:%02d:%02d", static_cast<unsigned>(c.ymd.month()),
                static_cast<unsigned>(c.ymd.day()), yy, static_cast<int>(c.hms.hours().count()),
                static_cast<int>(c.hms.minutes().count()), static_cast<int>(c.hms.seconds().count()));
  return buf.data();
}

std::optional<std::chrono::sys_seconds> parse_record_time(std::string_view text, const date::time_zone* zone) {
  const auto local = detail::parse_record_local(text);
  if (!local) return std::nullopt;
  return detail::to_instant(*local, zone);
}

}  // namespace voxo::api

#include <charconv>
#include <optional>
#include <string>

#include "config/detail/sections.hpp"
#include "metrics/call_labels.hpp"
#include "util/duration.hpp"

namespace voxo::config::detail {
namespace {

constexpr unsigned max_concurrency = 64;
constexpr double max_rate = 100000;  // requests per second: beyond any real API
constexpr std::uint64_t max_label_values_limit = 1000;

}  // namespace

void read_collector(const yaml_reader& r, const located& section, collector_config& c) {
  std::optional<located> delay_at, lookback_at;
  for (const auto& [key, v] : r.entries(section, collector_keys)) {
    if (key == "interval") c.interval = duration_in(r, v, interval_range);
    else if (key == "delay") {
      c.delay = duration_in(r, v, delay_range);
      delay_at = v;
    } else if (key == "overlap") c.overlap = duration_in(r, v, overlap_range);
    else if (key == "lookback") {
      c.lookback = duration_in(r, v, lookback_range);
      lookback_at = v;
    } else if (key == "concurrency") {
      const auto n = r.unsigned_integer(v);
      if (n < 1 || n > max_concurrency) r.fail(v, "must be between 1 and " + std::to_string(max_concurrency));
      c.concurrency = static_cast<unsigned>(n);
    } else if (key == "state_file") c.state_file = r.string(v);
    else if (key == "max_requests_per_second") {
      const std::string text = r.string(v);
      double rate = -1;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), rate);
      if (ec != std::errc{} || end != text.data() + text.size() || !(rate >= 0 && rate <= max_rate))
        r.fail(v, "expected a number of requests per second from 0 (no limit) to " +
                      std::to_string(static_cast<long>(max_rate)) + ", got " + in_quotes(text));
      c.max_requests_per_second = rate;
    }
  }
  // Polls cover [now - lookback, now - delay]: with delay >= lookback there is nothing to ask for,
  // yet the tenant would look up and ready.
  if (c.delay >= c.lookback) {
    if (delay_at)
      r.fail(*delay_at, "must be shorter than collector.lookback (" + format_duration(c.lookback) + "), got " +
                            format_duration(c.delay));
    r.fail(*lookback_at, "must be longer than collector.delay (" + format_duration(c.delay) + "), got " +
                             format_duration(c.lookback));
  }
}

void read_metrics(const yaml_reader& r, const located& section, metrics_config& m) {
  for (const auto& [key, v] : r.entries(section, metrics_keys)) {
    if (key == "per_tenant_histograms") m.per_tenant_histograms = r.boolean(v);
    else if (key == "extra_labels") {
      const auto items = r.items(v);
      for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string name = r.string(items[i]);
        const auto which = metrics::parse_extra_label(name);
        if (!which)
          r.fail(items[i],
                 "unknown extra label " + in_quotes(name) + " (use jurisdiction, international or toll_free)");
        auto& on = m.extra_labels.enabled[static_cast<std::size_t>(*which)];
        if (on) r.fail(items[i], "extra label " + in_quotes(name) + " listed twice");
        on = true;
      }
    } else if (key == "max_label_values") {
      const auto n = r.unsigned_integer(v);
      if (n < 1 || n > max_label_values_limit)
        r.fail(v, "must be between 1 and " + std::to_string(max_label_values_limit));
      m.extra_labels.max_values = static_cast<std::size_t>(n);
    } else if (key == "new_series_hold") {
      m.new_series_hold = r.duration(v);
      if (m.new_series_hold > std::chrono::hours(24)) r.fail(v, "must be at most 24h (a new series shows 0 that long)");
    }
  }
}

}  // namespace voxo::config::detail

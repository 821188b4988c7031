#include "sim/fault_schedule.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace voxo::sim {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> parse_count(std::string_view s) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v == 0) return std::nullopt;
  return v;
}

// Non-negative decimal seconds ("2", "0.5") as milliseconds.
std::optional<std::chrono::milliseconds> parse_seconds(std::string_view s, bool whole_only) {
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || !(v >= 0) || v > 86400) return std::nullopt;
  if (whole_only && v != std::floor(v)) return std::nullopt;
  return std::chrono::milliseconds{static_cast<long long>(std::llround(v * 1000))};
}

struct kind_info {
  std::string_view name;
  fault_kind kind;
  enum { none, whole_seconds, seconds, status_code, optional_status } arg;
};

constexpr kind_info kinds[] = {
    {"500", fault_kind::internal_error, kind_info::none},
    {"503", fault_kind::unavailable, kind_info::whole_seconds},
    {"429", fault_kind::rate_limited, kind_info::whole_seconds},
    {"slow", fault_kind::slow, kind_info::seconds},
    {"truncate", fault_kind::truncate, kind_info::none},
    {"html", fault_kind::html, kind_info::optional_status},
    {"401", fault_kind::unauthorized, kind_info::none},
    {"reset", fault_kind::reset, kind_info::none},
    {"empty", fault_kind::empty, kind_info::none},
    {"status", fault_kind::status, kind_info::status_code},
    {"badjson", fault_kind::bad_json, kind_info::none},
};

// An HTTP error status, 400-599.
std::optional<unsigned> parse_status(std::string_view s) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || p != s.data() + s.size() || v < 400 || v > 599) return std::nullopt;
  return v;
}

util::result<fault, std::string> parse_fault(std::string_view text) {
  auto slash = text.find('/');
  std::string_view name = text.substr(0, slash);
  std::optional<std::string_view> arg;
  if (slash != std::string_view::npos) arg = text.substr(slash + 1);
  for (const auto& k : kinds) {
    if (k.name != name) continue;
    if (k.arg == kind_info::status_code || k.arg == kind_info::optional_status) {
      if (!arg) {
        if (k.arg == kind_info::optional_status) return fault{k.kind, {}, 0};
        return util::fail("kind '" + std::string(name) + "' needs an HTTP status, e.g. " + std::string(name) + "/502");
      }
      auto code = parse_status(*arg);
      if (!code) return util::fail("bad status '" + std::string(*arg) + "' (400-599)");
      return fault{k.kind, {}, *code};
    }
    if (k.arg == kind_info::none) {
      if (arg) return util::fail("kind '" + std::string(name) + "' takes no argument");
      return fault{k.kind, {}};
    }
    if (!arg) {
      return util::fail("kind '" + std::string(name) + "' needs an argument in seconds, e.g. " + std::string(name) +
                        "/2");
    }
    auto secs = parse_seconds(*arg, k.arg == kind_info::whole_seconds);
    if (!secs) {
      return util::fail("bad seconds '" + std::string(*arg) + "'" +
                        (k.arg == kind_info::whole_seconds ? " (whole seconds)" : ""));
    }
    return fault{k.kind, *secs};
  }
  return util::fail("unknown kind '" + std::string(name) +
                    "' (expected 500, 503/S, 429/S, slow/S, truncate, html[/N], 401, reset, empty, status/N, badjson)");
}

}  // namespace

fault_schedule& fault_schedule::at(std::uint64_t request_number, fault f) {
  rules_.push_back({request_number, 0, f});
  return *this;
}

fault_schedule& fault_schedule::every(std::uint64_t k, fault f) {
  rules_.push_back({0, k, f});
  return *this;
}

std::optional<fault> fault_schedule::for_request(std::uint64_t n) const {
  for (const auto& r : rules_)
    if (r.request != 0 && r.request == n) return r.what;
  for (const auto& r : rules_)
    if (r.every != 0 && n % r.every == 0) return r.what;
  return std::nullopt;
}

util::result<fault_schedule, std::string> parse_fault_schedule(std::string_view text) {
  fault_schedule out;
  text = trim(text);
  if (text.empty()) return out;
  while (true) {
    auto comma = text.find(',');
    std::string_view rule = trim(text.substr(0, comma));
    auto fail = [&](const std::string& why) {
      return util::fail("bad fault rule '" + std::string(rule) + "': " + why);
    };
    auto colon = rule.find(':');
    if (colon == std::string_view::npos) return fail("expected N:kind or every=K:kind");
    std::string_view when = trim(rule.substr(0, colon));
    auto f = parse_fault(trim(rule.substr(colon + 1)));
    if (!f) return fail(f.error());
    bool repeat = when.starts_with("every=");
    auto n = parse_count(repeat ? when.substr(6) : when);
    if (!n) return fail("'" + std::string(when) + "' is not a request number >= 1");
    if (repeat) out.every(*n, *f);
    else out.at(*n, *f);
    if (comma == std::string_view::npos) break;
    text = text.substr(comma + 1);
  }
  return out;
}

std::string describe(const fault& f) {
  for (const auto& k : kinds) {
    if (k.kind != f.kind) continue;
    std::string out(k.name);
    if (k.arg == kind_info::status_code || k.arg == kind_info::optional_status) {
      if (f.status != 0) out += '/' + std::to_string(f.status);
    } else if (k.arg != kind_info::none) {
      auto ms = f.arg.count();
      out += '/' + std::to_string(ms / 1000);
      if (ms % 1000) {
        char frac[8];
        std::snprintf(frac, sizeof frac, ".%03lld", static_cast<long long>(ms % 1000));
        std::string s(frac);
        while (s.back() == '0') s.pop_back();
        out += s;
      }
    }
    return out;
  }
  return "?";
}

}  // namespace voxo::sim

#include "config/config_loader.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "api/record_time.hpp"
#include "config/file_checks.hpp"
#include "config/yaml_reader.hpp"
#include "metrics/call_labels.hpp"
#include "util/duration.hpp"
#include "util/full_match_regex.hpp"

namespace voxo::config {
namespace {

using detail::located;
using detail::in_quotes;
using detail::yaml_reader;

constexpr std::uintmax_t max_file_bytes = 1 << 20;  // a config file, not a data set
constexpr std::size_t max_regex_length = 1024;     // a name filter, not a program
constexpr unsigned max_concurrency = 64;

// The keys of each mapping; `password` and `token` are known only to be refused with advice.
constexpr std::array<std::string_view, 4> top_keys{"api", "collector", "metrics", "tenants"};
constexpr std::array<std::string_view, 11> api_keys{
    "url", "token_file", "email", "password_file", "timezone", "record_timezone",
    "ca_file", "timeout", "max_response_bytes", "password", "token"};
constexpr std::array<std::string_view, 7> collector_keys{"interval", "delay", "overlap", "lookback",
                                                         "concurrency", "state_file", "max_requests_per_second"};
constexpr std::array<std::string_view, 4> metrics_keys{"per_tenant_histograms", "extra_labels", "max_label_values",
                                                      "new_series_hold"};
constexpr std::uint64_t max_label_values_limit = 1000;
constexpr std::array<std::string_view, 3> tenant_keys{"id", "billing_code", "name"};
constexpr std::array<std::string_view, 4> discovery_keys{"discover", "include", "exclude", "refresh"};
constexpr std::array<std::string_view, 3> partner_keys{"partner", "accounts", "max_accounts"};
constexpr double max_rate = 100000;            // requests per second: beyond any real API
constexpr std::uint64_t max_partner_accounts = 100000;

bool contains(detail::key_list keys, std::string_view key) {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

bool env_set(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0';
}

// "http[s]://host[:port][/path]": the message never repeats the URL, which could carry a
// password in its user info.
void check_url(const yaml_reader& r, const located& v, const std::string& url) {
  const auto scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https")
    r.fail(v, "the URL must start with http:// or https://");
  const std::string rest = url.substr(scheme_end + 3);
  const std::string authority = rest.substr(0, rest.find('/'));
  if (authority.find('@') != std::string::npos)
    r.fail(v, "no user name or password in the URL (use token_file, or email and password_file)");
  if (rest.find_first_of("?#") != std::string::npos) r.fail(v, "no query or fragment in the URL");
  if (rest.find_first_of(" \t") != std::string::npos) r.fail(v, "no spaces in the URL");

  std::string host = authority;
  std::string port;
  if (host.starts_with('[')) {  // IPv6 literal
    const auto close = host.find(']');
    if (close == std::string::npos || close == 1) r.fail(v, "bad IPv6 address in the URL");
    const std::string after = host.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) r.fail(v, "bad host in the URL");
    port = after.empty() ? "" : after.substr(1);
    host = host.substr(1, close - 1);
    if (port.empty() && !after.empty()) r.fail(v, "empty port in the URL");
  } else if (const auto colon = host.find(':'); colon != std::string::npos) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
    if (port.empty()) r.fail(v, "empty port in the URL");
  }
  if (host.empty()) r.fail(v, "no host in the URL");
  if (!port.empty()) {
    unsigned number = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
    if (ec != std::errc{} || end != port.data() + port.size() || number == 0 || number > 65535)
      r.fail(v, "bad port " + in_quotes(port) + " in the URL");
  }
}

void check_zone(const yaml_reader& r, const located& v, const std::string& name) {
  try {
    api::find_zone(name);
  } catch (const std::exception&) {
    r.fail(v, "unknown time zone " + in_quotes(name) + " (use an IANA name such as America/Chicago)");
  }
}

// Every duration has a range that makes sense for it: a typo such as 300y would otherwise
// overflow the clock (steady_clock counts nanoseconds: ~292 years) or poll in a tight loop.
struct duration_range {
  std::chrono::milliseconds min, max;
};
using namespace std::chrono_literals;
constexpr duration_range api_timeout_range{100ms, 1h};
constexpr duration_range interval_range{1s, 24h};
constexpr duration_range delay_range{0ms, 7 * 24h};
constexpr duration_range overlap_range{0ms, 7 * 24h};
constexpr duration_range lookback_range{1s, 366 * 24h};
constexpr duration_range refresh_range{10s, 7 * 24h};

std::chrono::milliseconds duration_in(const yaml_reader& r, const located& v, duration_range range) {
  const auto d = r.duration(v);
  if (d < range.min || d > range.max)
    r.fail(v, "must be between " + format_duration(range.min) + " and " + format_duration(range.max) + ", got " +
                  format_duration(d));
  return d;
}

void read_api(const yaml_reader& r, const located& section, api_config& api) {
  located timezone_at{}, record_timezone_at{};
  std::optional<std::string> record_timezone;
  for (const auto& [key, v] : r.entries(section, api_keys)) {
    if (key == "password")  // never echo the value
      r.fail(v, "passwords don't belong in config files: put it in a file and set "
                "api.password_file, or set VOXO_PASSWORD in the environment");
    else if (key == "token")
      r.fail(v, "tokens don't belong in config files: put it in a file and set "
                "api.token_file, or set VOXO_TOKEN in the environment");
    else if (key == "url") {
      api.url = r.string(v);
      check_url(r, v, api.url);
    } else if (key == "token_file")
      api.token_file = r.string(v);
    else if (key == "email")
      api.email = r.string(v);
    else if (key == "password_file")
      api.password_file = r.string(v);
    else if (key == "timezone") {
      api.timezone = r.string(v);
      timezone_at = v;
    } else if (key == "record_timezone") {
      record_timezone = r.string(v);
      record_timezone_at = v;
    } else if (key == "ca_file")
      api.ca_file = r.string(v);
    else if (key == "timeout")
      api.timeout = duration_in(r, v, api_timeout_range); else if (key == "max_response_bytes") {
      api.max_response_bytes = r.byte_size(v);
      if (api.max_response_bytes == 0) r.fail(v, "must be greater than 0");
    }
  }
  check_zone(r, timezone_at, api.timezone);
  api.record_timezone = record_timezone.value_or(api.timezone);
  if (record_timezone) check_zone(r, record_timezone_at, api.record_timezone);
}

void check_credentials(const yaml_reader& r, const api_config& api) {
  if (api.token_file && (api.email || api.password_file))
    r.fail("api", "set either token_file, or email with password_file, not both");
  if (api.password_file && !api.email) r.fail("api.password_file", "needs api.email");
  if (api.email && !api.password_file && !env_set("VOXO_PASSWORD"))
    r.fail("api.email", "no password (set api.password_file, or VOXO_PASSWORD in the environment)");
  if (!api.token_file && !api.email && !env_set("VOXO_TOKEN"))
    r.fail("api", "no credentials (set token_file, or email with password_file, or VOXO_TOKEN)");
}

void read_collector(const yaml_reader& r, const located& section, collector_config& c) {
  std::optional<located> delay_at, lookback_at;
  for (const auto& [key, v] : r.entries(section, collector_keys)) {
    if (key == "interval")
      c.interval = duration_in(r, v, interval_range);
    else if (key == "delay") {
      c.delay = duration_in(r, v, delay_range);
      delay_at = v;
    } else if (key == "overlap")
      c.overlap = duration_in(r, v, overlap_range);
    else if (key == "lookback") {
      c.lookback = duration_in(r, v, lookback_range);
      lookback_at = v;
    } else if (key == "concurrency") {
      const auto n = r.unsigned_integer(v);
      if (n < 1 || n > max_concurrency)
        r.fail(v, "must be between 1 and " + std::to_string(max_concurrency));
      c.concurrency = static_cast<unsigned>(n);
    } else if (key == "state_file")
      c.state_file = r.string(v);
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
    if (key == "per_tenant_histograms")
      m.per_tenant_histograms = r.boolean(v);
    else if (key == "extra_labels") {
      const auto items = r.items(v);
      for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string name = r.string(items[i]);
        const auto which = metrics::parse_extra_label(name);
        if (!which)
          r.fail(items[i], "unknown extra label " + in_quotes(name) + " (use jurisdiction, international or toll_free)");
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

long long tenant_id(const yaml_reader& r, const located& v) {
  const std::string text = r.string(v);
  long long id = 0;
  const bool digits_only = std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (!digits_only || ec != std::errc{} || end != text.data() + text.size() || id <= 0)
    r.fail(v, "invalid tenant id " + in_quotes(text) + " (expected a positive whole number)");
  return id;
}

void read_tenant_list(const yaml_reader& r, const located& list, std::vector<tenant_config>& tenants) {
  const auto items = r.items(list);
  if (items.empty())
    r.fail(list, "no tenants (list at least one, or use {discover: true})");

  std::map<std::string, std::string> label_owner;  // label -> path of the item that has it
  for (const auto& item : items) {
    std::optional<long long> id;
    std::optional<std::string> billing_code;
    tenant_config t;
    for (const auto& [key, v] : r.entries(item, tenant_keys)) {
      if (key == "id")
        id = tenant_id(r, v);
      else if (key == "billing_code")
        billing_code = r.string(v);
      else if (key == "name")
        t.name = r.string(v);
    }
    if (id && billing_code) r.fail(item, "set either id or billing_code, not both");
    if (!id && !billing_code) r.fail(item, "needs an id or a billing_code");
    if (id) {
      t.scope = api::tenant_scope{*id};
      t.label = std::to_string(*id);
    } else {
      t.scope = api::billing_code_scope{*billing_code};
      t.label = *billing_code;
    }
    // Two entries with one label would add up into one series: the same tenant counted twice.
    const auto [it, fresh] = label_owner.emplace(t.label, item.path);
    if (!fresh)
      r.fail(item, "duplicate tenant " + in_quotes(t.label) + " (already in " + it->second + ")");
    tenants.push_back(std::move(t));
  }
}

// RE2 syntax, as Prometheus uses: RE2 itself refuses what it can't run in linear time
// (backreferences, lookarounds) and repetition counts over 1000.
void check_regexes(const yaml_reader& r, const located& list) {
  for (const auto& item : r.items(list)) {
    const std::string pattern = r.string(item);
    if (pattern.size() > max_regex_length)
      r.fail(item, "regex longer than " + std::to_string(max_regex_length) + " characters");
    const auto compiled = util::full_match_regex::compile(pattern);
    if (const auto* why = std::get_if<std::string>(&compiled))
      r.fail(item, "invalid regex " + in_quotes(pattern) + " (RE2 syntax): " + *why);
  }
}

void read_discovery(const yaml_reader& r, const located& map, discovery_config& d) {
  bool discover_given = false;
  for (const auto& [key, v] : r.entries(map, discovery_keys)) {
    if (key == "discover") {
      discover_given = true;
      if (!r.boolean(v))
        r.fail(v, "false leaves no tenants to poll (list the tenants instead)");
    } else if (key == "include") {
      d.include = r.string_list(v);
      check_regexes(r, v);
    } else if (key == "exclude") {
      d.exclude = r.string_list(v);
      check_regexes(r, v);
    } else if (key == "refresh")
      d.refresh = duration_in(r, v, refresh_range);
  }
  if (!discover_given) r.fail(map, "needs discover: true (or a list of tenants)");
  d.enabled = true;
}

// tenants: {partner: true, accounts: [{billing_code, name}], max_accounts: n}
void read_partner(const yaml_reader& r, const located& map, config& c) {
  for (const auto& entry : map.node)
    if (entry.first.IsScalar() && entry.first.Scalar() == "discover")
      r.fail(map, "partner: true already covers every account of the partner; drop discover");
  for (const auto& [key, v] : r.entries(map, partner_keys)) {
    if (key == "partner") {
      if (!r.boolean(v)) r.fail(v, "false: list the tenants instead, or use {discover: true}");
    } else if (key == "max_accounts") {
      const auto n = r.unsigned_integer(v);
      if (n < 1 || n > max_partner_accounts)
        r.fail(v, "must be between 1 and " + std::to_string(max_partner_accounts));
      c.partner.max_accounts = static_cast<std::size_t>(n);
    } else if (key == "accounts") {
      std::map<std::string, std::string> owner;
      for (const auto& item : r.items(v)) {
        tenant_config a;
        for (const auto& [k, field] : r.entries(item, tenant_keys)) {
          if (k == "id")
            r.fail(field, "partner-wide replies name accounts by billing code (billingId): use billing_code");
          else if (k == "billing_code")
            a.label = r.string(field);
          else
            a.name = r.string(field);
        }
        if (a.label.empty()) r.fail(item, "needs a billing_code");
        if (a.label == "partner") r.fail(item, "\"partner\" is the label of records that name no account");
        a.scope = api::billing_code_scope{a.label};
        if (const auto [it, fresh] = owner.emplace(a.label, item.path); !fresh)
          r.fail(item, "duplicate account " + in_quotes(a.label) + " (already in " + it->second + ")");
        c.partner.accounts.push_back(std::move(a));
      }
    }
  }
  c.partner.enabled = true;
  c.tenants = {tenant_config{api::partner_scope{}, "partner", ""}};
}

// A section's key written at the top level (a lost indent) gets a better hint than a spelling
// suggestion would. A secret there gets the same refusal as under api:.
void check_misplaced_keys(const yaml_reader& r, const YAML::Node& root) {
  for (const auto& entry : root) {
    const YAML::Node& key_node = entry.first;
    if (!key_node.IsScalar()) continue;
    const std::string& key = key_node.Scalar();
    if (contains(top_keys, key)) continue;
    if (key == "password" || key == "token")
      r.fail(key_node, key, "secrets don't belong in config files: use api.token_file or api.password_file, "
                            "or VOXO_TOKEN / VOXO_PASSWORD in the environment");
    const char* section = contains(api_keys, key)         ? "api"
                          : contains(collector_keys, key) ? "collector"
                          : contains(metrics_keys, key)   ? "metrics"
                          : contains(tenant_keys, key) || contains(discovery_keys, key) ||
                                  contains(partner_keys, key)
                              ? "tenants"
                              : nullptr;
    if (section)
      r.fail(key_node, "", "unknown key " + in_quotes(key) + " (it belongs under \"" + section + ":\")");
  }
}

void resolve_relative(std::optional<std::string>& path, const std::filesystem::path& base) {
  if (path && std::filesystem::path(*path).is_relative()) *path = (base / *path).lexically_normal().string();
}

config load(std::string_view yaml, std::string_view source_name, const std::filesystem::path* base_dir) {
  const yaml_reader r{std::string(source_name)};
  try {
    const detail::yaml_stream stream = detail::load_first_document(std::string(yaml));
    if (stream.more) r.fail_at_mark(*stream.more, "", "more than one YAML document, or text after the end of the first");
    const YAML::Node& root = stream.first;
    if (root.IsNull()) r.fail("", "empty configuration (expected a mapping with api, collector and tenants)");
    if (!root.IsMap())
      r.fail(root, "", "expected a mapping with api, collector and tenants at the top level, got " +
                           std::string(detail::kind_of(root)));

    check_misplaced_keys(r, root);
    config c;
    c.source = std::string(source_name);
    bool tenants_given = false;
    for (const auto& [key, v] : r.entries(located{root, ""}, top_keys)) {
      if (key == "api")
        read_api(r, v, c.api);
      else if (key == "collector")
        read_collector(r, v, c.collector);
      else if (key == "metrics")
        read_metrics(r, v, c.metrics);
      else if (key == "tenants") {
        tenants_given = true;
        const bool partner = v.node.IsMap() && std::any_of(v.node.begin(), v.node.end(), [](const auto& e) {
          return e.first.IsScalar() && e.first.Scalar() == "partner";
        });
        if (partner)
          read_partner(r, v, c);
        else if (v.node.IsMap())
          read_discovery(r, v, c.discovery);
        else if (v.node.IsSequence())
          read_tenant_list(r, v, c.tenants);
        else
          r.fail(v, "expected a list of tenants, {discover: true} or {partner: true}, got " + std::string(detail::kind_of(v.node)));
      }
    }
    if (!tenants_given) r.fail("tenants", "missing (list the tenants to poll, or set tenants: {discover: true})");
    check_credentials(r, c.api);
    c.api.max_connections = c.collector.concurrency;

    if (base_dir) {
      resolve_relative(c.api.token_file, *base_dir);
      resolve_relative(c.api.password_file, *base_dir);
      resolve_relative(c.api.ca_file, *base_dir);
      resolve_relative(c.collector.state_file, *base_dir);
    }
    return c;
  } catch (const YAML::Exception& e) {
    // e.msg without e.what(): what() repeats the position in yaml-cpp's own format.
    r.fail_at_mark(e.mark, "", "invalid YAML: " + e.msg);
  }
}

}  // namespace

config load_config_text(std::string_view yaml, std::string_view source_name) {
  return load(yaml, source_name, nullptr);
}

config load_config_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto status = fs::status(path, ec);
  if (ec) throw config_error(path + ": cannot read: " + ec.message());
  if (fs::is_directory(status)) throw config_error(path + ": is a directory, not a config file");
  if (fs::is_regular_file(status) && fs::file_size(path, ec) > max_file_bytes && !ec)
    throw config_error(path + ": larger than 1 MiB, not a config file");

  std::ifstream in(path, std::ios::binary);
  if (!in) throw config_error(path + ": cannot read: " + std::strerror(errno));
  std::string text;
  char buffer[8192];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_file_bytes) throw config_error(path + ": larger than 1 MiB, not a config file");
  }
  if (in.bad()) throw config_error(path + ": cannot read: " + std::strerror(errno));

  const fs::path base = fs::absolute(fs::path(path), ec).parent_path();
  config c = load(text, path, &base);
  check_files(c);
  return c;
}

}  // namespace voxo::config

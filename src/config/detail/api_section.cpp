#include <charconv>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>

#include "api/record_time.hpp"
#include "config/detail/sections.hpp"

namespace voxo::config::detail {
namespace {

bool env_set(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0';
}

// "http[s]://host[:port][/path]": the message never repeats the URL, which could carry a
// password in its user info.
void check_url(const yaml_reader& r, const located& v, const std::string& url) {
  const auto scheme_end = url.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") r.fail(v, "the URL must start with http:// or https://");
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

}  // namespace

void read_api(const yaml_reader& r, const located& section, api_config& api) {
  located timezone_at{}, record_timezone_at{};
  std::optional<std::string> record_timezone;
  for (const auto& [key, v] : r.entries(section, api_keys)) {
    if (key == "password")  // never echo the value
      r.fail(v,
             "passwords don't belong in config files: put it in a file and set "
             "api.password_file, or set VOXO_PASSWORD in the environment");
    else if (key == "token")
      r.fail(v,
             "tokens don't belong in config files: put it in a file and set "
             "api.token_file, or set VOXO_TOKEN in the environment");
    else if (key == "url") {
      api.url = r.string(v);
      check_url(r, v, api.url);
    } else if (key == "token_file") api.token_file = r.string(v);
    else if (key == "email") api.email = r.string(v);
    else if (key == "password_file") api.password_file = r.string(v);
    else if (key == "timezone") {
      api.timezone = r.string(v);
      timezone_at = v;
    } else if (key == "record_timezone") {
      record_timezone = r.string(v);
      record_timezone_at = v;
    } else if (key == "ca_file") api.ca_file = r.string(v);
    else if (key == "timeout") api.timeout = duration_in(r, v, api_timeout_range);
    else if (key == "max_response_bytes") {
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

}  // namespace voxo::config::detail

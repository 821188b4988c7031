#include "api/url.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace voxo::api {
namespace {

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  return true;
}

bool is_host_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'; }

bool is_path_char(char c) {
  // Unreserved, sub-delims, ':' '@' and '/' (RFC 3986 pchar), plus '%' for escapes.
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("-._~!$&'()*+,;=:@/%").find(c) != std::string_view::npos;
}

}  // namespace

bool api_url::host_is_ip() const {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

std::string api_url::host_header() const {
  bool v6 = host.find(':') != std::string::npos;
  std::string out = v6 ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) out += ":" + std::to_string(port);
  return out;
}

std::string api_url::origin() const {
  bool v6 = host.find(':') != std::string::npos;
  return std::string(tls ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

util::result<api_url, std::string> parse_api_url(std::string_view text) {
  api_url url;
  if (iequals_prefix(text, "https://")) {
    url.tls = true;
    url.port = 443;
    text.remove_prefix(8);
  } else if (iequals_prefix(text, "http://")) {
    url.tls = false;
    url.port = 80;
    text.remove_prefix(7);
  } else {
    return util::fail("api.url must start with https:// or http://");
  }

  std::string_view authority = text.substr(0, text.find('/'));
  std::string_view path = text.substr(authority.size());
  if (authority.find('@') != std::string_view::npos)
    return util::fail("api.url must not carry user info (use api.token_file or api.password_file)");
  if (authority.find_first_of("?#") != std::string_view::npos || path.find_first_of("?#") != std::string_view::npos)
    return util::fail("api.url must not have a query or fragment");

  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return util::fail("api.url: unterminated IPv6 literal");
    url.host = std::string(authority.substr(1, close - 1));
    boost::system::error_code ec;
    auto addr = boost::asio::ip::make_address(url.host, ec);
    if (ec || !addr.is_v6()) return util::fail("api.url: invalid IPv6 literal");
    std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return util::fail("api.url: junk after IPv6 literal");
      port_text = rest.substr(1);
      if (port_text.empty()) return util::fail("api.url: empty port");
    }
  } else {
    auto colon = authority.find(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return util::fail("api.url: empty port");
    }
    if (!std::all_of(url.host.begin(), url.host.end(), is_host_char))
      return util::fail("api.url: invalid character in host");
  }
  if (url.host.empty()) return util::fail("api.url: missing host");

  if (!port_text.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc{} || end != port_text.data() + port_text.size() || value == 0 || value > 65535)
      return util::fail("api.url: invalid port");
    url.port = static_cast<std::uint16_t>(value);
  }

  if (!std::all_of(path.begin(), path.end(), is_path_char)) return util::fail("api.url: invalid character in path");
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  url.base_path = std::string(path);
  std::transform(url.host.begin(), url.host.end(), url.host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return url;
}

}  // namespace voxo::api

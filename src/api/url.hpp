#pragma once
// api.url taken apart: scheme, host, port and the base path every request target starts with.

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace voxo::api {

struct api_url {
  bool tls = true;   // https (else plain http)
  std::string host;  // without brackets for an IPv6 literal
  std::uint16_t port = 443;
  std::string base_path;  // "" or e.g. "/v2" (never a trailing slash)

  bool host_is_ip() const;          // IPv4 or IPv6 literal: no SNI, IP verification
  std::string host_header() const;  // "api.voxo.co", "127.0.0.1:8443", "[::1]:8080"
  std::string origin() const;       // "https://api.voxo.co:443", for log lines
};

// "http[s]://host[:port][/base/path]"; no user info, query or fragment.
// The error is a message that never repeats user info (it could hold a password).
util::result<api_url, std::string> parse_api_url(std::string_view text);

}  // namespace voxo::api

#pragma once
// node_exporter-style --web.listen-address values: ":10368" (all interfaces),
// "127.0.0.1:9000", "[::1]:9000", "localhost:9000". Port 0 lets the OS pick.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace voxo::http {

struct listen_address {
  std::string host;  // "" = all interfaces; IPv6 literals without brackets
  std::uint16_t port = 0;
};

std::optional<listen_address> parse_listen_address(std::string_view text);

}  // namespace voxo::http

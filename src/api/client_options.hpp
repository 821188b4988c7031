#pragma once
// How to reach and authenticate to the VOXO API: the `api:` section of the config file.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "util/secret.hpp"

namespace voxo::api {

using namespace std::chrono_literals;

struct client_options {
  std::string url = "https://api.voxo.co";   // http:// allowed (tests, proxies); may carry a base path
  std::optional<std::string> token_file;     // bearer token, re-read on 401 (else VOXO_TOKEN)
  std::optional<std::string> email;          // password login ...
  std::optional<std::string> password_file;  // ... password from this file (else VOXO_PASSWORD)
  std::string timezone = "America/Chicago";  // zone of start/end, sent as `timezone`
  std::string record_timezone;               // zone of the returned `time`; empty = timezone
  // A bearer token the program itself holds (demo mode's simulator token), first of all sources
  // when set. Never read from the config file; passed in memory so no secret goes through the
  // process environment (which children inherit and /proc/<pid>/environ shows).
  std::optional<secret> token;
  std::optional<std::string> ca_file;  // extra trust anchor (PEM), besides the system store
  std::chrono::milliseconds timeout =
      30s;  // per connect, TLS handshake, write, reply header; a body fails after this long without a byte
  std::uint64_t max_response_bytes = 256ull << 20;
  unsigned max_connections = 4;  // keep-alive pool size per host (= collector.concurrency)
};

}  // namespace voxo::api

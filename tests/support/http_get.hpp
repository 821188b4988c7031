#pragma once
// A blocking HTTP/1.1 GET for tests (plain HTTP on loopback), with a timeout.

#include <chrono>
#include <map>
#include <string>

namespace voxo::test {

struct http_reply {
  int status = 0;                              // 0 = no answer (connection refused, timeout)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string error;
};

http_reply http_get(const std::string& host, unsigned short port, const std::string& target,
                    const std::map<std::string, std::string>& headers = {},
                    std::chrono::milliseconds timeout = std::chrono::seconds(10), const std::string& method = "GET");

}  // namespace voxo::test

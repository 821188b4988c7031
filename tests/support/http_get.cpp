#include "support/http_get.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <cctype>

namespace voxo::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

http_reply http_get(const std::string& host, unsigned short port, const std::string& target,
                    const std::map<std::string, std::string>& headers, std::chrono::milliseconds timeout,
                    const std::string& method) {
  http_reply reply;
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  http::request<http::empty_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, host + ":" + std::to_string(port));
  for (auto& [k, v] : headers) req.set(k, v);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(1ull << 30);
  if (method == "HEAD") parser.skip(true);
  beast::error_code result_ec;
  stream.expires_after(timeout);
  net::ip::tcp::endpoint ep(net::ip::make_address(host), port);
  stream.async_connect(ep, [&](beast::error_code ec) {
    if (ec) {
      result_ec = ec;
      return;
    }
    http::async_write(stream, req, [&](beast::error_code ec2, std::size_t) {
      if (ec2) {
        result_ec = ec2;
        return;
      }
      http::async_read(stream, buffer, parser, [&](beast::error_code ec3, std::size_t) { result_ec = ec3; });
    });
  });
  ioc.run();
  if (result_ec) {
    reply.error = result_ec.message();
    return reply;
  }
  auto& res = parser.get();
  reply.status = static_cast<int>(res.result_int());
  for (auto& f : res) {
    std::string name(f.name_string());
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    reply.headers[name] = std::string(f.value());
  }
  reply.body = std::move(res.body());
  return reply;
}

}  // namespace voxo::test

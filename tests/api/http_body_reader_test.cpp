// The body read path (src/api/http_body_reader.*, issue #14): what has arrived reaches the
// parser in large pieces, not one socket read (64 KiB) or one TLS record (16 KiB) at a time.
// The consumer stalls on its first piece, so the rest of the body arrives meanwhile.
#include <boost/asio/io_context.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "api/http_transport.hpp"
#include "api/url.hpp"
#include "support/fake_api_server.hpp"
#include "support/run_awaitable.hpp"
#include "util/self_signed.hpp"

namespace net = boost::asio;
namespace http = boost::beast::http;
using namespace std::chrono_literals;
using namespace voxo::api;
using voxo::test::fake_api_server;

namespace {

struct piece_log {
  std::size_t pieces = 0;
  std::size_t largest = 0;
  std::string body;
};

// Reads one GET reply of `body` through the transport; returns what the consumer saw.
piece_log read_through_transport(fake_api_server& server, const std::string& body, net::ssl::context* tls) {
  server.enqueue("/big", {200, body});
  net::io_context ioc;
  auto url = parse_api_url(server.base_url());
  BOOST_TEST_REQUIRE(url.has_value());
  detail::http_transport transport(ioc.get_executor(), *url, tls, 5s, 1);
  http::request<http::string_body> req{http::verb::get, "/big", 11};
  req.set(http::field::host, url->host_header());
  piece_log log;
  const detail::body_consumer consume = [&](std::string_view piece) {
    if (log.pieces++ == 0) std::this_thread::sleep_for(200ms);  // the rest arrives meanwhile
    log.largest = std::max(log.largest, piece.size());
    log.body.append(piece);
    return true;
  };
  auto reply = voxo::test::run_awaitable(ioc, transport.send(req, consume, 64ull << 20));
  BOOST_TEST_REQUIRE(reply.has_value());
  BOOST_TEST(reply->status == 200u);
  BOOST_TEST(reply->body_bytes == body.size());
  return log;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_body_reader)

BOOST_AUTO_TEST_CASE(a_body_that_has_arrived_reaches_the_consumer_in_pieces_over_64_kib) {
  fake_api_server server;
  const std::string body(1 << 20, 'x');
  const auto log = read_through_transport(server, body, nullptr);
  BOOST_TEST(log.body == body);
  BOOST_TEST(log.largest > 64u * 1024);
}

BOOST_AUTO_TEST_CASE(an_https_body_that_has_arrived_reaches_the_consumer_in_pieces_of_many_tls_records) {
  const auto pki = voxo::util::make_self_signed_pki({"127.0.0.1"});
  fake_api_server server{pki};
  net::ssl::context tls(net::ssl::context::tls_client);
  tls.add_certificate_authority(net::buffer(pki.ca_cert));
  tls.set_verify_mode(net::ssl::verify_peer);
  const std::string body(1 << 20, 'y');
  const auto log = read_through_transport(server, body, &tls);
  BOOST_TEST(log.body == body);
  BOOST_TEST(log.largest > 4u * 16 * 1024);  // a TLS record holds at most 16 KiB
}

BOOST_AUTO_TEST_SUITE_END()

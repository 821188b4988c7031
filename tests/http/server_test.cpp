#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "http/basic_auth.hpp"
#include "test_client.hpp"

using namespace std::chrono_literals;
using voxo::http::server_options;
using voxo::http::test::client;
using voxo::http::test::closed_by_peer;
using voxo::http::test::response;
using voxo::http::test::running_server;
namespace bhttp = boost::beast::http;

BOOST_AUTO_TEST_SUITE(server)

BOOST_AUTO_TEST_CASE(keep_alive_serves_several_requests_on_one_connection) {
  running_server srv;
  client<> c;
  BOOST_REQUIRE(!c.connect(srv.port()));
  response first, second, third;
  BOOST_REQUIRE(!c.request("/metrics", first));
  BOOST_TEST(first.result_int() == 200);
  BOOST_TEST(first.body() == srv.exposition().current()->text());
  // HEAD in between must not desynchronise the connection.
  BOOST_REQUIRE(!c.request("/metrics", second, bhttp::verb::head));
  BOOST_TEST(second[bhttp::field::content_length] == std::to_string(first.body().size()));
  BOOST_REQUIRE(!c.request("/-/healthy", third));
  BOOST_TEST(third.result_int() == 200);
  BOOST_TEST(third.body() == "OK\n");
}

BOOST_AUTO_TEST_CASE(a_large_gzip_exposition_in_parts_arrives_whole_on_a_kept_connection) {
  running_server srv;
  const auto text = voxo::http::test::set_large_exposition(srv, 100000);
  client<> c;
  BOOST_REQUIRE(!c.connect(srv.port()));
  for (int round = 0; round < 2; ++round) {
    response res;
    BOOST_REQUIRE(!c.request_gzip("/metrics", res));
    BOOST_TEST(res[bhttp::field::content_encoding] == "gzip");
    BOOST_TEST((voxo::http::test::gzip_decompress(res.body()) == text));
  }
}

BOOST_AUTO_TEST_CASE(a_large_plain_exposition_is_inflated_in_pieces_and_arrives_whole_on_a_kept_connection) {
  running_server srv;
  const auto text = voxo::http::test::set_large_exposition(srv, 100000);  // ~4 MB: many 64 KiB pieces
  client<> c;
  BOOST_REQUIRE(!c.connect(srv.port()));
  for (int round = 0; round < 2; ++round) {
    response res;
    BOOST_REQUIRE(!c.request("/metrics", res));
    BOOST_TEST(res.count(bhttp::field::content_encoding) == 0u);
    BOOST_TEST(res[bhttp::field::content_length] == std::to_string(text.size()));
    BOOST_TEST((res.body() == text));
  }
}

BOOST_AUTO_TEST_CASE(connection_close_is_honoured) {
  running_server srv;
  client<> c;
  BOOST_REQUIRE(!c.connect(srv.port()));
  auto req = voxo::http::test::get_request("/-/healthy");
  req.keep_alive(false);
  BOOST_REQUIRE(!c.send(req));
  response res;
  BOOST_REQUIRE(!c.read(res));
  BOOST_TEST(res.result_int() == 200);
  BOOST_TEST(closed_by_peer(c.wait_closed()));
}

// A request the server will not serve: its status, then the server closes the connection.
namespace {

struct refused_request {
  const char* name;
  std::string raw;  // written as is
  unsigned status;
  // The server may close before the client reads the answer (it stops reading a header
  // over the limit): then only the close is checked.
  bool answer_may_be_lost = false;
};
std::ostream& operator<<(std::ostream& os, const refused_request& r) { return os << r.name; }

std::vector<refused_request> refused_requests() {
  return {
      {"a_header_over_the_limit_gets_431_and_close",
       "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(16 * 1024, 'a') + "\r\n\r\n", 431, true},
      {"a_malformed_request_gets_400_and_close", "GET /metrics HTTP/9\r\nHost: x\r\n\r\n", 400},
      {"a_request_body_over_the_limit_gets_413_and_close",
       "POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", 413},
  };
}

}  // namespace

BOOST_DATA_TEST_CASE(a_request_the_server_refuses_gets_its_status_and_close,
                     boost::unit_test::data::make(refused_requests()), row) {
  running_server srv;
  client<> c;
  BOOST_REQUIRE(!c.connect(srv.port()));
  BOOST_REQUIRE(!c.write(row.raw));
  response res;
  auto ec = c.read(res);
  if (ec && row.answer_may_be_lost) {
    BOOST_TEST(closed_by_peer(ec), ec.message());
    return;
  }
  BOOST_REQUIRE(!ec);
  BOOST_TEST(res.result_int() == row.status);
  BOOST_TEST(closed_by_peer(c.wait_closed()));
}

BOOST_AUTO_TEST_CASE(a_slow_loris_client_is_cut_off_by_the_header_deadline) {
  server_options options;
  options.read_header_timeout = 1s;
  running_server srv(options);
  client<> c;
  BOOST_REQUIRE(!c.connect(srv.port()));
  // 60 bytes at one per 200 ms would take 12 s: a deadline reset by each byte never fires.
  std::string trickle = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(60, 'z');
  bool cut_off = false;
  for (char byte : trickle) {
    if (c.write(std::string(1, byte))) {
      cut_off = true;
      break;
    }
    std::this_thread::sleep_for(200ms);
  }
  BOOST_TEST(cut_off);
}

BOOST_AUTO_TEST_CASE(at_the_cap_a_new_connection_evicts_the_longest_idle_one) {
  server_options options;
  options.max_connections = 2;
  running_server srv(options);
  client<> a, b, next;
  response res;
  BOOST_REQUIRE(!a.connect(srv.port()));
  BOOST_REQUIRE(!a.request("/-/healthy", res));
  BOOST_REQUIRE(!b.connect(srv.port()));
  BOOST_REQUIRE(!b.request("/-/healthy", res));

  // Both idle on keep-alive: the third is served in the place of the one idle longest.
  BOOST_REQUIRE(!next.connect(srv.port()));
  BOOST_REQUIRE(!next.request("/-/healthy", res));
  BOOST_TEST(res.result_int() == 200);
  auto ec = a.wait_closed();
  BOOST_TEST(closed_by_peer(ec), ec.message());
  BOOST_TEST(!b.request("/-/healthy", res));
}

BOOST_AUTO_TEST_CASE(at_the_cap_a_connection_being_answered_is_not_evicted) {
  server_options options;
  options.max_connections = 1;
  options.web.basic_auth_users["alice"] = voxo::http::bcrypt_hash(voxo::secret{"wonder land"}, 12);  // ~0.25 s
  running_server srv(options);
  client<> busy, over;
  auto req = voxo::http::test::get_request("/metrics");
  req.set(bhttp::field::authorization, "Basic YWxpY2U6d29uZGVyIGxhbmQ=");  // alice:wonder land
  BOOST_REQUIRE(!busy.connect(srv.port()));
  BOOST_REQUIRE(!busy.send(req));
  std::this_thread::sleep_for(50ms);  // its bcrypt check is running now

  response res;
  BOOST_REQUIRE(!over.connect(srv.port()));
  auto ec = over.request("/-/healthy", res);
  BOOST_TEST(closed_by_peer(ec), ec.message());
  BOOST_REQUIRE(!busy.read(res));
  BOOST_TEST(res.result_int() == 200);
}

BOOST_AUTO_TEST_CASE(stop_closes_idle_keep_alive_connections) {
  running_server srv;
  client<> c;
  response res;
  BOOST_REQUIRE(!c.connect(srv.port()));
  BOOST_REQUIRE(!c.request("/-/healthy", res));
  srv.stop();
  auto ec = c.wait_closed();
  BOOST_TEST(closed_by_peer(ec), ec.message());
  client<> late;
  BOOST_TEST(late.connect(srv.port()));
}

BOOST_AUTO_TEST_CASE(the_idle_timeout_closes_a_silent_keep_alive_connection) {
  server_options options;
  options.idle_timeout = 200ms;
  running_server srv(options);
  client<> c;
  response res;
  BOOST_REQUIRE(!c.connect(srv.port()));
  BOOST_REQUIRE(!c.request("/-/healthy", res));
  auto ec = c.wait_closed();
  BOOST_TEST(closed_by_peer(ec), ec.message());
}

BOOST_AUTO_TEST_CASE(a_new_connection_that_sends_nothing_gets_the_header_deadline) {
  server_options options;
  options.read_header_timeout = 200ms;
  running_server srv(options);
  client<> c;
  BOOST_REQUIRE(!c.connect(srv.port()));
  auto ec = c.wait_closed();
  BOOST_TEST(closed_by_peer(ec), ec.message());
}

BOOST_AUTO_TEST_CASE(all_interfaces_accepts_ipv4_loopback) {
  running_server srv({}, ":0");
  client<> c;
  response res;
  BOOST_REQUIRE(!c.connect(srv.port(), "127.0.0.1"));
  BOOST_REQUIRE(!c.request("/-/healthy", res));
  BOOST_TEST(res.result_int() == 200);
}

BOOST_AUTO_TEST_CASE(bracketed_ipv6_loopback_is_served) {
  std::unique_ptr<running_server> srv;
  try {
    srv = std::make_unique<running_server>(server_options{}, "[::1]:0");
  } catch (const std::exception& e) {
    BOOST_TEST_MESSAGE("no IPv6 loopback here, skipped: " << e.what());
    return;
  }
  client<> c;
  response res;
  BOOST_REQUIRE(!c.connect(srv->port(), "::1"));
  BOOST_REQUIRE(!c.request("/-/healthy", res));
  BOOST_TEST(res.result_int() == 200);
}

BOOST_AUTO_TEST_CASE(a_port_in_use_fails_at_start_up_with_a_clear_message) {
  running_server first;
  std::string address = "127.0.0.1:" + std::to_string(first.port());
  try {
    running_server second({}, address);
    BOOST_FAIL("second listen succeeded");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()) == "listen tcp " + address + ": address already in use");
  }
}

BOOST_AUTO_TEST_CASE(an_invalid_address_fails_at_start_up) {
  BOOST_CHECK_THROW(running_server({}, "127.0.0.1"), std::runtime_error);
}

BOOST_AUTO_TEST_SUITE_END()

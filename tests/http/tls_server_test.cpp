#include <boost/test/unit_test.hpp>

#include <string>

#include "http/basic_auth.hpp"
#include "support/temp_dir.hpp"
#include "test_client.hpp"
#include "util/self_signed.hpp"

using voxo::http::server_options;
using voxo::http::test::client;
using voxo::http::test::closed_by_peer;
using voxo::http::test::response;
using voxo::http::test::running_server;
using voxo::http::test::tls_client;
namespace net = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

const std::string alice_right = "Basic YWxpY2U6d29uZGVyIGxhbmQ=";  // alice:wonder land
const std::string alice_wrong = "Basic YWxpY2U6d3Jvbmc=";          // alice:wrong
const std::string mallory = "Basic bWFsbG9yeTp3b25kZXIgbGFuZA==";  // mallory:wonder land

struct web_config_fixture {
  voxo::test::temp_dir dir;
  voxo::util::pem_bundle pki = voxo::util::make_self_signed_pki({"127.0.0.1", "localhost"});
  net::ssl::context trusting{net::ssl::context::tls_client};

  web_config_fixture() {
    dir.write("server.crt", pki.cert);
    dir.write("server.key", pki.key);
    dir.write("ca.crt", pki.ca_cert);
    trusting.add_certificate_authority(net::buffer(pki.ca_cert));
    trusting.set_verify_mode(net::ssl::verify_peer);
  }

  server_options options(const std::string& extra_tls = {}, bool with_users = false) {
    std::string yaml = "tls_server_config:\n  cert_file: server.crt\n  key_file: server.key\n" + extra_tls;
    if (with_users)
      yaml += "basic_auth_users:\n  alice: " + voxo::http::bcrypt_hash(voxo::secret{"wonder land"}, 4) + "\n";
    server_options o;
    o.web = voxo::http::load_web_config(dir.write("web.yml", yaml));
    return o;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(tls_server, web_config_fixture)

BOOST_AUTO_TEST_CASE(a_client_trusting_the_ca_gets_metrics_over_tls) {
  running_server srv(options());
  tls_client c(trusting);
  BOOST_REQUIRE(!c.connect(srv.port()));
  BOOST_REQUIRE(!c.handshake());
  response first, second;
  BOOST_REQUIRE(!c.request("/metrics", first));
  BOOST_TEST(first.result_int() == 200);
  BOOST_TEST(first.body() == srv.exposition().current()->text());
  BOOST_REQUIRE(!c.request("/-/healthy", second));
  BOOST_TEST(second.result_int() == 200);
}

BOOST_AUTO_TEST_CASE(a_gzip_exposition_in_parts_arrives_whole_over_tls) {
  running_server srv(options());
  const auto text = voxo::http::test::set_large_exposition(srv, 20000);
  tls_client c(trusting);
  BOOST_REQUIRE(!c.connect(srv.port()));
  BOOST_REQUIRE(!c.handshake());
  response res;
  BOOST_REQUIRE(!c.request_gzip("/metrics", res));
  BOOST_TEST(res[bhttp::field::content_encoding] == "gzip");
  BOOST_TEST((voxo::http::test::gzip_decompress(res.body()) == text));
}

BOOST_AUTO_TEST_CASE(a_client_not_trusting_the_ca_fails_the_handshake) {
  running_server srv(options());
  net::ssl::context strict{net::ssl::context::tls_client};
  strict.set_verify_mode(net::ssl::verify_peer);
  tls_client c(strict);
  BOOST_REQUIRE(!c.connect(srv.port()));
  BOOST_TEST(c.handshake());
}

BOOST_AUTO_TEST_CASE(plain_http_to_a_tls_port_gets_no_http_answer) {
  running_server srv(options());
  client<> c;
  BOOST_REQUIRE(!c.connect(srv.port()));
  response res;
  BOOST_TEST(c.request("/-/healthy", res));
}

BOOST_AUTO_TEST_CASE(a_client_without_a_certificate_is_refused_when_client_certs_are_required) {
  running_server srv(options("  client_ca_file: ca.crt\n"));
  tls_client c(trusting);
  BOOST_REQUIRE(!c.connect(srv.port()));
  response res;
  // With TLS 1.3 the refusal may only surface at the first read.
  auto ec = c.handshake();
  if (!ec) ec = c.request("/-/healthy", res);
  BOOST_TEST(ec);
}

BOOST_AUTO_TEST_CASE(tls13_minimum_still_serves_a_tls13_client) {
  running_server srv(options("  min_version: TLS13\n"));
  tls_client c(trusting);
  BOOST_REQUIRE(!c.connect(srv.port()));
  BOOST_REQUIRE(!c.handshake());
  response res;
  BOOST_REQUIRE(!c.request("/-/healthy", res));
  BOOST_TEST(res.result_int() == 200);
}

BOOST_AUTO_TEST_CASE(basic_auth_guards_every_path) {
  running_server srv(options({}, true));
  tls_client c(trusting);
  BOOST_REQUIRE(!c.connect(srv.port()));
  BOOST_REQUIRE(!c.handshake());
  for (const char* path : {"/metrics", "/", "/-/healthy", "/-/ready"}) {
    response res;
    BOOST_REQUIRE(!c.request(path, res));
    BOOST_TEST(res.result_int() == 401, path);
    BOOST_TEST(std::string(res[bhttp::field::www_authenticate]).rfind("Basic", 0) == 0u);
  }
}

BOOST_AUTO_TEST_CASE(basic_auth_accepts_only_the_right_password_of_a_known_user) {
  running_server srv(options({}, true));
  tls_client c(trusting);
  BOOST_REQUIRE(!c.connect(srv.port()));
  BOOST_REQUIRE(!c.handshake());
  response wrong, unknown, right, again, head;
  BOOST_REQUIRE(!c.request("/metrics", wrong, bhttp::verb::get, alice_wrong));
  BOOST_TEST(wrong.result_int() == 401);
  BOOST_REQUIRE(!c.request("/metrics", unknown, bhttp::verb::get, mallory));
  BOOST_TEST(unknown.result_int() == 401);
  BOOST_REQUIRE(!c.request("/metrics", right, bhttp::verb::get, alice_right));
  BOOST_TEST(right.result_int() == 200);
  BOOST_TEST(right.body() == srv.exposition().current()->text());
  // Served from the verification cache the second time: same answer.
  BOOST_REQUIRE(!c.request("/metrics", again, bhttp::verb::get, alice_right));
  BOOST_TEST(again.result_int() == 200);
  // A 401 to HEAD keeps the connection usable too.
  BOOST_REQUIRE(!c.request("/metrics", head, bhttp::verb::head));
  BOOST_TEST(head.result_int() == 401);
  BOOST_REQUIRE(!c.request("/-/healthy", again, bhttp::verb::get, alice_right));
  BOOST_TEST(again.result_int() == 200);
}

BOOST_AUTO_TEST_CASE(basic_auth_works_without_tls_too) {
  server_options o;
  o.web.basic_auth_users["alice"] = voxo::http::bcrypt_hash(voxo::secret{"wonder land"}, 4);
  running_server srv(o);
  client<> c;
  BOOST_REQUIRE(!c.connect(srv.port()));
  response none, right;
  BOOST_REQUIRE(!c.request("/-/healthy", none));
  BOOST_TEST(none.result_int() == 401);
  BOOST_REQUIRE(!c.request("/-/healthy", right, bhttp::verb::get, alice_right));
  BOOST_TEST(right.result_int() == 200);
}

BOOST_AUTO_TEST_CASE(stop_closes_tls_connections) {
  running_server srv(options());
  tls_client c(trusting);
  BOOST_REQUIRE(!c.connect(srv.port()));
  BOOST_REQUIRE(!c.handshake());
  response res;
  BOOST_REQUIRE(!c.request("/-/healthy", res));
  srv.stop();
  auto ec = c.wait_closed();
  BOOST_TEST(closed_by_peer(ec), ec.message());
}

BOOST_AUTO_TEST_SUITE_END()

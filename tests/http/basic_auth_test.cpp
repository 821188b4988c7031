#include <boost/test/unit_test.hpp>

#include <thread>

#include "http/basic_auth.hpp"

using voxo::secret;
using voxo::http::basic_auth;
using voxo::http::parse_basic_authorization;

namespace {

// Authorization values: "Basic " + base64 of the credentials in each comment.
const std::string alice_right = "Basic YWxpY2U6d29uZGVyIGxhbmQ=";   // alice:wonder land
const std::string alice_wrong = "Basic YWxpY2U6d3Jvbmc=";           // alice:wrong
const std::string mallory = "Basic bWFsbG9yeTp3b25kZXIgbGFuZA==";   // mallory:wonder land

std::map<std::string, std::string> users() {
  return {{"alice", voxo::http::bcrypt_hash(secret{"wonder land"}, 4)}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(basic_auth_suite)

BOOST_AUTO_TEST_CASE(a_basic_header_splits_at_the_first_colon) {
  auto c = parse_basic_authorization("basic dXNlcjpwYTpzcw==");  // user:pa:ss
  BOOST_REQUIRE(c);
  BOOST_TEST(c->user == "user");
  BOOST_TEST(c->password.reveal() == "pa:ss");
}

BOOST_AUTO_TEST_CASE(malformed_headers_are_refused) {
  BOOST_TEST(!parse_basic_authorization(""));
  BOOST_TEST(!parse_basic_authorization("Bearer abc"));
  BOOST_TEST(!parse_basic_authorization("Basic"));
  BOOST_TEST(!parse_basic_authorization("Basic !!!"));
  BOOST_TEST(!parse_basic_authorization("Basic dXNlcg=="));  // "user": no colon
}

BOOST_AUTO_TEST_CASE(bcrypt_accepts_the_password_and_refuses_others) {
  auto hash = voxo::http::bcrypt_hash(secret{"pw"}, 4);
  BOOST_TEST(hash.rfind("$2b$04$", 0) == 0u);
  BOOST_TEST(voxo::http::bcrypt_matches(secret{"pw"}, hash));
  BOOST_TEST(!voxo::http::bcrypt_matches(secret{"pW"}, hash));
  BOOST_TEST(!voxo::http::bcrypt_matches(secret{""}, hash));
}

BOOST_AUTO_TEST_CASE(y_and_a_prefixes_verify_like_b) {
  auto hash = voxo::http::bcrypt_hash(secret{"pw"}, 4);
  BOOST_TEST(voxo::http::bcrypt_matches(secret{"pw"}, "$2y$" + hash.substr(4)));
}

BOOST_AUTO_TEST_CASE(right_credentials_pass_wrong_or_unknown_fail) {
  basic_auth auth(users());
  BOOST_TEST(auth.enabled());
  BOOST_TEST(auth.verify(alice_right));
  BOOST_TEST(!auth.verify(alice_wrong));
  BOOST_TEST(!auth.verify(mallory));
  BOOST_TEST(!auth.verify(""));
}

BOOST_AUTO_TEST_CASE(success_is_remembered_failure_is_not) {
  basic_auth auth(users());
  BOOST_TEST(!auth.verified_recently(alice_right));
  BOOST_TEST(!auth.verify(alice_wrong));
  BOOST_TEST(!auth.verified_recently(alice_wrong));
  BOOST_TEST(auth.verify(alice_right));
  BOOST_TEST(auth.verified_recently(alice_right));
}

BOOST_AUTO_TEST_CASE(remembered_success_expires) {
  basic_auth auth(users(), std::chrono::milliseconds{1});
  BOOST_TEST(auth.verify(alice_right));
  std::this_thread::sleep_for(std::chrono::milliseconds{5});
  BOOST_TEST(!auth.verified_recently(alice_right));
}

BOOST_AUTO_TEST_CASE(no_users_means_no_authentication) {
  basic_auth auth({});
  BOOST_TEST(!auth.enabled());
  BOOST_TEST(auth.verify(""));
}

BOOST_AUTO_TEST_SUITE_END()

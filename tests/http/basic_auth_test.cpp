#include <boost/test/unit_test.hpp>

#include <thread>

#include "http/basic_auth.hpp"

using voxo::secret;
using voxo::http::basic_auth;
using voxo::http::parse_basic_authorization;

namespace {

// Authorization values: "Basic " + base64 of the credentials in each comment.
const std::string alice_right = "Basic YWxpY2U6d29uZGVyIGxhbmQ=";  // alice:wonder land
const std::string alice_wrong = "Basic YWxpY2U6d3Jvbmc=";          // alice:wrong
const std::string mallory = "Basic bWFsbG9yeTp3b25kZXIgbGFuZA==";  // mallory:wonder land

std::map<std::string, std::string> users() { return {{"alice", voxo::http::bcrypt_hash(secret{"wonder land"}, 4)}}; }

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

BOOST_AUTO_TEST_CASE(a_password_with_a_nul_byte_is_refused) {
  // bcrypt's C API stops at NUL: "wonder land\0junk" used to match "wonder land".
  const std::string with_nul = "Basic YWxpY2U6d29uZGVyIGxhbmQAanVuaw==";  // alice:wonder land\0junk
  BOOST_TEST(!parse_basic_authorization(with_nul));
  basic_auth auth(users());
  BOOST_TEST(!auth.verify(with_nul));
  BOOST_TEST(!voxo::http::bcrypt_matches(secret{std::string("wonder land\0junk", 16)}, users().at("alice")));
}

BOOST_AUTO_TEST_CASE(a_user_with_a_nul_byte_is_refused) {
  BOOST_TEST(!parse_basic_authorization("Basic YWxpY2UAeDp3b25kZXIgbGFuZA=="));  // alice\0x:wonder land
}

BOOST_AUTO_TEST_CASE(a_remembered_success_runs_no_bcrypt) {
  basic_auth auth(users());
  BOOST_TEST(auth.verify(alice_right));
  BOOST_TEST(auth.verify(alice_right));
  BOOST_TEST(auth.verify(alice_right));
  BOOST_TEST(auth.bcrypt_runs() == 1u);
}

BOOST_AUTO_TEST_CASE(an_unknown_user_costs_one_bcrypt_like_a_known_one) {
  basic_auth auth(users());
  BOOST_TEST(!auth.verify(alice_wrong));
  BOOST_TEST(auth.bcrypt_runs() == 1u);
  BOOST_TEST(!auth.verify(mallory));
  BOOST_TEST(auth.bcrypt_runs() == 2u);
}

namespace {
basic_auth::clock::time_point fake_now;
basic_auth::clock::time_point read_fake_now() { return fake_now; }
}  // namespace

BOOST_AUTO_TEST_CASE(a_remembered_success_lives_a_ttl_after_its_last_use) {
  using namespace std::chrono_literals;
  fake_now = basic_auth::clock::time_point{};
  basic_auth auth(users(), 60s, 1024, read_fake_now);
  BOOST_TEST(auth.verify(alice_right));
  fake_now += 50s;
  BOOST_TEST(auth.verified_recently(alice_right));
  fake_now += 50s;  // 100 s after the check, 50 s after the last use
  BOOST_TEST(auth.verified_recently(alice_right));
  fake_now += 61s;
  BOOST_TEST(!auth.verified_recently(alice_right));
  BOOST_TEST(auth.bcrypt_runs() == 1u);
}

BOOST_AUTO_TEST_CASE(a_full_cache_drops_the_least_recently_used_success) {
  using namespace std::chrono_literals;
  fake_now = basic_auth::clock::time_point{};
  auto hash = voxo::http::bcrypt_hash(secret{"pw"}, 4);
  basic_auth auth({{"a", hash}, {"b", hash}, {"c", hash}}, 60s, 2, read_fake_now);
  const std::string a = "Basic YTpwdw==", b = "Basic Yjpwdw==", c = "Basic Yzpwdw==";  // a:pw, b:pw, c:pw
  BOOST_TEST(auth.verify(a));
  fake_now += 1s;
  BOOST_TEST(auth.verify(b));
  fake_now += 1s;
  BOOST_TEST(auth.verified_recently(a));  // a is now the more recently used
  BOOST_TEST(auth.verify(c));
  BOOST_TEST(auth.verified_recently(a));
  BOOST_TEST(!auth.verified_recently(b));
}

BOOST_AUTO_TEST_CASE(no_users_means_no_authentication) {
  basic_auth auth({});
  BOOST_TEST(!auth.enabled());
  BOOST_TEST(auth.verify(""));
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>

#include "api/token_provider.hpp"
#include "support/run_awaitable.hpp"
#include "support/temp_dir.hpp"
#include "util/base64.hpp"

namespace net = boost::asio;
using namespace std::chrono_literals;
using voxo::secret;
using voxo::api::api_result;
using voxo::api::credential_options;
using voxo::api::token_provider;

namespace {

std::string base64url(const std::string& in) {
  return voxo::util::base64_encode_unpadded(in, voxo::util::base64_alphabet::url);
}

std::string jwt_expiring_at(std::chrono::system_clock::time_point t, const std::string& tag = "x") {
  auto exp = std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  return base64url(R"({"alg":"HS256","typ":"access"})") + "." +
         base64url(R"({"sub":")" + tag + R"(","exp":)" + std::to_string(exp) + "}") + ".c2lnbmF0dXJl";
}

// Env credentials would change which source wins: each test sets what it needs.
struct clean_env {
  clean_env() {
    ::unsetenv("VOXO_TOKEN");
    ::unsetenv("VOXO_PASSWORD");
  }
  ~clean_env() {
    ::unsetenv("VOXO_TOKEN");
    ::unsetenv("VOXO_PASSWORD");
  }
};

// A login that answers "token-N" (or what `next` says) after a short pause, counting calls.
struct fake_login {
  explicit fake_login(net::io_context& context) : ioc(context) {}
  net::io_context& ioc;
  int calls = 0;
  std::string last_email;
  std::string last_password;
  std::function<std::string()> next = [this] { return "token-" + std::to_string(calls); };

  voxo::api::login_function function() {
    return [this](const std::string& email, const secret& password) -> net::awaitable<api_result<secret>> {
      ++calls;
      last_email = email;
      last_password = password.reveal();
      net::steady_timer pause(ioc, 10ms);
      co_await pause.async_wait(net::as_tuple(net::use_awaitable));
      co_return secret(next());
    };
  }
};

struct fixture : clean_env {
  net::io_context ioc;
  voxo::test::temp_dir dir;
  fake_login login{ioc};

  std::string get(token_provider& p) {
    auto r = voxo::test::run_awaitable(ioc, p.token());
    BOOST_REQUIRE(r.has_value());
    return r->reveal();
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(token_provider_suite)

BOOST_AUTO_TEST_CASE(jwt_expiry_reads_the_exp_claim) {
  auto when = std::chrono::sys_seconds{1'700'000'000s};
  BOOST_TEST(voxo::api::jwt_expiry(jwt_expiring_at(when)).value().time_since_epoch().count() == 1'700'000'000);
}

BOOST_AUTO_TEST_CASE(jwt_expiry_is_empty_for_tokens_that_are_not_jwts) {
  BOOST_TEST(!voxo::api::jwt_expiry("opaque-portal-token").has_value());
  BOOST_TEST(!voxo::api::jwt_expiry("a.b.c").has_value());
  BOOST_TEST(!voxo::api::jwt_expiry(base64url("{}") + "." + base64url(R"({"sub":"x"})") + ".sig").has_value());
  BOOST_TEST(!voxo::api::jwt_expiry(base64url("{}") + "." + base64url(R"({"exp":"soon"})") + ".sig").has_value());
  BOOST_TEST(!voxo::api::jwt_expiry("x." + base64url(R"({"exp":1})") + ".y.z").has_value());
}

BOOST_FIXTURE_TEST_CASE(no_credentials_at_all_is_refused_at_construction, fixture) {
  BOOST_CHECK_THROW(token_provider(ioc.get_executor(), credential_options{}, login.function()), std::runtime_error);
}

BOOST_FIXTURE_TEST_CASE(an_email_without_any_password_is_refused_at_construction, fixture) {
  BOOST_CHECK_THROW(token_provider(ioc.get_executor(), credential_options{{}, "ops@example.com", {}}, login.function()),
                    std::runtime_error);
}

BOOST_FIXTURE_TEST_CASE(an_unreadable_token_file_is_refused_at_construction, fixture) {
  credential_options o{(dir.path() / "missing").string(), {}, {}};
  BOOST_CHECK_THROW(token_provider(ioc.get_executor(), o, login.function()), std::runtime_error);
}

BOOST_FIXTURE_TEST_CASE(a_token_file_that_is_a_directory_is_refused_at_construction_naming_the_key, fixture) {
  credential_options o{dir.path().string(), {}, {}};
  try {
    token_provider p(ioc.get_executor(), o, login.function());
    BOOST_FAIL("constructed");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()) ==
               "api.token_file: secret file " + dir.path().string() + " is a directory, not a file");
  }
}

BOOST_FIXTURE_TEST_CASE(the_token_file_wins_and_is_re_read_when_the_token_is_refused, fixture) {
  ::setenv("VOXO_TOKEN", "from-env", 1);
  auto path = dir.write("token", "first\n");
  token_provider p(ioc.get_executor(), credential_options{path.string(), "ops@example.com", {}}, login.function());
  BOOST_TEST(get(p) == "first");
  dir.write("token", "second\n");
  BOOST_TEST(get(p) == "first");  // not re-read while it is not refused
  auto renewed = voxo::test::run_awaitable(ioc, p.renew(secret("first")));
  BOOST_REQUIRE(renewed.has_value());
  BOOST_TEST(renewed->reveal() == "second");
  BOOST_TEST(login.calls == 0);
}

BOOST_FIXTURE_TEST_CASE(a_token_given_in_memory_wins_and_is_the_answer_to_a_refusal_too, fixture) {
  ::setenv("VOXO_TOKEN", "from-env", 1);
  auto path = dir.write("token", "from-file\n");
  credential_options o{path.string(), "ops@example.com", {}, secret("given")};
  token_provider p(ioc.get_executor(), o, login.function());
  BOOST_TEST(get(p) == "given");
  auto renewed = voxo::test::run_awaitable(ioc, p.renew(secret("given")));
  BOOST_REQUIRE(renewed.has_value());
  BOOST_TEST(renewed->reveal() == "given");
  BOOST_TEST(login.calls == 0);
}

BOOST_FIXTURE_TEST_CASE(voxo_token_is_used_when_there_is_no_token_file, fixture) {
  ::setenv("VOXO_TOKEN", "from-env", 1);
  ::setenv("VOXO_PASSWORD", "pw", 1);
  token_provider p(ioc.get_executor(), credential_options{{}, "ops@example.com", {}}, login.function());
  BOOST_TEST(get(p) == "from-env");
  BOOST_TEST(login.calls == 0);
}

BOOST_FIXTURE_TEST_CASE(password_login_runs_once_and_its_token_is_reused, fixture) {
  auto pw = dir.write("password", "hunter2\n");
  token_provider p(ioc.get_executor(), credential_options{{}, "ops@example.com", pw.string()}, login.function());
  BOOST_TEST(get(p) == "token-1");
  BOOST_TEST(get(p) == "token-1");
  BOOST_TEST(login.calls == 1);
  BOOST_TEST(login.last_email == "ops@example.com");
  BOOST_TEST(login.last_password == "hunter2");
}

BOOST_FIXTURE_TEST_CASE(the_password_can_come_from_voxo_password, fixture) {
  ::setenv("VOXO_PASSWORD", "from-env-pw", 1);
  token_provider p(ioc.get_executor(), credential_options{{}, "ops@example.com", {}}, login.function());
  BOOST_TEST(get(p) == "token-1");
  BOOST_TEST(login.last_password == "from-env-pw");
}

BOOST_FIXTURE_TEST_CASE(a_jwt_with_less_than_five_minutes_left_triggers_a_new_login, fixture) {
  ::setenv("VOXO_PASSWORD", "pw", 1);
  auto now = std::chrono::system_clock::now();
  login.next = [&] { return login.calls == 1 ? jwt_expiring_at(now + 4min, "old") : jwt_expiring_at(now + 1h, "new"); };
  token_provider p(ioc.get_executor(), credential_options{{}, "ops@example.com", {}}, login.function());
  auto first = get(p);
  auto second = get(p);
  BOOST_TEST(login.calls == 2);
  BOOST_TEST(first != second);
  BOOST_TEST(get(p) == second);
  BOOST_TEST(login.calls == 2);
}

BOOST_FIXTURE_TEST_CASE(a_jwt_in_the_token_file_near_expiry_makes_the_file_be_read_again, fixture) {
  auto now = std::chrono::system_clock::now();
  auto fresh = jwt_expiring_at(now + 1h, "fresh");
  auto path = dir.write("token", jwt_expiring_at(now + 1min, "stale"));
  token_provider p(ioc.get_executor(), credential_options{path.string(), {}, {}}, login.function());
  dir.write("token", fresh + "\n");
  BOOST_TEST(get(p) == fresh);
}

BOOST_FIXTURE_TEST_CASE(concurrent_requests_for_a_token_share_one_login, fixture) {
  ::setenv("VOXO_PASSWORD", "pw", 1);
  token_provider p(ioc.get_executor(), credential_options{{}, "ops@example.com", {}}, login.function());
  std::vector<std::string> got;
  for (int i = 0; i < 5; ++i)
    net::co_spawn(ioc, p.token(), [&](std::exception_ptr, api_result<secret> r) {
      got.push_back(r ? r->reveal() : std::string("error"));
    });
  ioc.run();
  BOOST_TEST(login.calls == 1);
  BOOST_TEST(got == std::vector<std::string>(5, "token-1"), boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(renewing_a_token_someone_already_replaced_does_not_log_in_again, fixture) {
  ::setenv("VOXO_PASSWORD", "pw", 1);
  token_provider p(ioc.get_executor(), credential_options{{}, "ops@example.com", {}}, login.function());
  BOOST_TEST(get(p) == "token-1");
  auto a = voxo::test::run_awaitable(ioc, p.renew(secret("token-1")));
  BOOST_TEST(a->reveal() == "token-2");
  auto b = voxo::test::run_awaitable(ioc, p.renew(secret("token-1")));  // a late 401 for the old token
  BOOST_TEST(b->reveal() == "token-2");
  BOOST_TEST(login.calls == 2);
}

BOOST_AUTO_TEST_SUITE_END()

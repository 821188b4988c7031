// The real HTTP client against the real simulator (over loopback HTTP and HTTPS): login,
// re-login on 401, rate limiting, a reply cut short, and TLS trust.

#include <boost/test/unit_test.hpp>

#include <boost/asio/io_context.hpp>

#include <set>

#include "api/http_api_client.hpp"
#include "sim/simulator.hpp"
#include "support/run_awaitable.hpp"
#include "support/temp_dir.hpp"
#include "util/self_signed.hpp"

using namespace std::chrono_literals;
using namespace voxo;

namespace {

struct collecting_sink : api::record_sink {
  std::vector<api::cdr> records;
  std::uint64_t invalid = 0;
  void on_record(const api::cdr& r) override { records.push_back(r); }
  void on_invalid(std::string_view) override { ++invalid; }
};

std::chrono::sys_seconds now_s() { return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()); }

// A small finite data set in the past, all of it visible at once.
sim::simulator_options sim_options(const std::string& faults = "", bool tls = false) {
  sim::simulator_options o;
  o.tls = tls;
  o.email = "ops@example.com";
  o.password = "s3cret-pa55word";
  o.data.seed = 99;
  o.data.tenants = {{37, "acme", "B37", 120}};
  o.data.from = now_s() - 2h;
  o.data.to = now_s() - 1h;
  if (!faults.empty()) o.faults = *sim::parse_fault_schedule(faults);
  return o;
}

struct fixture {
  explicit fixture(sim::simulator_options o) : sim(std::move(o)) {
    sim.start();
    options.url = sim.base_url();
    options.email = "ops@example.com";
    options.password_file = dir.write("password", "s3cret-pa55word\n").string();
    options.timeout = 10s;
    if (!sim.ca_cert_pem().empty()) options.ca_file = dir.write("ca.pem", sim.ca_cert_pem()).string();
  }

  api::api_result<api::fetch_summary> fetch(collecting_sink& sink) {
    if (!client) client = api::make_http_api_client(ioc.get_executor(), options);
    api::call_reports_query q{api::tenant_scope{37}, {sim.data().options().from, *sim.data().options().to}};
    return test::run_awaitable(ioc, client->fetch_call_reports(q, sink));
  }

  test::temp_dir dir;
  sim::simulator sim;
  api::client_options options;
  boost::asio::io_context ioc;
  std::unique_ptr<api::api_client> client;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(client_against_simulator)

BOOST_AUTO_TEST_CASE(password_login_then_every_record_of_the_window_arrives_once_parsed) {
  fixture f(sim_options());
  collecting_sink sink;
  auto r = f.fetch(sink);
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r.has_error() ? r.error().describe() : std::string()));
  auto truth = f.sim.data().truth(37, {f.sim.data().options().from, *f.sim.data().options().to});
  BOOST_TEST(!truth.empty());
  std::set<std::string> ids;
  for (const auto& c : sink.records) ids.insert(c.id);
  BOOST_TEST(ids.size() == truth.size());
  for (const auto& c : truth) BOOST_TEST(ids.count(c.id) == 1u);
  BOOST_TEST(f.sim.request_count("/authentication") == 1u);
}

BOOST_AUTO_TEST_CASE(an_expired_token_triggers_one_new_login_and_the_call_succeeds) {
  fixture f(sim_options());
  collecting_sink first, second;
  BOOST_REQUIRE(f.fetch(first).has_value());
  f.sim.expire_tokens();
  auto r = f.fetch(second);
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r.has_error() ? r.error().describe() : std::string()));
  BOOST_TEST(second.records.size() == first.records.size());
  BOOST_TEST(f.sim.request_count("/authentication") == 2u);
}

BOOST_AUTO_TEST_CASE(a_401_fault_is_answered_by_a_new_login_and_one_retry) {
  fixture f(sim_options("1:401"));
  collecting_sink sink;
  auto r = f.fetch(sink);
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r.has_error() ? r.error().describe() : std::string()));
  BOOST_TEST(f.sim.request_count("/call-reports") == 2u);
  BOOST_TEST(f.sim.request_count("/authentication") == 2u);
}

BOOST_AUTO_TEST_CASE(a_429_comes_back_as_an_error_with_its_retry_after) {
  fixture f(sim_options("1:429/3"));
  collecting_sink sink;
  auto r = f.fetch(sink);
  BOOST_REQUIRE(r.has_error());
  BOOST_TEST(r.error().http_status == 429);
  BOOST_REQUIRE(r.error().retry_after.has_value());
  BOOST_TEST(r.error().retry_after->count() == 3);
  BOOST_TEST(r.error().code_label() == "429");
}

BOOST_AUTO_TEST_CASE(a_truncated_body_is_an_error_for_the_whole_request) {
  fixture f(sim_options("1:truncate"));
  collecting_sink sink;
  auto r = f.fetch(sink);
  BOOST_REQUIRE(r.has_error());
  BOOST_TEST((r.error().code == api::api_errc::bad_payload || r.error().code == api::api_errc::transport));
}

BOOST_AUTO_TEST_CASE(tls_with_the_simulators_ca_works) {
  fixture f(sim_options("", true));
  BOOST_TEST(f.options.url.rfind("https://", 0) == 0u);
  collecting_sink sink;
  auto r = f.fetch(sink);
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r.has_error() ? r.error().describe() : std::string()));
  BOOST_TEST(!sink.records.empty());
}

BOOST_AUTO_TEST_CASE(tls_with_an_unknown_ca_is_refused_not_warned_about) {
  fixture f(sim_options("", true));
  // Trust another authority than the simulator's.
  f.options.ca_file = f.dir.write("other-ca.pem", util::make_self_signed_pki({"127.0.0.1"}).ca_cert).string();
  collecting_sink sink;
  auto r = f.fetch(sink);
  BOOST_REQUIRE(r.has_error());
  BOOST_TEST((r.error().code == api::api_errc::transport));
  BOOST_TEST(sink.records.empty());
  BOOST_TEST(f.sim.request_count("/call-reports") == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

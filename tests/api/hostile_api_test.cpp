// Issue #13: the real HTTP client against an API that misbehaves on the wire. A broken reply
// is an error for that request only; the next request gets its own reply, complete and exact.

#include <boost/asio/io_context.hpp>
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <ostream>
#include <thread>
#include <vector>

#include "api/http_api_client.hpp"
#include "support/hostile_api_server.hpp"
#include "support/run_awaitable.hpp"
#include "support/temp_dir.hpp"
#include "util/self_signed.hpp"

namespace net = boost::asio;
using namespace std::chrono_literals;
using namespace voxo::api;
using voxo::test::hostile_api_options;
using voxo::test::hostile_api_server;
using voxo::test::hostile_mode;

namespace {

constexpr long long first_id = 101;
constexpr long long second_id = 102;
const auto now_s = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
const time_window last_hour{now_s - 70min, now_s - 10min};

hostile_api_options api_options(std::optional<voxo::util::pem_bundle> tls = std::nullopt) {
  hostile_api_options o;
  o.data.seed = 13;
  o.data.tenants = {{first_id, "first", "B101", 60}, {second_id, "second", "B102", 60}};
  o.data.from = last_hour.start;
  o.data.to = last_hour.end;
  o.tls = std::move(tls);
  return o;
}

struct counting_sink : record_sink {
  std::uint64_t records = 0;
  void on_record(const cdr&) override { ++records; }
  void on_invalid(std::string_view) override {}
};

struct fixture {
  net::io_context ioc;
  voxo::test::temp_dir dir;
  client_options options;

  fixture() {
    ::unsetenv("VOXO_TOKEN");
    ::unsetenv("VOXO_PASSWORD");
    options.email = "ops@example.com";
    options.password_file = dir.write("password", "s3cret-pa55word\n").string();
    options.timeout = 5s;
  }
  std::unique_ptr<api_client> client_for(const hostile_api_server& server) {
    options.url = server.base_url();
    return make_http_api_client(ioc.get_executor(), options);
  }
  // One fetch of the tenant's last hour: the records it delivered, or the error.
  api_result<std::uint64_t> fetch(api_client& client, long long tenant) {
    counting_sink sink;
    call_reports_query q{tenant_scope{tenant}, last_hour};
    auto r = voxo::test::run_awaitable(ioc, client.fetch_call_reports(q, sink));
    if (!r) return r.error();
    return sink.records;
  }
  static std::uint64_t truth(const hostile_api_server& server, long long tenant) {
    return server.data().truth(tenant, last_hour).size();
  }
  std::string trust(const voxo::util::pem_bundle& pki) { return dir.write("ca.pem", pki.ca_cert).string(); }
};

// Each tenant's fetch must see its own calls, whatever the one before left on the connection.
void check_each_tenant_gets_its_own_reply(fixture& f, hostile_api_server& server) {
  auto client = f.client_for(server);
  server.misbehave(hostile_mode::extra_response, 1);
  auto first = f.fetch(*client, first_id);
  BOOST_REQUIRE_MESSAGE(first.has_value(), (first ? "" : first.error().describe()));
  BOOST_TEST(*first == fixture::truth(server, first_id));
  BOOST_TEST(server.misbehaved() == 1u);
  auto second = f.fetch(*client, second_id);
  BOOST_REQUIRE_MESSAGE(second.has_value(), (second ? "" : second.error().describe()));
  BOOST_TEST(*second == fixture::truth(server, second_id));
  BOOST_TEST(*second != fixture::truth(server, first_id));  // the data set tells them apart
  BOOST_TEST(server.requests("/call-reports") == 2u);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile_api)

BOOST_FIXTURE_TEST_CASE(a_second_response_after_the_body_is_never_read_as_the_next_reply, fixture) {
  hostile_api_server server(api_options());
  check_each_tenant_gets_its_own_reply(*this, server);
}

BOOST_FIXTURE_TEST_CASE(a_second_response_after_the_body_is_never_read_as_the_next_reply_over_tls, fixture) {
  auto pki = voxo::util::make_self_signed_pki({"127.0.0.1"});
  options.ca_file = trust(pki);
  hostile_api_server server(api_options(pki));
  check_each_tenant_gets_its_own_reply(*this, server);
}

BOOST_FIXTURE_TEST_CASE(a_second_response_arriving_while_the_connection_is_idle_drops_it, fixture) {
  auto o = api_options();
  o.extra_response_delay = 50ms;
  hostile_api_server server(o);
  auto client = client_for(server);
  server.misbehave(hostile_mode::extra_response, 1);
  auto first = fetch(*client, first_id);
  BOOST_REQUIRE_MESSAGE(first.has_value(), (first ? "" : first.error().describe()));
  std::this_thread::sleep_for(300ms);  // the stray response reaches the idle connection
  auto second = fetch(*client, second_id);
  BOOST_REQUIRE_MESSAGE(second.has_value(), (second ? "" : second.error().describe()));
  BOOST_TEST(*second == truth(server, second_id));
  BOOST_TEST(server.connections_accepted() == 2u);
}

BOOST_FIXTURE_TEST_CASE(keep_alive_reuse_still_works_over_http_and_https, fixture) {
  auto pki = voxo::util::make_self_signed_pki({"127.0.0.1"});
  options.ca_file = trust(pki);
  for (bool tls : {false, true}) {
    hostile_api_server server(tls ? api_options(pki) : api_options());
    auto client = client_for(server);
    for (int i = 0; i < 4; ++i) {
      auto r = fetch(*client, i % 2 ? second_id : first_id);
      BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
      BOOST_TEST(*r == truth(server, i % 2 ? second_id : first_id));
    }
    // The login and four fetches on one connection (TLS 1.3 session tickets included).
    BOOST_TEST(server.connections_accepted() == 1u, (tls ? "https" : "http"));
  }
}

// One broken reply: that request fails with an error of its kind, and the next request gets
// its own reply, complete and exact.
namespace {

struct broken_reply {
  const char* name;
  hostile_mode mode;
  std::vector<api_errc> errors;  // any of these
  long long next_tenant = first_id;
  std::chrono::milliseconds timeout = 5s;  // api.timeout (per read)
  std::optional<std::chrono::milliseconds> trickle_gap{};
};
std::ostream& operator<<(std::ostream& os, const broken_reply& r) { return os << r.name; }

std::vector<broken_reply> broken_replies() {
  return {
      {.name = "a_body_longer_than_its_content_length_fails_that_reply_only",
       .mode = hostile_mode::short_content_length,
       .errors = {api_errc::bad_payload},
       .next_tenant = second_id},
      {.name = "a_content_length_longer_than_the_body_is_a_reply_cut_short",
       .mode = hostile_mode::long_content_length,
       .errors = {api_errc::bad_payload}},
      {.name = "a_reset_mid_body_fails_that_reply_only",
       .mode = hostile_mode::reset_mid_body,
       .errors = {api_errc::bad_payload, api_errc::transport}},
      // Each byte comes later than the per-read timeout.
      {.name = "a_reply_trickling_slower_than_the_timeout_is_a_timeout",
       .mode = hostile_mode::trickle,
       .errors = {api_errc::timeout},
       .timeout = 250ms,
       .trickle_gap = 1s},
  };
}

}  // namespace

BOOST_DATA_TEST_CASE_F(fixture, a_broken_reply_fails_that_request_only, boost::unit_test::data::make(broken_replies()),
                       row) {
  auto o = api_options();
  if (row.trickle_gap) o.trickle_gap = *row.trickle_gap;
  hostile_api_server server(o);
  options.timeout = row.timeout;
  auto client = client_for(server);
  server.misbehave(row.mode, 1);
  auto broken = fetch(*client, first_id);
  BOOST_REQUIRE(!broken.has_value());
  BOOST_TEST((std::find(row.errors.begin(), row.errors.end(), broken.error().code) != row.errors.end()),
             broken.error().describe());
  auto next = fetch(*client, row.next_tenant);
  BOOST_REQUIRE_MESSAGE(next.has_value(), (next ? "" : next.error().describe()));
  BOOST_TEST(*next == truth(server, row.next_tenant));
}

BOOST_AUTO_TEST_SUITE_END()

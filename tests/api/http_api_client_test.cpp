#include <boost/asio/io_context.hpp>
#include <boost/test/data/monomorphic.hpp>
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <date/date.h>

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <ostream>
#include <vector>

#include "api/http_api_client.hpp"
#include "support/capture_stderr.hpp"
#include "support/fake_api_server.hpp"
#include "support/run_awaitable.hpp"
#include "support/temp_dir.hpp"
#include "util/self_signed.hpp"

namespace net = boost::asio;
using namespace std::chrono_literals;
using namespace voxo::api;
using voxo::test::fake_api_server;
using voxo::test::scripted_response;

namespace {

const std::string token_text = "t0k3n-SECRET-value";
const std::string password_text = "pa55-SECRET-word";

std::string records(int n) {
  std::string body = "[";
  for (int i = 0; i < n; ++i) {
    if (i) body += ",";
    body +=
        R"({"id":"id-)" + std::to_string(i) +
        R"(","time":"10/10/22 23:07:20","direction":"IN","disposition":"ANSWERED","duration":4,"mos":4.4,"city":null})";
  }
  return body + "]";
}

struct counting_sink : record_sink {
  int records = 0;
  int invalid = 0;
  void on_record(const cdr&) override { ++records; }
  void on_invalid(std::string_view) override { ++invalid; }
};

// 2022-10-10 00:00 to 01:00 in America/Chicago (CDT, UTC-5), tenant 37.
call_reports_query one_hour() {
  auto start = std::chrono::sys_seconds{date::sys_days{date::year{2022} / 10 / 10}} + 5h;
  return {tenant_scope{37}, {start, start + 1h}};
}

struct fixture {
  net::io_context ioc;
  voxo::test::temp_dir dir;
  client_options options;
  counting_sink sink;

  fixture() {
    ::unsetenv("VOXO_TOKEN");
    ::unsetenv("VOXO_PASSWORD");
    options.token_file = dir.write("token", token_text + "\n").string();
    options.timeout = 5s;
  }

  std::unique_ptr<api_client> client_for(const fake_api_server& server) {
    options.url = server.base_url();
    return make_http_api_client(ioc.get_executor(), options);
  }
  void use_password_login() {
    options.token_file.reset();
    options.email = "ops@example.com";
    options.password_file = dir.write("password", password_text + "\n").string();
  }
  api_result<fetch_summary> fetch(api_client& client, call_reports_query q = one_hour()) {
    return voxo::test::run_awaitable(ioc, client.fetch_call_reports(q, sink));
  }
  std::string write_ca(const std::string& pem) { return dir.write("ca.pem", pem).string(); }
};

std::string login_reply(const std::string& token) { return R"({"accessToken":")" + token + R"(","user":{"id":1}})"; }

std::string http_date(std::chrono::system_clock::time_point t) {
  return date::format("%a, %d %b %Y %H:%M:%S GMT", std::chrono::floor<std::chrono::seconds>(t));
}

// ---- tables of the data-driven cases below (each row prints as its name) ------------------

struct failing_reply {
  const char* name = "";
  scripted_response response{};
  api_errc code{};
  std::optional<unsigned> http_status{};   // checked when set
  std::optional<long long> retry_after{};  // seconds; nullopt: none expected
  const char* code_label = nullptr;        // checked when set
  bool nothing_reaches_the_sink = false;
  std::chrono::milliseconds timeout = 5s;  // client_options for this row
  std::uint64_t max_response_bytes = 256ull << 20;
};
std::ostream& operator<<(std::ostream& os, const failing_reply& r) { return os << r.name; }

scripted_response cut_in_half(std::size_t chunk_size) {
  const std::string body = records(20);
  scripted_response r{200, body};
  r.chunk_size = chunk_size;
  r.truncate_after = body.size() / 2;
  return r;
}

scripted_response with(scripted_response r, void (*change)(scripted_response&)) {
  change(r);
  return r;
}

std::vector<failing_reply> failing_replies() {
  const auto slow = with({200, "[]"}, [](scripted_response& r) { r.delay = 5s; });
  const auto chunked_big = with({200, records(20)}, [](scripted_response& r) { r.chunk_size = 64; });
  const auto silent = with({}, [](scripted_response& r) { r.close_without_answer = true; });
  return {
      {.name = "a_429_carries_its_retry_after_in_seconds",
       .response = {429, "{}", {{"Retry-After", "7"}}},
       .code = api_errc::http_status,
       .http_status = 429,
       .retry_after = 7},
      {.name = "a_500_is_an_http_status_error_without_retry_after",
       .response = {500, R"({"name":"GeneralError","code":500})"},
       .code = api_errc::http_status,
       .http_status = 500,
       .code_label = "500"},
      {.name = "a_body_cut_short_is_a_bad_payload", .response = cut_in_half(0), .code = api_errc::bad_payload},
      {.name = "a_chunked_body_cut_short_is_a_bad_payload",
       .response = cut_in_half(100),
       .code = api_errc::bad_payload},
      {.name = "an_html_page_with_status_200_is_a_bad_payload",
       .response = {200, "<html><body>Maintenance</body></html>", {{"Content-Type", "text/html"}}},
       .code = api_errc::bad_payload,
       .nothing_reaches_the_sink = true},
      {.name = "a_reply_slower_than_the_timeout_is_a_timeout",
       .response = slow,
       .code = api_errc::timeout,
       .timeout = 200ms},
      {.name = "a_body_over_max_response_bytes_is_too_large",
       .response = {200, records(20)},
       .code = api_errc::too_large,
       .max_response_bytes = 500},
      {.name = "a_chunked_body_over_max_response_bytes_is_too_large",
       .response = chunked_big,
       .code = api_errc::too_large,
       .max_response_bytes = 500},
      {.name = "a_fresh_connection_closed_without_an_answer_is_a_transport_error",
       .response = silent,
       .code = api_errc::transport},
  };
}

struct second_request {
  const char* name;
  scripted_response first;
  scripted_response second;
  std::optional<unsigned> first_error_status;  // nullopt: the first request succeeds
  std::uint64_t second_records;
  std::size_t connections;
};
std::ostream& operator<<(std::ostream& os, const second_request& r) { return os << r.name; }

std::vector<second_request> second_requests() {
  const auto closing = with({200, "[]"}, [](scripted_response& r) { r.close_after = true; });
  const auto hang_up = with({200, "[]"}, [](scripted_response& r) { r.hang_up_after = true; });
  return {
      {"two_requests_in_a_row_share_one_keep_alive_connection",
       {200, records(1)},
       {200, records(1)},
       std::nullopt,
       1,
       1},
      {"a_reply_with_connection_close_is_not_reused", closing, {200, "[]"}, std::nullopt, 0, 2},
      {"an_idle_connection_the_server_closed_is_replaced_transparently",
       hang_up,
       {200, records(2)},
       std::nullopt,
       2,
       2},
      {"a_large_error_page_is_not_read_whole_and_its_connection_is_dropped",
       {502, std::string(1 << 20, 'x'), {{"Content-Type", "text/html"}}},
       {200, records(1)},
       502,
       1,
       2},
  };
}

struct tls_refusal {
  const char* name;
  std::vector<std::string> certificate_names;  // the server's certificate
  bool trust_the_server;                       // api.ca_file is its CA (else another one)
  std::string host;                            // in api.url
  bool says_verification_failed;
};
std::ostream& operator<<(std::ostream& os, const tls_refusal& r) { return os << r.name; }

std::vector<tls_refusal> tls_refusals() {
  return {
      {"tls_with_an_unknown_ca_is_refused_as_a_verification_failure", {"127.0.0.1"}, false, "127.0.0.1", true},
      {"tls_with_a_certificate_for_another_host_name_is_refused",
       {"127.0.0.1", "api.example.com"},
       true,
       "localhost",
       true},
      {"tls_with_a_certificate_for_another_ip_is_refused", {"localhost", "127.0.0.2"}, true, "127.0.0.1", false},
  };
}

struct construction_refusal {
  const char* name;
  void (*spoil)(client_options&, const voxo::test::temp_dir&);
};
std::ostream& operator<<(std::ostream& os, const construction_refusal& r) { return os << r.name; }

std::vector<construction_refusal> construction_refusals() {
  using voxo::test::temp_dir;
  return {
      {"an_ftp_url", [](client_options& o, const temp_dir&) { o.url = "ftp://example.com"; }},
      {"a_missing_ca_file",
       [](client_options& o, const temp_dir& d) { o.ca_file = (d.path() / "missing-ca.pem").string(); }},
      {"a_ca_file_that_is_not_pem",
       [](client_options& o, const temp_dir& d) { o.ca_file = d.write("not-a-ca.pem", "hello\n").string(); }},
      {"an_unknown_time_zone", [](client_options& o, const temp_dir&) { o.timezone = "Mars/Olympus_Mons"; }},
      {"no_credentials_at_all", [](client_options& o, const temp_dir&) { o.token_file.reset(); }},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(http_api_client)

BOOST_FIXTURE_TEST_CASE(records_are_streamed_into_the_sink_and_summarized, fixture) {
  fake_api_server server;
  std::string body = records(3);
  server.enqueue("/call-reports", {200, body});
  auto client = client_for(server);
  auto r = fetch(*client);
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_TEST(r->http_status == 200);
  BOOST_TEST(r->records == 3u);
  BOOST_TEST(r->invalid == 0u);
  BOOST_TEST(r->bytes == body.size());
  BOOST_TEST(sink.records == 3);
}

BOOST_FIXTURE_TEST_CASE(the_query_reaches_the_server_percent_encoded_with_the_expected_headers, fixture) {
  fake_api_server server;
  server.enqueue("/call-reports", {200, "[]"});
  auto client = client_for(server);
  BOOST_REQUIRE(fetch(*client).has_value());
  auto sent = server.requests("/call-reports");
  BOOST_REQUIRE(sent.size() == 1u);
  const auto& req = sent[0];
  BOOST_TEST(req.method == "GET");
  BOOST_TEST(req.target.find("tenantId=37") != std::string::npos);
  BOOST_TEST(req.target.find("start=2022-10-10%2000%3A00%3A00") != std::string::npos);
  BOOST_TEST(req.target.find("end=2022-10-10%2001%3A00%3A00") != std::string::npos);
  BOOST_TEST(req.target.find("timezone=America%2FChicago") != std::string::npos);
  BOOST_TEST(req.target.find(' ') == std::string::npos);
  BOOST_TEST(req.header("authorization") == "Bearer " + token_text);
  BOOST_TEST(req.header("accept") == "application/json");
  BOOST_TEST(req.header("accept-encoding") == "identity");
  BOOST_TEST(req.header("user-agent").rfind("voxo_exporter/", 0) == 0u);
  BOOST_TEST(req.header("host") == "127.0.0.1:" + std::to_string(server.port()));
}

BOOST_FIXTURE_TEST_CASE(the_base_path_of_the_url_prefixes_every_target, fixture) {
  fake_api_server server;
  server.enqueue("/v2/call-reports", {200, "[]"});
  options.url = server.base_url() + "/v2/";
  auto client = make_http_api_client(ioc.get_executor(), options);
  BOOST_TEST(fetch(*client).has_value());
  BOOST_TEST(server.requests("/v2/call-reports").size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_window_over_the_cap_is_refused_without_a_request, fixture) {
  fake_api_server server;
  auto client = client_for(server);
  auto q = one_hour();
  q.window.end = q.window.start + std::chrono::days{32};
  auto r = fetch(*client, q);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == api_errc::bad_request));
  q = {partner_scope{}, {q.window.start, q.window.start + 25h}};
  r = fetch(*client, q);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == api_errc::bad_request));
  BOOST_TEST(server.requests().empty());
}

BOOST_FIXTURE_TEST_CASE(password_login_comes_first_and_its_token_is_sent, fixture) {
  use_password_login();
  fake_api_server server;
  server.enqueue("/authentication", {201, login_reply("issued-1")});
  server.enqueue("/call-reports", {200, records(1)});
  auto client = client_for(server);
  BOOST_REQUIRE(fetch(*client).has_value());
  auto all = server.requests();
  BOOST_REQUIRE(all.size() == 2u);
  BOOST_TEST(all[0].method == "POST");
  BOOST_TEST(all[0].target == "/authentication");
  BOOST_TEST(all[0].header("content-type") == "application/json");
  BOOST_TEST(all[0].body.find(R"("strategy":"local")") != std::string::npos);
  BOOST_TEST(all[0].body.find(R"("email":"ops@example.com")") != std::string::npos);
  BOOST_TEST(all[0].body.find(password_text) != std::string::npos);
  BOOST_TEST(all[0].header("authorization") == "");
  BOOST_TEST(all[1].header("authorization") == "Bearer issued-1");
}

BOOST_FIXTURE_TEST_CASE(a_401_leads_to_a_new_login_and_one_retry, fixture) {
  use_password_login();
  fake_api_server server;
  server.enqueue("/authentication", {201, login_reply("issued-1")});
  server.enqueue("/authentication", {200, login_reply("issued-2")});
  server.enqueue("/call-reports", {401, R"({"name":"NotAuthenticated","code":401})"});
  server.enqueue("/call-reports", {200, records(2)});
  auto client = client_for(server);
  auto r = fetch(*client);
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_TEST(r->records == 2u);
  auto calls = server.requests("/call-reports");
  BOOST_REQUIRE(calls.size() == 2u);
  BOOST_TEST(calls[0].header("authorization") == "Bearer issued-1");
  BOOST_TEST(calls[1].header("authorization") == "Bearer issued-2");
  BOOST_TEST(server.requests("/authentication").size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(a_second_401_is_an_auth_error, fixture) {
  use_password_login();
  fake_api_server server;
  server.always("/authentication", {201, login_reply("issued")});
  server.always("/call-reports", {401, R"({"name":"NotAuthenticated","code":401})"});
  auto client = client_for(server);
  auto r = fetch(*client);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == api_errc::auth));
  BOOST_TEST(r.error().http_status == 401);
  BOOST_TEST(server.requests("/call-reports").size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(the_token_file_is_read_again_after_a_401, fixture) {
  fake_api_server server;
  server.enqueue("/call-reports", {200, "[]"});
  server.enqueue("/call-reports", {401, "{}"});
  server.enqueue("/call-reports", {200, "[]"});
  auto client = client_for(server);
  BOOST_REQUIRE(fetch(*client).has_value());
  dir.write("token", "rotated-token\n");
  BOOST_REQUIRE(fetch(*client).has_value());
  auto calls = server.requests("/call-reports");
  BOOST_REQUIRE(calls.size() == 3u);
  BOOST_TEST(calls[1].header("authorization") == "Bearer " + token_text);
  BOOST_TEST(calls[2].header("authorization") == "Bearer rotated-token");
}

BOOST_FIXTURE_TEST_CASE(a_jwt_close_to_expiry_is_replaced_by_a_new_login_before_the_call, fixture) {
  use_password_login();
  auto now = std::chrono::system_clock::now();
  auto jwt = [](std::chrono::system_clock::time_point exp, const std::string& tag) {
    // header {"alg":"HS256"}; payload {"sub":"<tag>","exp":<exp>} in base64url, built by hand.
    auto b64 = [](const std::string& in) {
      static const char* abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      std::string out;
      unsigned bits = 0;
      int count = 0;
      for (unsigned char c : in) {
        bits = (bits << 8) | c;
        for (count += 8; count >= 6;) out += abc[(bits >> (count -= 6)) & 63];
      }
      if (count > 0) out += abc[(bits << (6 - count)) & 63];
      return out;
    };
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(exp.time_since_epoch()).count();
    return b64(R"({"alg":"HS256"})") + "." + b64(R"({"sub":")" + tag + R"(","exp":)" + std::to_string(secs) + "}") +
           ".sig";
  };
  std::string expiring = jwt(now + 2min, "a");
  std::string fresh = jwt(now + 1h, "b");
  fake_api_server server;
  server.enqueue("/authentication", {201, login_reply(expiring)});
  server.enqueue("/authentication", {201, login_reply(fresh)});
  server.always("/call-reports", {200, "[]"});
  auto client = client_for(server);
  BOOST_REQUIRE(fetch(*client).has_value());
  BOOST_REQUIRE(fetch(*client).has_value());
  auto calls = server.requests("/call-reports");
  BOOST_REQUIRE(calls.size() == 2u);
  BOOST_TEST(calls[1].header("authorization") == "Bearer " + fresh);
  BOOST_TEST(server.requests("/authentication").size() == 2u);
}

// A reply the client cannot use: one request (never retried), an error of its kind. The sink may
// have seen records before a cut: the caller throws them away (record_sink.hpp).
BOOST_DATA_TEST_CASE_F(fixture, a_failing_reply_is_one_request_and_an_error_of_its_kind,
                       boost::unit_test::data::make(failing_replies()), row) {
  options.timeout = row.timeout;
  options.max_response_bytes = row.max_response_bytes;
  fake_api_server server;
  server.always("/call-reports", row.response);
  auto client = client_for(server);
  auto r = fetch(*client);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == row.code), r.error().describe());
  if (row.http_status) BOOST_TEST(r.error().http_status == *row.http_status);
  BOOST_TEST((r.error().retry_after.has_value() == row.retry_after.has_value()));
  if (r.error().retry_after && row.retry_after) BOOST_TEST(r.error().retry_after->count() == *row.retry_after);
  if (row.code_label) BOOST_TEST(r.error().code_label() == row.code_label);
  if (row.nothing_reaches_the_sink) BOOST_TEST(sink.records == 0);
  BOOST_TEST(server.requests("/call-reports").size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_503_with_an_http_date_retry_after_gives_the_seconds_until_then, fixture) {
  fake_api_server server;
  server.enqueue("/call-reports", {503, "busy", {{"Retry-After", http_date(std::chrono::system_clock::now() + 1h)}}});
  auto client = client_for(server);
  auto r = fetch(*client);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST(r.error().http_status == 503);
  BOOST_REQUIRE(r.error().retry_after.has_value());
  BOOST_TEST(r.error().retry_after->count() > 3000);
  BOOST_TEST(r.error().retry_after->count() <= 3600);
}

BOOST_FIXTURE_TEST_CASE(a_chunked_body_arriving_in_small_pieces_is_parsed_whole, fixture) {
  fake_api_server server;
  std::string body = records(10);
  scripted_response chunked{200, body};
  chunked.chunk_size = 7;
  server.enqueue("/call-reports", chunked);
  auto client = client_for(server);
  auto r = fetch(*client);
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_TEST(r->records == 10u);
  BOOST_TEST(r->bytes == body.size());
}

// Two requests in a row: whether the second one may reuse the first one's connection.
BOOST_DATA_TEST_CASE_F(fixture, a_connection_is_reused_only_when_the_first_reply_left_it_usable,
                       boost::unit_test::data::make(second_requests()), row) {
  fake_api_server server;
  server.enqueue("/call-reports", row.first);
  server.enqueue("/call-reports", row.second);
  auto client = client_for(server);
  auto first = fetch(*client);
  if (row.first_error_status) {
    BOOST_REQUIRE(!first.has_value());
    BOOST_TEST(first.error().http_status == *row.first_error_status);
  } else {
    BOOST_REQUIRE_MESSAGE(first.has_value(), (first ? "" : first.error().describe()));
  }
  auto second = fetch(*client);
  BOOST_REQUIRE_MESSAGE(second.has_value(), (second ? "" : second.error().describe()));
  BOOST_TEST(second->records == row.second_records);
  BOOST_TEST(server.connections_accepted() == row.connections);
}

BOOST_FIXTURE_TEST_CASE(tls_with_the_right_ca_works_for_an_ip_literal, fixture) {
  auto pki = voxo::util::make_self_signed_pki({"127.0.0.1", "localhost"});
  options.ca_file = write_ca(pki.ca_cert);
  fake_api_server server{pki};
  server.always("/call-reports", {200, records(2)});
  auto client = client_for(server);
  auto r = fetch(*client);
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_TEST(r->records == 2u);
  BOOST_REQUIRE(fetch(*client).has_value());
  BOOST_TEST(server.connections_accepted() == 1u);
}

BOOST_FIXTURE_TEST_CASE(tls_with_the_right_ca_works_for_a_host_name, fixture) {
  auto pki = voxo::util::make_self_signed_pki({"localhost"});
  options.ca_file = write_ca(pki.ca_cert);
  fake_api_server server{pki};
  server.always("/call-reports", {200, "[]"});
  options.url = "https://localhost:" + std::to_string(server.port());
  auto client = make_http_api_client(ioc.get_executor(), options);
  auto r = fetch(*client);
  BOOST_TEST_MESSAGE((r ? "ok" : r.error().describe()));
  BOOST_TEST(r.has_value());
}

// A server whose certificate does not verify: refused before any request is sent.
BOOST_DATA_TEST_CASE_F(fixture, tls_that_does_not_verify_is_refused_before_a_request,
                       boost::unit_test::data::make(tls_refusals()), row) {
  auto pki = voxo::util::make_self_signed_pki(row.certificate_names);
  options.ca_file =
      write_ca(row.trust_the_server ? pki.ca_cert : voxo::util::make_self_signed_pki({"127.0.0.1"}).ca_cert);
  fake_api_server server{pki};
  server.always("/call-reports", {200, "[]"});
  options.url = "https://" + row.host + ":" + std::to_string(server.port());
  auto client = make_http_api_client(ioc.get_executor(), options);
  auto r = fetch(*client);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == api_errc::transport));
  if (row.says_verification_failed)
    BOOST_TEST(r.error().message.find("verification failed") != std::string::npos, r.error().message);
  BOOST_TEST(server.requests().empty());
}

BOOST_FIXTURE_TEST_CASE(a_refused_login_is_an_auth_error_with_its_status, fixture) {
  use_password_login();
  fake_api_server server;
  server.always("/authentication", {401, R"({"name":"NotAuthenticated","message":"Invalid login","code":401})"});
  auto client = client_for(server);
  auto r = fetch(*client);
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == api_errc::auth));
  BOOST_TEST(r.error().http_status == 401);
  BOOST_TEST(server.requests("/call-reports").empty());
}

BOOST_FIXTURE_TEST_CASE(no_secret_reaches_an_error_message_or_a_log_line, fixture) {
  use_password_login();
  voxo::test::capture_stderr captured;
  std::vector<std::string> messages;
  {
    fake_api_server server;
    // Echoing the request body back must not smuggle the password into a message either.
    server.enqueue("/authentication", {401, password_text});
    server.enqueue("/authentication", {500, password_text});
    server.enqueue("/authentication", {201, "{\"noToken\":\"" + password_text + "\"}"});
    server.enqueue("/authentication", {201, "<html>" + password_text});
    server.always("/authentication", {201, login_reply(token_text)});
    server.always("/call-reports", {401, token_text});
    auto client = client_for(server);
    for (int i = 0; i < 5; ++i) {
      auto r = fetch(*client);
      BOOST_REQUIRE(!r.has_value());
      messages.push_back(r.error().describe());
    }
    auto t = voxo::test::run_awaitable(ioc, client->list_tenants());
    BOOST_REQUIRE(!t.has_value());
    messages.push_back(t.error().describe());
  }
  std::string log = captured.text();
  for (const auto& m : messages) {
    BOOST_TEST(m.find(password_text) == std::string::npos, m);
    BOOST_TEST(m.find(token_text) == std::string::npos, m);
  }
  BOOST_TEST(log.find(password_text) == std::string::npos);
  BOOST_TEST(log.find(token_text) == std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(list_tenants_reads_the_accounts_ignoring_unknown_keys_and_nulls, fixture) {
  fake_api_server server;
  server.enqueue("/tenants",
                 {200, R"([{"id":37,"name":"Acme","timeZone":"America/New_York","tenantCode":"ACME","extra":[1]},
                                       {"id":38,"name":null,"timeZone":null,"tenantCode":null}])"});
  auto client = client_for(server);
  auto r = voxo::test::run_awaitable(ioc, client->list_tenants());
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_REQUIRE(r->size() == 2u);
  BOOST_TEST((*r)[0].id == 37);
  BOOST_TEST((*r)[0].name == "Acme");
  BOOST_TEST((*r)[0].time_zone == "America/New_York");
  BOOST_TEST((*r)[0].tenant_code == "ACME");
  BOOST_TEST((*r)[1].id == 38);
  BOOST_TEST((*r)[1].name == "");
  BOOST_TEST(server.requests("/tenants").at(0).header("authorization") == "Bearer " + token_text);
}

BOOST_FIXTURE_TEST_CASE(list_tenants_rejects_a_reply_that_is_not_a_list, fixture) {
  fake_api_server server;
  server.enqueue("/tenants", {200, R"({"message":"hello"})"});
  auto client = client_for(server);
  auto r = voxo::test::run_awaitable(ioc, client->list_tenants());
  BOOST_REQUIRE(!r.has_value());
  BOOST_TEST((r.error().code == api_errc::bad_payload));
}

BOOST_DATA_TEST_CASE_F(fixture, what_can_never_work_is_refused_at_construction,
                       boost::unit_test::data::make(construction_refusals()), row) {
  options.url = "https://127.0.0.1:1";
  BOOST_REQUIRE_NO_THROW(make_http_api_client(ioc.get_executor(), options));  // the row alone breaks it
  row.spoil(options, dir);
  BOOST_CHECK_THROW(make_http_api_client(ioc.get_executor(), options), std::runtime_error);
}
BOOST_AUTO_TEST_SUITE_END()

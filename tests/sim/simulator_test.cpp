#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <date/date.h>
#include <date/tz.h>
#include <sys/socket.h>

#include <atomic>
#include <map>
#include <set>

#include "metrics/call_labels.hpp"
#include "sim/simulator.hpp"
#include "util/base64.hpp"

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = net::ssl;
namespace json = boost::json;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;
using std::chrono::sys_seconds;
using voxo::sim::fault;
using voxo::sim::fault_kind;
using voxo::sim::simulator;
using voxo::sim::simulator_options;

namespace {

sys_seconds at(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
  return date::sys_days{date::year{y} / mo / d} + std::chrono::hours{h} + std::chrono::minutes{mi} +
         std::chrono::seconds{s};
}

// 2022-10-10 00:00 America/Chicago (CDT, UTC-5)
const sys_seconds t0 = at(2022, 10, 10, 5);

struct reply {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string error;
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? std::string() : it->second;
  }
  json::value json() const { return json::parse(body); }
};

void set_timeouts(tcp::socket& s) {
  timeval tv{10, 0};
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(s.native_handle(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
}

// A minimal blocking client on one keep-alive connection, plain or TLS (verifying the peer).
class client {
 public:
  explicit client(const simulator& sim) : tls_ctx_(ssl::context::tls_client) {
    tcp::endpoint ep(net::ip::make_address("127.0.0.1"), sim.port());
    if (!sim.ca_cert_pem().empty()) {
      tls_ctx_.add_certificate_authority(net::buffer(sim.ca_cert_pem()));
      tls_ctx_.set_verify_mode(ssl::verify_peer);
      tls_.emplace(ioc_, tls_ctx_);
      tls_->set_verify_callback(ssl::host_name_verification("127.0.0.1"));
      tls_->next_layer().connect(ep);
      set_timeouts(tls_->next_layer());
      tls_->handshake(ssl::stream_base::client);
    } else {
      plain_.emplace(ioc_);
      plain_->connect(ep);
      set_timeouts(*plain_);
    }
  }

  reply send(http::verb method, const std::string& target, const std::string& token = {},
             const std::string& body = {}) {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    return tls_ ? exchange(*tls_, req) : exchange(*plain_, req);
  }
  reply get(const std::string& target, const std::string& token = {}) { return send(http::verb::get, target, token); }

 private:
  template <class Stream>
  reply exchange(Stream& s, http::request<http::string_body>& req) {
    reply out;
    beast::error_code ec;
    http::write(s, req, ec);
    http::response_parser<http::string_body> parser;
    parser.body_limit(1ULL << 32);
    if (!ec) http::read(s, buffer_, parser, ec);
    if (ec) {
      out.error = ec.message();
      return out;
    }
    out.status = parser.get().result_int();
    for (const auto& f : parser.get()) {
      std::string name(f.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.headers[name] = std::string(f.value());
    }
    out.body = parser.get().body();
    return out;
  }

  net::io_context ioc_;
  ssl::context tls_ctx_;
  std::optional<tcp::socket> plain_;
  std::optional<ssl::stream<tcp::socket>> tls_;
  beast::flat_buffer buffer_;
};

// Raw bytes after sending a request, until the server closes the connection.
std::string raw_exchange(const simulator& sim, const std::string& request) {
  net::io_context ioc;
  tcp::socket s(ioc);
  s.connect({net::ip::make_address("127.0.0.1"), sim.port()});
  set_timeouts(s);
  net::write(s, net::buffer(request));
  std::string out;
  beast::error_code ec;
  char buf[65536];
  for (;;) {
    auto n = s.read_some(net::buffer(buf), ec);
    out.append(buf, n);
    if (ec) break;
  }
  return out;
}

std::string login_body(const std::string& email = "ops@example.com", const std::string& password = "demo-password") {
  return json::serialize(json::object{{"strategy", "local"}, {"email", email}, {"password", password}});
}

std::string base64url_decode(std::string_view in) {
  auto out = voxo::util::base64_decode(in, voxo::util::base64_alphabet::url);
  if (!out) throw std::runtime_error("bad base64url");
  return std::move(*out);
}

// A simulator with a clock the test moves by hand.
struct fixture {
  std::atomic<long long> now_s{(t0 + 72h).time_since_epoch().count()};
  std::unique_ptr<simulator> sim;

  static simulator_options defaults() {
    simulator_options o;
    o.data.seed = 11;
    o.data.tenants = {{101, "tenant-101", "B101", 60}, {102, "tenant-102", "B102", 30}};
    o.data.from = t0;
    o.data.to = t0 + 48h;
    o.static_tokens = {"portal-token"};
    return o;
  }
  explicit fixture(simulator_options o = defaults()) {
    o.clock = [this] { return std::chrono::system_clock::time_point{std::chrono::seconds{now_s.load()}}; };
    sim = std::make_unique<simulator>(std::move(o));
    sim->start();
  }
  sys_seconds now() const { return sys_seconds{std::chrono::seconds{now_s.load()}}; }
  void advance(std::chrono::seconds d) { now_s += d.count(); }

  std::string login() {
    client c(*sim);
    auto r = c.send(http::verb::post, "/authentication", {}, login_body());
    BOOST_REQUIRE_EQUAL(r.status, 201U);
    return std::string(r.json().at("accessToken").as_string());
  }
  static std::string reports(const std::string& scope, const std::string& start, const std::string& end,
                             const std::string& tz = {}) {
    std::string t = "/call-reports?" + scope + (scope.empty() ? "" : "&") + "start=" + start + "&end=" + end;
    if (!tz.empty()) t += "&timezone=" + tz;
    return t;
  }
};

std::vector<std::string> ids_of(const json::value& v) {
  std::vector<std::string> out;
  for (const auto& r : v.as_array()) out.emplace_back(r.as_object().at("id").as_string());
  return out;
}

std::vector<std::string> truth_ids(const simulator& sim, long long tenant, voxo::api::time_window w) {
  std::vector<std::string> out;
  for (const auto& c : sim.data().truth(tenant, w)) out.push_back(c.id);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sim_server)

BOOST_AUTO_TEST_CASE(login_gives_201_and_a_jwt_shaped_token_whose_exp_is_now_plus_lifetime) {
  auto o = fixture::defaults();
  o.token_lifetime = 3600s;
  fixture f(o);
  client c(*f.sim);
  auto r = c.send(http::verb::post, "/authentication", {}, login_body());
  BOOST_REQUIRE_EQUAL(r.status, 201U);
  auto body = r.json().as_object();
  BOOST_TEST(body.at("authentication").at("strategy").as_string() == "local");
  BOOST_TEST(body.at("user").at("tenantIds").as_array().size() == 2U);
  BOOST_TEST(body.at("user").at("timezone").as_string() == "America/Chicago");
  std::string token(body.at("accessToken").as_string());
  auto dot1 = token.find('.'), dot2 = token.rfind('.');
  BOOST_REQUIRE(dot1 != std::string::npos && dot2 != dot1);
  auto header = json::parse(base64url_decode(token.substr(0, dot1))).as_object();
  BOOST_TEST(header.contains("alg"));
  auto payload = json::parse(base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1))).as_object();
  BOOST_TEST(payload.at("iat").to_number<long long>() == f.now().time_since_epoch().count());
  BOOST_TEST(payload.at("exp").to_number<long long>() == (f.now() + 3600s).time_since_epoch().count());
  BOOST_TEST(!payload.at("sub").as_string().empty());
  BOOST_TEST(c.get("/tenants", token).status == 200U);
}

BOOST_AUTO_TEST_CASE(wrong_credentials_give_401_and_a_malformed_body_400_as_feathers_errors) {
  fixture f;
  client c(*f.sim);
  auto wrong = c.send(http::verb::post, "/authentication", {}, login_body("ops@example.com", "nope"));
  BOOST_TEST(wrong.status == 401U);
  auto e = wrong.json().as_object();
  BOOST_TEST(e.at("name").as_string() == "NotAuthenticated");
  BOOST_TEST(e.at("message").as_string() == "Invalid login");
  BOOST_TEST(e.at("code").as_int64() == 401);
  BOOST_TEST(e.at("className").as_string() == "not-authenticated");
  BOOST_TEST(e.at("errors").as_object().empty());
  BOOST_TEST(wrong.body.find("nope") == std::string::npos);
  auto malformed = c.send(http::verb::post, "/authentication", {}, "{not json");
  BOOST_TEST(malformed.status == 400U);
  BOOST_TEST(malformed.json().at("name").as_string() == "BadRequest");
}

BOOST_AUTO_TEST_CASE(call_reports_need_a_valid_bearer_token) {
  fixture f;
  client c(*f.sim);
  const auto target = fixture::reports("tenantId=101", "2022-10-10%2000:00:00", "2022-10-10%2001:00:00");
  auto none = c.get(target);
  BOOST_TEST(none.status == 401U);
  BOOST_TEST(none.json().at("name").as_string() == "NotAuthenticated");
  BOOST_TEST(c.get(target, "not-a-token").status == 401U);
  BOOST_TEST(c.get(target, "portal-token").status == 200U);
  BOOST_TEST(c.get(target, f.login()).status == 200U);
}

BOOST_AUTO_TEST_CASE(an_issued_token_expires_at_exp_and_expire_tokens_revokes_all) {
  auto o = fixture::defaults();
  o.token_lifetime = 60s;
  fixture f(o);
  client c(*f.sim);
  const auto target = fixture::reports("tenantId=101", "2022-10-10%2000:00:00", "2022-10-10%2001:00:00");
  const auto token = f.login();
  f.advance(59s);
  BOOST_TEST(c.get(target, token).status == 200U);
  f.advance(1s);
  BOOST_TEST(c.get(target, token).status == 401U);
  const auto fresh = f.login();
  BOOST_TEST(c.get(target, fresh).status == 200U);
  f.sim->expire_tokens();
  BOOST_TEST(c.get(target, fresh).status == 401U);
  BOOST_TEST(c.get(target, "portal-token").status == 200U);
  const auto third = f.login();
  BOOST_TEST(c.send(http::verb::post, "/_sim/expire-tokens").status == 200U);
  BOOST_TEST(c.get(target, third).status == 401U);
}

BOOST_AUTO_TEST_CASE(tenants_lists_the_data_set_tenants) {
  fixture f;
  client c(*f.sim);
  auto r = c.get("/tenants", "portal-token");
  BOOST_REQUIRE_EQUAL(r.status, 200U);
  auto arr = r.json().as_array();
  BOOST_REQUIRE_EQUAL(arr.size(), 2U);
  BOOST_TEST(arr[0].at("id").as_int64() == 101);
  BOOST_TEST(arr[0].at("name").as_string() == "tenant-101");
  BOOST_TEST(arr[0].at("timeZone").as_string() == "America/Chicago");
  BOOST_TEST(arr[0].at("tenantCode").as_string() == "B101");
}

BOOST_AUTO_TEST_CASE(a_reply_holds_every_record_of_the_window_both_ends_included) {
  fixture f;
  const auto all = f.sim->data().records(101, {t0, t0 + 3h});
  BOOST_REQUIRE(all.size() > 20U);
  const auto hi = all[5].time, lo = all[all.size() - 5].time;
  const auto* zone = date::locate_zone("America/Chicago");
  auto text = [&](sys_seconds t) {
    auto s = date::format("%Y-%m-%d %H:%M:%S", date::make_zoned(zone, t).get_local_time());
    return s.replace(10, 1, "%20");
  };
  client c(*f.sim);
  auto r = c.get(fixture::reports("tenantId=101", text(lo), text(hi)), "portal-token");
  BOOST_REQUIRE_EQUAL(r.status, 200U);
  BOOST_TEST(r.header("content-type").find("application/json") == 0U);
  auto ids = ids_of(r.json());
  auto expected = truth_ids(*f.sim, 101, {lo, hi});
  BOOST_TEST(ids == expected, boost::test_tools::per_element());
  BOOST_TEST(ids.front() == all[5].call->id);
  BOOST_TEST(ids.back() == all[all.size() - 5].call->id);
}

BOOST_AUTO_TEST_CASE(sim_truth_lists_every_unique_valid_call_of_the_window_without_auth) {
  auto o = fixture::defaults();
  o.data.duplicate_fraction = 0.1;
  o.data.invalid_fraction = 0.1;
  o.data.late_fraction = 0.5;
  fixture f(o);
  client c(*f.sim);
  const auto lo = t0 + 1h, hi = t0 + 3h;
  auto r = c.get("/_sim/truth?tenantId=101&start=" + std::to_string(lo.time_since_epoch().count()) +
                 "&end=" + std::to_string(hi.time_since_epoch().count()));
  BOOST_REQUIRE_EQUAL(r.status, 200U);
  const auto body = r.json().as_object();
  BOOST_TEST(body.at("tenantId").as_int64() == 101);
  BOOST_TEST(body.at("billingCode").as_string() == "B101");
  const auto& calls = body.at("calls").as_array();
  const auto truth = f.sim->data().truth(101, {lo, hi});
  BOOST_REQUIRE_EQUAL(calls.size(), truth.size());
  for (std::size_t i = 0; i < truth.size(); ++i) {
    const auto& got = calls[i].as_object();
    BOOST_TEST(got.at("time").as_int64() == truth[i].time.time_since_epoch().count());
    BOOST_TEST(got.at("direction").as_string() == voxo::metrics::label(truth[i].direction));
    BOOST_TEST(got.at("disposition").as_string() == voxo::metrics::label(truth[i].disposition));
    BOOST_TEST(got.at("duration").is_null() == !truth[i].duration.has_value());
    if (truth[i].mos) BOOST_TEST(got.at("mos").to_number<double>() == *truth[i].mos);
    if (truth[i].recorded) BOOST_TEST(got.at("recorded").as_bool() == *truth[i].recorded);
  }
  // Without start/end: the whole data set up to the clock (here past its end).
  auto all = c.get("/_sim/truth?tenantId=102");
  BOOST_REQUIRE_EQUAL(all.status, 200U);
  BOOST_TEST(all.json().at("calls").as_array().size() == f.sim->data().truth(102, {t0, t0 + 48h}).size());
  BOOST_TEST(c.get("/_sim/truth?tenantId=999").status == 404U);
  BOOST_TEST(c.get("/_sim/truth?tenantId=101&start=x").status == 400U);
  BOOST_TEST(c.get("/_sim/truth").status == 400U);
  BOOST_TEST(c.send(http::verb::post, "/_sim/truth?tenantId=101").status == 405U);
  BOOST_TEST(f.sim->request_count("/call-reports") == 0U);  // fault numbering is not disturbed
}

BOOST_AUTO_TEST_CASE(records_are_served_in_the_documented_shape_time_descending) {
  fixture f;
  client c(*f.sim);
  auto r = c.get(fixture::reports("tenantId=101", "2022-10-10+00:00:00", "2022-10-10+02:00:00"), "portal-token");
  BOOST_REQUIRE_EQUAL(r.status, 200U);
  auto arr = r.json().as_array();
  BOOST_REQUIRE(!arr.empty());
  const auto served = f.sim->data().records(101, {t0, t0 + 2h});
  BOOST_REQUIRE_EQUAL(arr.size(), served.size());
  std::string expected = "[";
  for (std::size_t i = 0; i < arr.size(); ++i) {
    BOOST_TEST(arr[i].as_object().size() == 38U);
    expected += (i ? "," : "") + served[i].json;
  }
  BOOST_TEST((r.body == expected + "]"));
  BOOST_TEST(arr[0].at("time").as_string() > arr[arr.size() - 1].at("time").as_string());
}

BOOST_AUTO_TEST_CASE(the_timezone_parameter_shifts_the_window) {
  fixture f;
  client c(*f.sim);
  auto chicago =
      c.get(fixture::reports("tenantId=101", "2022-10-10%2000:00:00", "2022-10-10%2002:00:00"), "portal-token");
  auto new_york =
      c.get(fixture::reports("tenantId=101", "2022-10-10%2001:00:00", "2022-10-10%2003:00:00", "America%2FNew_York"),
            "portal-token");
  auto explicit_chicago =
      c.get(fixture::reports("tenantId=101", "2022-10-10%2000:00:00", "2022-10-10%2002:00:00", "America/Chicago"),
            "portal-token");
  auto same_text_ny =
      c.get(fixture::reports("tenantId=101", "2022-10-10%2000:00:00", "2022-10-10%2002:00:00", "America/New_York"),
            "portal-token");
  BOOST_REQUIRE_EQUAL(chicago.status, 200U);
  BOOST_REQUIRE_EQUAL(new_york.status, 200U);
  BOOST_TEST(!chicago.json().as_array().empty());
  BOOST_TEST(chicago.body == new_york.body);
  BOOST_TEST(chicago.body == explicit_chicago.body);
  BOOST_TEST(ids_of(same_text_ny.json()) == truth_ids(*f.sim, 101, {t0 - 1h, t0 + 1h}),
             boost::test_tools::per_element());
  BOOST_TEST(c.get(fixture::reports("tenantId=101", "2022-10-10%2000:00:00", "2022-10-10%2002:00:00", "Mars/Olympus"),
                   "portal-token")
                 .status == 400U);
}

BOOST_AUTO_TEST_CASE(window_caps_give_400_and_exactly_the_cap_works) {
  fixture f;
  client c(*f.sim);
  const std::string tok = "portal-token";
  BOOST_TEST(c.get(fixture::reports("tenantId=101", "2022-10-01%2000:00:00", "2022-11-01%2000:00:00"), tok).status ==
             200U);
  auto over = c.get(fixture::reports("tenantId=101", "2022-10-01%2000:00:00", "2022-11-01%2000:00:01"), tok);
  BOOST_TEST(over.status == 400U);
  BOOST_TEST(over.json().at("name").as_string() == "BadRequest");
  BOOST_TEST(
      c.get(fixture::reports("billingCode=B101", "2022-10-01%2000:00:00", "2022-11-01%2000:00:01"), tok).status ==
      400U);
  BOOST_TEST(c.get(fixture::reports("", "2022-10-10%2000:00:00", "2022-10-11%2000:00:00"), tok).status == 200U);
  BOOST_TEST(c.get(fixture::reports("", "2022-10-10%2000:00:00", "2022-10-11%2000:00:01"), tok).status == 400U);
  BOOST_TEST(c.get(fixture::reports("tenantId=101", "2022-10-10%2001:00:00", "2022-10-10%2000:59:59"), tok).status ==
             400U);
  BOOST_TEST(c.get(fixture::reports("tenantId=101", "2022-10-10%2001:00:00", "2022-10-10%2001:00:00"), tok).status ==
             200U);
}

BOOST_AUTO_TEST_CASE(bad_queries_are_refused) {
  fixture f;
  client c(*f.sim);
  const std::string tok = "portal-token";
  auto unknown = c.get(fixture::reports("tenantId=999", "2022-10-10%2000:00:00", "2022-10-10%2001:00:00"), tok);
  BOOST_TEST(unknown.status == 404U);
  BOOST_TEST(unknown.json().at("name").as_string() == "NotFound");
  BOOST_TEST(
      c.get(fixture::reports("billingCode=NOPE", "2022-10-10%2000:00:00", "2022-10-10%2001:00:00"), tok).status ==
      404U);
  BOOST_TEST(c.get(fixture::reports("tenantId=abc", "2022-10-10%2000:00:00", "2022-10-10%2001:00:00"), tok).status ==
             400U);
  BOOST_TEST(c.get("/call-reports?tenantId=101&start=2022-10-10%2000:00:00", tok).status == 400U);
  BOOST_TEST(c.get(fixture::reports("tenantId=101", "2022-10-10T00:00:00", "2022-10-10%2001:00:00"), tok).status ==
             400U);
}

BOOST_AUTO_TEST_CASE(billing_code_and_partner_wide_scopes) {
  fixture f;
  client c(*f.sim);
  const std::string tok = "portal-token";
  auto by_code = c.get(fixture::reports("billingCode=B102", "2022-10-10%2000:00:00", "2022-10-10%2003:00:00"), tok);
  BOOST_TEST(ids_of(by_code.json()) == truth_ids(*f.sim, 102, {t0, t0 + 3h}), boost::test_tools::per_element());
  auto partner = c.get(fixture::reports("", "2022-10-10%2000:00:00", "2022-10-10%2003:00:00"), tok);
  BOOST_REQUIRE_EQUAL(partner.status, 200U);
  std::map<std::string, std::size_t> per_code;
  const auto records = partner.json();
  for (const auto& r : records.as_array()) ++per_code[std::string(r.at("billingId").as_string())];
  BOOST_TEST(per_code["B101"] == f.sim->data().truth(101, {t0, t0 + 3h}).size());
  BOOST_TEST(per_code["B102"] == f.sim->data().truth(102, {t0, t0 + 3h}).size());
}

BOOST_AUTO_TEST_CASE(duplicates_appear_twice_and_invalid_records_are_in_the_body) {
  auto o = fixture::defaults();
  o.data.duplicate_fraction = 0.1;
  o.data.invalid_fraction = 0.1;
  fixture f(o);
  client c(*f.sim);
  auto r = c.get(fixture::reports("tenantId=101", "2022-10-10%2000:00:00", "2022-10-10%2006:00:00"), "portal-token");
  auto arr = r.json().as_array();
  const voxo::api::time_window w{t0, t0 + 6h};
  const auto dups = f.sim->data().duplicate_count(101, w);
  const auto invalid = f.sim->data().invalid_count(101, w);
  BOOST_TEST(dups > 0U);
  BOOST_TEST(invalid > 0U);
  BOOST_TEST(arr.size() == f.sim->data().truth(101, w).size() + dups + invalid);
  std::size_t without_id = 0, repeated = 0;
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const auto* id = arr[i].as_object().if_contains("id");
    if (!id || !id->is_string() || id->as_string().empty()) ++without_id;
    if (i > 0 && arr[i] == arr[i - 1]) ++repeated;
  }
  BOOST_TEST(without_id > 0U);
  BOOST_TEST(repeated == dups);
}

BOOST_AUTO_TEST_CASE(late_records_are_invisible_before_visible_at_and_visible_after) {
  auto o = fixture::defaults();
  o.data.late_fraction = 0.3;
  o.data.max_late = 300s;
  fixture f(o);
  client c(*f.sim);
  const voxo::api::time_window w{t0, t0 + 2h};
  const auto target = fixture::reports("tenantId=101", "2022-10-10%2000:00:00", "2022-10-10%2002:00:00");
  std::set<std::string> late_ids;
  for (const auto& r : f.sim->data().records(101, w))
    if (r.late && r.visible_at > f.now()) late_ids.insert(r.call->id);
  BOOST_REQUIRE(!late_ids.empty());
  auto before = ids_of(c.get(target, "portal-token").json());
  for (const auto& id : before) BOOST_TEST(!late_ids.contains(id));
  f.advance(301s);
  auto after = ids_of(c.get(target, "portal-token").json());
  BOOST_TEST(after == truth_ids(*f.sim, 101, w), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_quality_switch_changes_the_mos_of_later_calls_only) {
  auto o = fixture::defaults();
  o.data.to.reset();  // live
  fixture f(o);
  client c(*f.sim);
  const auto switched_at = f.now();
  BOOST_REQUIRE_EQUAL(c.send(http::verb::post, "/_sim/quality?tenantId=101&profile=bad").status, 200U);
  BOOST_TEST(c.send(http::verb::post, "/_sim/quality?tenantId=101&profile=ugly").status == 400U);
  f.advance(3h);
  std::size_t bad = 0, good = 0;
  for (const auto& call : f.sim->data().truth(101, {switched_at - 3h, switched_at + 2h})) {
    if (!call.mos || *call.mos == 0) continue;
    if (call.time >= switched_at) {
      ++bad;
      BOOST_TEST(*call.mos <= 3.5);
    } else {
      ++good;
      BOOST_TEST(*call.mos >= 4.0);
    }
  }
  BOOST_TEST(bad > 0U);
  BOOST_TEST(good > 0U);
}

BOOST_AUTO_TEST_CASE(a_big_reply_is_streamed_chunked_with_the_same_content) {
  auto o = fixture::defaults();
  o.stream_threshold = 0;
  fixture chunked(o);
  fixture whole;
  const auto target = fixture::reports("tenantId=101", "2022-10-10%2000:00:00", "2022-10-11%2000:00:00");
  client a(*chunked.sim), b(*whole.sim);
  auto ra = a.get(target, "portal-token");
  auto rb = b.get(target, "portal-token");
  BOOST_TEST(ra.header("transfer-encoding") == "chunked");
  BOOST_TEST(rb.header("content-length") == std::to_string(rb.body.size()));
  BOOST_TEST(ra.body == rb.body);
  BOOST_TEST(a.get(target, "portal-token").body == ra.body);  // the connection stays usable
}

BOOST_AUTO_TEST_CASE(an_empty_window_is_an_empty_array) {
  fixture f;
  client c(*f.sim);
  auto r = c.get(fixture::reports("tenantId=101", "2021-01-01%2000:00:00", "2021-01-02%2000:00:00"), "portal-token");
  BOOST_TEST(r.status == 200U);
  BOOST_TEST(r.body == "[]");
}

BOOST_AUTO_TEST_CASE(unknown_paths_give_404_and_wrong_methods_405) {
  fixture f;
  client c(*f.sim);
  auto r = c.get("/nothing-here");
  BOOST_TEST(r.status == 404U);
  BOOST_TEST(r.json().at("name").as_string() == "NotFound");
  BOOST_TEST(c.send(http::verb::post, "/call-reports").status == 405U);
  BOOST_TEST(c.get("/authentication").status == 405U);
}

BOOST_AUTO_TEST_CASE(requests_are_counted_per_path) {
  fixture f;
  client c(*f.sim);
  c.get("/tenants");
  c.get("/call-reports?tenantId=101");
  c.get("/call-reports?tenantId=102");
  BOOST_TEST(f.sim->request_count("/tenants") == 1U);
  BOOST_TEST(f.sim->request_count("/call-reports") == 2U);
  BOOST_TEST(f.sim->request_count("/authentication") == 0U);
}

// --- faults ---

struct fault_fixture : fixture {
  static simulator_options with(const std::string& text) {
    auto o = defaults();
    auto parsed = voxo::sim::parse_fault_schedule(text);
    BOOST_REQUIRE_MESSAGE(parsed, parsed.error());
    o.faults = *parsed;
    return o;
  }
  explicit fault_fixture(const std::string& text) : fixture(with(text)) {}
  std::string target = reports("tenantId=101", "2022-10-10%2000:00:00", "2022-10-10%2001:00:00");
};

BOOST_AUTO_TEST_CASE(fault_500_503_429_answer_once_on_their_request) {
  fault_fixture f("2:500,3:503/2,4:429/7");
  client c(*f.sim);
  BOOST_TEST(c.get(f.target, "portal-token").status == 200U);
  auto r500 = c.get(f.target, "portal-token");
  BOOST_TEST(r500.status == 500U);
  BOOST_TEST(r500.json().at("name").as_string() == "GeneralError");
  auto r503 = c.get(f.target, "portal-token");
  BOOST_TEST(r503.status == 503U);
  BOOST_TEST(r503.header("retry-after") == "2");
  auto r429 = c.get(f.target, "portal-token");
  BOOST_TEST(r429.status == 429U);
  BOOST_TEST(r429.header("retry-after") == "7");
  BOOST_TEST(c.get(f.target, "portal-token").status == 200U);
}

BOOST_AUTO_TEST_CASE(fault_html_and_empty_answer_200_with_a_useless_body) {
  fault_fixture f("1:html,2:empty");
  client c(*f.sim);
  auto html = c.get(f.target, "portal-token");
  BOOST_TEST(html.status == 200U);
  BOOST_TEST(html.header("content-type").find("text/html") == 0U);
  BOOST_TEST(html.body.find("<html>") != std::string::npos);
  auto empty = c.get(f.target, "portal-token");
  BOOST_TEST(empty.status == 200U);
  BOOST_TEST(empty.body.empty());
}

BOOST_AUTO_TEST_CASE(fault_401_refuses_a_valid_token_once_and_revokes_it) {
  fault_fixture f("1:401");
  client c(*f.sim);
  const auto token = f.login();
  BOOST_TEST(c.get(f.target, token).status == 401U);
  BOOST_TEST(c.get(f.target, token).status == 401U);
  BOOST_TEST(c.get(f.target, f.login()).status == 200U);
}

BOOST_AUTO_TEST_CASE(fault_slow_still_answers_correctly) {
  fault_fixture f("1:slow/0.2");
  client c(*f.sim);
  auto r = c.get(f.target, "portal-token");
  BOOST_TEST(r.status == 200U);
  BOOST_TEST(ids_of(r.json()) == truth_ids(*f.sim, 101, {t0, t0 + 1h}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(fault_reset_closes_without_an_answer) {
  fault_fixture f("1:reset");
  const auto raw =
      raw_exchange(*f.sim, "GET " + f.target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer portal-token\r\n\r\n");
  BOOST_TEST(raw.empty());
  client c(*f.sim);
  BOOST_TEST(c.get(f.target, "portal-token").status == 200U);
}

BOOST_AUTO_TEST_CASE(fault_truncate_sends_the_full_length_and_half_the_body) {
  fault_fixture f("1:truncate");
  const auto raw =
      raw_exchange(*f.sim, "GET " + f.target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer portal-token\r\n\r\n");
  const auto head_end = raw.find("\r\n\r\n");
  BOOST_REQUIRE(head_end != std::string::npos);
  const auto head = raw.substr(0, head_end);
  BOOST_TEST(head.find("HTTP/1.1 200") == 0U);
  const auto cl = head.find("Content-Length: ");
  BOOST_REQUIRE(cl != std::string::npos);
  const auto length = std::stoul(head.substr(cl + 16));
  const auto body = raw.substr(head_end + 4);
  BOOST_TEST(length > 100U);
  BOOST_TEST(body.size() == length / 2);
}

BOOST_AUTO_TEST_CASE(set_faults_applies_to_the_following_requests) {
  fixture f;
  client c(*f.sim);
  const auto target = fixture::reports("tenantId=101", "2022-10-10%2000:00:00", "2022-10-10%2001:00:00");
  BOOST_TEST(c.get(target, "portal-token").status == 200U);
  f.sim->set_faults(voxo::sim::fault_schedule{}.every(1, fault{fault_kind::internal_error, {}}));
  BOOST_TEST(c.get(target, "portal-token").status == 500U);
}

BOOST_AUTO_TEST_CASE(tls_mode_serves_with_a_certificate_that_verifies_against_the_ca) {
  auto o = fixture::defaults();
  o.tls = true;
  fixture f(o);
  BOOST_TEST(f.sim->base_url().rfind("https://127.0.0.1:", 0) == 0U);
  BOOST_REQUIRE(!f.sim->ca_cert_pem().empty());
  client c(*f.sim);
  auto r = c.get("/tenants", "portal-token");
  BOOST_TEST(r.status == 200U);
  BOOST_TEST(r.json().as_array().size() == 2U);
}

BOOST_AUTO_TEST_SUITE_END()

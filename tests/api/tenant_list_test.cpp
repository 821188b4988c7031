// GET /tenants against a hostile reply (issue #13): an entry with a lone surrogate, bad UTF-8 or
// a huge name is kept under a repaired label; nothing costs the list (which discovery of every
// tenant depends on).
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>

#include "api/detail/utf8.hpp"
#include "api/http_api_client.hpp"
#include "api/tenant_list.hpp"
#include "support/capture_stderr.hpp"
#include "support/fake_api_server.hpp"
#include "support/run_awaitable.hpp"
#include "support/temp_dir.hpp"

using namespace std::chrono_literals;
using namespace voxo::api;
using voxo::test::fake_api_server;

namespace {

struct fixture {
  boost::asio::io_context ioc;
  voxo::test::temp_dir dir;
  client_options options;
  fake_api_server server;
  fixture() {
    ::unsetenv("VOXO_TOKEN");
    options.token_file = dir.write("token", "t0k3n\n").string();
    options.timeout = 5s;
    options.url = server.base_url();
  }
  api_result<std::vector<tenant_info>> list(const std::string& body) {
    server.enqueue("/tenants", {200, body});
    auto client = make_http_api_client(ioc.get_executor(), options);
    return voxo::test::run_awaitable(ioc, client->list_tenants());
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(tenant_list_suite, fixture)

BOOST_AUTO_TEST_CASE(a_lone_surrogate_in_an_ignored_tenant_field_keeps_the_tenant) {
  const auto r = list(R"([{"id":37,"name":"Acme","notes":"cut \ud83d"},{"id":38,"name":"B","x":["\udc00"]}])");
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_REQUIRE(r->size() == 2u);
  BOOST_TEST((*r)[0].name == "Acme");
  BOOST_TEST((*r)[1].id == 38);
}

// Its calls are real: the tenant is polled, include/exclude see the name as sent, the label a
// repaired one (Prometheus refuses a scrape with invalid UTF-8 in a label value).
BOOST_AUTO_TEST_CASE(a_tenant_whose_name_holds_a_lone_surrogate_is_kept_under_a_repaired_label) {
  voxo::test::capture_stderr log;
  const auto r = list(R"([{"id":37,"name":"Acme \ud83d"},{"id":38,"name":"Globex \ud83d\ude00"}])");
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_REQUIRE(r->size() == 2u);
  BOOST_TEST((*r)[0].id == 37);
  BOOST_TEST(voxo::api::detail::is_valid_utf8((*r)[0].name));
  BOOST_TEST((*r)[0].name.starts_with("Acme \xEF\xBF\xBD"));
  BOOST_TEST((*r)[0].match_name().starts_with("Acme "));
  BOOST_TEST((*r)[0].match_name() != (*r)[0].name);
  BOOST_TEST((*r)[1].name == "Globex \xf0\x9f\x98\x80");
  BOOST_TEST((*r)[1].raw_name.empty());
  BOOST_TEST(log.text().find("shown repaired in voxo_tenant_info; the tenants are polled") != std::string::npos,
             log.text());
  BOOST_TEST(log.text().find("first_tenant=37") != std::string::npos, log.text());
}

BOOST_AUTO_TEST_CASE(a_tenant_whose_name_is_not_utf8_is_kept_with_each_bad_byte_replaced) {
  const auto r = list("[{\"id\":37,\"name\":\"Acme \xff\xfe!\"},{\"id\":38,\"name\":\"B\"}]");
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_REQUIRE(r->size() == 2u);
  BOOST_TEST((*r)[0].name == "Acme \xEF\xBF\xBD\xEF\xBF\xBD!");
  BOOST_TEST((*r)[0].match_name() == "Acme \xff\xfe!");
}

BOOST_AUTO_TEST_CASE(a_tenant_name_over_1024_bytes_is_kept_and_cut_for_its_label) {
  const auto r = list(R"([{"id":37,"name":")" + std::string(60 * 1024, 'a') + R"("},{"id":38,"name":")" +
                      std::string(1024, 'b') + R"("}])");
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_REQUIRE(r->size() == 2u);
  BOOST_TEST((*r)[0].name == std::string(1021, 'a') + "\xE2\x80\xA6");
  BOOST_TEST((*r)[0].match_name().size() == 60u * 1024);
  BOOST_TEST((*r)[1].name == std::string(1024, 'b'));  // at the limit: as sent
}

BOOST_AUTO_TEST_CASE(a_cut_name_never_splits_a_character) {
  const std::string name = std::string(1020, 'a') + "\xE2\x82\xAC\xE2\x82\xAC";  // 1026 bytes: two euro signs
  const std::string safe = voxo::api::label_safe_name(name);
  BOOST_TEST(safe == std::string(1020, 'a') + "\xE2\x80\xA6");
  BOOST_TEST(voxo::api::detail::is_valid_utf8(safe));
}

BOOST_AUTO_TEST_CASE(a_bad_time_zone_or_tenant_code_is_dropped_and_the_tenant_kept) {
  const auto r =
      list(R"([{"id":37,"name":"Acme","timeZone":"\ud800","tenantCode":")" + std::string(2000, 'c') + R"("}])");
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_REQUIRE(r->size() == 1u);
  BOOST_TEST((*r)[0].time_zone == "");
  BOOST_TEST((*r)[0].tenant_code == "");
}

BOOST_AUTO_TEST_SUITE_END()

// GET /tenants against a hostile reply (issue #13): one entry with a lone surrogate, bad UTF-8 or
// a huge name costs that entry, never the list (which discovery of every tenant depends on).
#include <boost/asio/io_context.hpp>
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <string>

#include "api/http_api_client.hpp"
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

BOOST_AUTO_TEST_CASE(a_tenant_whose_name_holds_a_lone_surrogate_is_skipped_with_a_warning) {
  voxo::test::capture_stderr log;
  const auto r = list(R"([{"id":37,"name":"Acme \ud83d"},{"id":38,"name":"Globex \ud83d\ude00"}])");
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_REQUIRE(r->size() == 1u);
  BOOST_TEST((*r)[0].id == 38);
  BOOST_TEST((*r)[0].name == "Globex \xf0\x9f\x98\x80");
  BOOST_TEST(log.text().find("skipped tenants whose name is not valid UTF-8") != std::string::npos, log.text());
  BOOST_TEST(log.text().find("first_tenant=37") != std::string::npos, log.text());
}

BOOST_AUTO_TEST_CASE(a_tenant_whose_name_is_not_utf8_is_skipped) {
  const auto r = list("[{\"id\":37,\"name\":\"Acme \xff\"},{\"id\":38,\"name\":\"B\"}]");
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_REQUIRE(r->size() == 1u);
  BOOST_TEST((*r)[0].id == 38);
}

BOOST_AUTO_TEST_CASE(a_tenant_name_over_1024_bytes_is_skipped) {
  const auto r = list(R"([{"id":37,"name":")" + std::string(60 * 1024, 'a') + R"("},{"id":38,"name":")" +
                      std::string(1024, 'b') + R"("}])");
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_REQUIRE(r->size() == 1u);
  BOOST_TEST((*r)[0].id == 38);
}

BOOST_AUTO_TEST_CASE(a_bad_time_zone_or_tenant_code_is_dropped_and_the_tenant_kept) {
  const auto r = list(R"([{"id":37,"name":"Acme","timeZone":"\ud800","tenantCode":")" + std::string(2000, 'c') +
                      R"("}])");
  BOOST_REQUIRE_MESSAGE(r.has_value(), (r ? "" : r.error().describe()));
  BOOST_REQUIRE(r->size() == 1u);
  BOOST_TEST((*r)[0].time_zone == "");
  BOOST_TEST((*r)[0].tenant_code == "");
}

BOOST_AUTO_TEST_SUITE_END()

#include <boost/test/unit_test.hpp>

#include <date/date.h>
#include <date/tz.h>

#include "api/query_string.hpp"
#include "api/record_time.hpp"

using namespace voxo::api;

namespace {

std::chrono::sys_seconds utc(int y, unsigned mo, unsigned d, int h) {
  return date::sys_days{date::year{y} / date::month{mo} / date::day{d}} + std::chrono::hours{h};
}

// 2022-10-10 00:00:00 .. 2022-10-11 00:00:00 in Chicago (CDT, UTC-5).
call_reports_query query(query_scope scope) {
  return call_reports_query{std::move(scope), time_window{utc(2022, 10, 10, 5), utc(2022, 10, 11, 5)}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(query_string)

BOOST_AUTO_TEST_CASE(percent_encode_keeps_only_unreserved_characters) {
  BOOST_TEST(percent_encode("AZaz09-._~") == "AZaz09-._~");
  BOOST_TEST(percent_encode("a b:c/d") == "a%20b%3Ac%2Fd");
  BOOST_TEST(percent_encode("&=+?#%") == "%26%3D%2B%3F%23%25");
  BOOST_TEST(percent_encode("") == "");
}

BOOST_AUTO_TEST_CASE(percent_encode_encodes_each_utf8_byte_in_uppercase_hex) {
  BOOST_TEST(percent_encode("\xC3\xA9") == "%C3%A9");  // é
  BOOST_TEST(percent_encode(std::string_view{"\0\xff", 2}) == "%00%FF");
}

BOOST_AUTO_TEST_CASE(tenant_query_has_tenant_id_and_encoded_window_and_zone) {
  BOOST_TEST(call_reports_target("", query(tenant_scope{37}), find_zone("America/Chicago")) ==
             "/call-reports?tenantId=37&start=2022-10-10%2000%3A00%3A00&end=2022-10-11%2000%3A00%3A00"
             "&timezone=America%2FChicago");
}

BOOST_AUTO_TEST_CASE(window_is_formatted_in_the_given_zone) {
  BOOST_TEST(call_reports_target("", query(tenant_scope{1}), find_zone("UTC")) ==
             "/call-reports?tenantId=1&start=2022-10-10%2005%3A00%3A00&end=2022-10-11%2005%3A00%3A00"
             "&timezone=UTC");
}

BOOST_AUTO_TEST_CASE(billing_code_is_percent_encoded) {
  BOOST_TEST(call_reports_target("", query(billing_code_scope{"A&B=C D\xC3\xA9"}), find_zone("UTC")) ==
             "/call-reports?billingCode=A%26B%3DC%20D%C3%A9&start=2022-10-10%2005%3A00%3A00"
             "&end=2022-10-11%2005%3A00%3A00&timezone=UTC");
}

BOOST_AUTO_TEST_CASE(partner_scope_sends_neither_tenant_id_nor_billing_code) {
  const auto target = call_reports_target("", query(partner_scope{}), find_zone("UTC"));
  BOOST_TEST(target == "/call-reports?start=2022-10-10%2005%3A00%3A00&end=2022-10-11%2005%3A00%3A00&timezone=UTC");
  BOOST_TEST(target.find("tenantId") == std::string::npos);
  BOOST_TEST(target.find("billingCode") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(base_path_is_prefixed) {
  const auto target = call_reports_target("/v2", query(tenant_scope{37}), find_zone("UTC"));
  BOOST_TEST(target.rfind("/v2/call-reports?tenantId=37&", 0) == 0);
}

BOOST_AUTO_TEST_CASE(base_path_trailing_slash_does_not_double) {
  BOOST_TEST(call_reports_target("/v2/", query(tenant_scope{37}), find_zone("UTC")).rfind("/v2/call-reports?", 0) == 0);
  BOOST_TEST(call_reports_target("/", query(tenant_scope{37}), find_zone("UTC")).rfind("/call-reports?", 0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

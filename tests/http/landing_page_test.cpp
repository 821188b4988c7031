#include <boost/test/unit_test.hpp>

#include <string>

#include "fakes.hpp"
#include "http/landing_page.hpp"

using namespace std::chrono_literals;
using voxo::http::landing_info;
using voxo::http::render_landing_page;
using voxo::http::tenant_view;
using voxo::http::test::tenant;

namespace {

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos; pos = haystack.find(needle, pos + 1)) ++n;
  return n;
}

// The <tr> for one tenant, located the way the page promises.
std::string row(const std::string& page, const std::string& escaped_label) {
  auto start = page.find("<tr data-tenant=\"" + escaped_label + "\">");
  if (start == std::string::npos) return {};
  return page.substr(start, page.find("</tr>", start) - start);
}

const std::chrono::sys_seconds t0 = std::chrono::sys_days{std::chrono::year{2024} / 5 / 6} + 7h + 8min + 9s;

}  // namespace

BOOST_AUTO_TEST_SUITE(landing_page)

BOOST_AUTO_TEST_CASE(hostile_tenant_names_are_escaped) {
  tenant_view evil = tenant("a\"b", "<script>alert('x')</script> & co");
  evil.last_error = "<img src=x onerror=1>";
  std::string page = render_landing_page({evil}, landing_info{"/metrics", t0, false});
  BOOST_TEST(page.find("<script>") == std::string::npos);
  BOOST_TEST(page.find("<img") == std::string::npos);
  BOOST_TEST(page.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co") != std::string::npos);
  BOOST_TEST(page.find("&lt;img src=x onerror=1&gt;") != std::string::npos);
  BOOST_TEST(!row(page, "a&quot;b").empty());
}

BOOST_AUTO_TEST_CASE(every_tenant_has_a_row_in_the_tenants_table) {
  std::vector<tenant_view> rows;
  for (int i = 0; i < 5; ++i) rows.push_back(tenant("t" + std::to_string(i)));
  std::string page = render_landing_page(rows, landing_info{"/metrics", t0, true});
  BOOST_TEST(count(page, "<table id=\"tenants\">") == 1u);
  BOOST_TEST(count(page, "<tr data-tenant=") == 5u);
  for (const auto& r : rows) BOOST_TEST(!row(page, r.label).empty(), r.label);
}

BOOST_AUTO_TEST_CASE(a_row_shows_counts_asr_mos_times_and_errors) {
  tenant_view t = tenant("37", "Acme");
  t.calls = 200;
  t.answered = 150;
  t.median_mos = 4.314;
  t.watermark = t0 - 2h - 3min;
  t.last_success = t0 - 42s;
  t.errors = 3;
  t.last_error = "HTTP 503";
  std::string r = row(render_landing_page({t}, landing_info{"/metrics", t0, true}), "37");
  BOOST_TEST(r.find("Acme") != std::string::npos);
  BOOST_TEST(r.find(">200<") != std::string::npos);
  BOOST_TEST(r.find("75.0%") != std::string::npos);
  BOOST_TEST(r.find("4.31") != std::string::npos);
  BOOST_TEST(r.find("2024-05-06T05:05:09Z") != std::string::npos);
  BOOST_TEST(r.find("2h 3m ago") != std::string::npos);
  BOOST_TEST(r.find("2024-05-06T07:07:27Z") != std::string::npos);
  BOOST_TEST(r.find("42s ago") != std::string::npos);
  BOOST_TEST(r.find(">3<") != std::string::npos);
  BOOST_TEST(r.find("HTTP 503") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_tenant_without_calls_or_polls_shows_dashes_not_nan) {
  std::string r = row(render_landing_page({tenant("new")}, landing_info{"/metrics", t0, false}), "new");
  BOOST_TEST(r.find(">nan") == std::string::npos);
  BOOST_TEST(r.find("nan%") == std::string::npos);
  BOOST_TEST(r.find("&mdash;") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_telemetry_path_link_is_escaped) {
  std::string page = render_landing_page({}, landing_info{"/m\"x", t0, true});
  BOOST_TEST(page.find("href=\"/m&quot;x\"") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

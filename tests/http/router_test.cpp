#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

#include "fakes.hpp"
#include "http/router.hpp"

namespace bhttp = boost::beast::http;
using voxo::http::handle_request;
using voxo::http::request;
using voxo::http::response;
using voxo::http::route_context;
using voxo::http::test::tenant;

namespace {

struct router_fixture {
  voxo::http::test::fake_exposition exposition;
  voxo::http::test::fake_status status;

  route_context context(std::string_view telemetry_path = "/metrics") {
    return route_context{&exposition, &status, telemetry_path, std::chrono::system_clock::now()};
  }

  response get(std::string target, bhttp::verb verb = bhttp::verb::get, std::string accept_encoding = {}) {
    request req{verb, target, 11};
    if (!accept_encoding.empty()) req.set(bhttp::field::accept_encoding, accept_encoding);
    return handle_request(req, context());
  }
};

std::string body(const response& res) { return res.body().str(); }

}  // namespace

BOOST_FIXTURE_TEST_SUITE(router, router_fixture)

BOOST_AUTO_TEST_CASE(metrics_serve_the_current_exposition_as_plain_text) {
  auto res = get("/metrics");
  BOOST_TEST(res.result_int() == 200);
  BOOST_TEST(res[bhttp::field::content_type] == "text/plain; version=0.0.4; charset=utf-8");
  BOOST_TEST(body(res) == exposition.current()->text());
  BOOST_TEST(res[bhttp::field::content_length] == std::to_string(exposition.current()->text().size()));
  BOOST_TEST(res.count(bhttp::field::content_encoding) == 0u);
  BOOST_TEST(res[bhttp::field::cache_control] == "no-store");
}

BOOST_AUTO_TEST_CASE(metrics_are_gzipped_when_the_client_accepts_gzip) {
  auto res = get("/metrics", bhttp::verb::get, "deflate, gzip");
  BOOST_TEST(res[bhttp::field::content_encoding] == "gzip");
  BOOST_TEST(res[bhttp::field::vary] == "Accept-Encoding");
  BOOST_TEST(voxo::http::test::gzip_decompress(body(res)) == exposition.current()->text());
}

BOOST_AUTO_TEST_CASE(the_gzip_body_is_one_member_and_its_length_exact) {
  exposition.set(std::string(5000, 'd') + "\n", "live 1\n");
  auto res = get("/metrics", bhttp::verb::get, "gzip");
  const auto gz = body(res);
  BOOST_TEST(res[bhttp::field::content_length] == std::to_string(gz.size()));
  BOOST_TEST(voxo::http::test::gzip_decompress(gz) == std::string(5000, 'd') + "\nlive 1\n");
}

BOOST_AUTO_TEST_CASE(a_plain_body_inflates_the_shared_data_part_instead_of_copying_its_text) {
  auto res = get("/metrics");
  const auto current = exposition.current();
  BOOST_TEST(res.body().inflated() == &*current->data->deflated);
  BOOST_TEST(res.body().part_count() == 1u);  // the live part
  BOOST_TEST(res.body().parts()[0].data() == current->live.data());
  BOOST_TEST(res.body().size() == current->text().size());
}

BOOST_AUTO_TEST_CASE(an_uncompressed_data_part_is_served_as_plain_text_to_gzip_clients) {
  auto e = std::make_shared<voxo::metrics::exposition>(*exposition.current());
  auto d = std::make_shared<voxo::metrics::exposition_data>(*e->data);
  d->text = d->plain_text();  // compression failed: the text is kept instead
  d->deflated.reset();
  e->data = d;
  struct fixed : voxo::metrics::exposition_source {
    std::shared_ptr<const voxo::metrics::exposition> e;
    std::shared_ptr<const voxo::metrics::exposition> current() override { return e; }
  } source;
  source.e = e;
  request req{bhttp::verb::get, "/metrics", 11};
  req.set(bhttp::field::accept_encoding, "gzip");
  auto ctx = context();
  ctx.exposition = &source;
  auto res = handle_request(req, ctx);
  BOOST_TEST(res.count(bhttp::field::content_encoding) == 0u);
  BOOST_TEST(!e->data->text.empty());
  BOOST_TEST(body(res) == e->text());
}

BOOST_AUTO_TEST_CASE(gzip_with_weight_zero_gets_plain_text) {
  auto res = get("/metrics", bhttp::verb::get, "gzip;q=0");
  BOOST_TEST(res.count(bhttp::field::content_encoding) == 0u);
  BOOST_TEST(body(res) == exposition.current()->text());
}

BOOST_AUTO_TEST_CASE(metrics_follow_the_latest_rendering) {
  exposition.set("voxo_up 0\n");
  BOOST_TEST(body(get("/metrics")) == "voxo_up 0\n");
}

BOOST_AUTO_TEST_CASE(a_query_string_does_not_change_the_route) {
  BOOST_TEST(get("/metrics?name[]=voxo_up").result_int() == 200);
}

BOOST_AUTO_TEST_CASE(the_telemetry_path_is_configurable) {
  request req{bhttp::verb::get, "/custom", 11};
  BOOST_TEST(handle_request(req, context("/custom")).result_int() == 200);
  req.target("/metrics");
  BOOST_TEST(handle_request(req, context("/custom")).result_int() == 404);
}

BOOST_AUTO_TEST_CASE(head_sends_the_get_headers_without_a_body) {
  for (const char* path : {"/metrics", "/", "/-/healthy"}) {
    auto full = get(path);
    auto head = get(path, bhttp::verb::head);
    BOOST_TEST(head.result_int() == 200);
    BOOST_TEST(head.body().empty());
    BOOST_TEST(head[bhttp::field::content_length] == full[bhttp::field::content_length], path);
    BOOST_TEST(head[bhttp::field::content_type] == full[bhttp::field::content_type]);
  }
}

BOOST_AUTO_TEST_CASE(head_with_gzip_keeps_the_gzip_length) {
  auto full = get("/metrics", bhttp::verb::get, "gzip");
  auto head = get("/metrics", bhttp::verb::head, "gzip");
  BOOST_TEST(head.body().empty());
  BOOST_TEST(head[bhttp::field::content_encoding] == "gzip");
  BOOST_TEST(head[bhttp::field::content_length] == full[bhttp::field::content_length]);
}

BOOST_AUTO_TEST_CASE(other_methods_get_405_with_allow) {
  for (auto verb : {bhttp::verb::post, bhttp::verb::put, bhttp::verb::delete_, bhttp::verb::options}) {
    auto res = get("/metrics", verb);
    BOOST_TEST(res.result_int() == 405);
    BOOST_TEST(res[bhttp::field::allow] == "GET, HEAD");
  }
}

BOOST_AUTO_TEST_CASE(unknown_paths_get_404) {
  BOOST_TEST(get("/nope").result_int() == 404);
  BOOST_TEST(get("/metrics/").result_int() == 404);
  BOOST_TEST(get("/-/").result_int() == 404);
}

BOOST_AUTO_TEST_CASE(healthy_answers_ok) {
  auto res = get("/-/healthy");
  BOOST_TEST(res.result_int() == 200);
  BOOST_TEST(body(res) == "OK\n");
}

BOOST_AUTO_TEST_CASE(ready_is_503_until_every_tenant_polled_then_200) {
  status.rows = {tenant("37"), tenant("38")};
  auto waiting = get("/-/ready");
  BOOST_TEST(waiting.result_int() == 503);
  BOOST_TEST(body(waiting) == "Not ready: waiting for the first poll of 2 tenants\n");

  status.rows[0].last_success = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  BOOST_TEST(body(get("/-/ready")) == "Not ready: waiting for the first poll of 1 tenants\n");

  status.is_ready = true;
  auto ready = get("/-/ready");
  BOOST_TEST(ready.result_int() == 200);
  BOOST_TEST(body(ready) == "Ready\n");
}

BOOST_AUTO_TEST_CASE(landing_page_is_html_with_links) {
  auto res = get("/");
  BOOST_TEST(res.result_int() == 200);
  BOOST_TEST(res[bhttp::field::content_type] == "text/html; charset=utf-8");
  BOOST_TEST(body(res).find("href=\"/metrics\"") != std::string::npos);
  BOOST_TEST(body(res).find("href=\"/-/ready\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(keep_alive_follows_the_request) {
  request req{bhttp::verb::get, "/-/healthy", 11};
  BOOST_TEST(handle_request(req, context()).keep_alive());
  req.keep_alive(false);
  BOOST_TEST(!handle_request(req, context()).keep_alive());
}

BOOST_AUTO_TEST_SUITE_END()

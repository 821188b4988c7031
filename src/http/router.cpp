#include "http/router.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "http/accept_encoding.hpp"
#include "http/landing_page.hpp"
#include "metrics/gzip.hpp"

namespace voxo::http {
namespace {

namespace bhttp = boost::beast::http;

constexpr std::string_view exposition_type = "text/plain; version=0.0.4; charset=utf-8";

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

// The gzip answer of one scrape: the shared data part's deflate stream, then the live part's
// (deflated here, small) with the trailer, which this keeps alive with the exposition.
struct gzip_answer {
  std::shared_ptr<const metrics::exposition> exposition;
  std::string tail;
};

response metrics_response(const request& req, const route_context& ctx) {
  auto current = ctx.exposition ? ctx.exposition->current() : nullptr;
  if (!current) return text_response(bhttp::status::service_unavailable, "No metrics rendered yet", req.version());
  response res{bhttp::status::ok, req.version()};
  res.set(bhttp::field::content_type, exposition_type);
  res.set(bhttp::field::vary, "Accept-Encoding");
  // No deflated data part (zlib failed): never send a gzip body, send the text.
  if (accepts_gzip(req[bhttp::field::accept_encoding])) {
    if (auto tail = current->gzip_tail()) {
      auto answer = std::make_shared<gzip_answer>(gzip_answer{current, std::move(*tail)});
      res.set(bhttp::field::content_encoding, "gzip");
      res.body().share(answer, metrics::gzip_header(), std::string_view(current->data->deflated->bytes),
                       std::string_view(answer->tail));
      return res;
    }
  }
  if (const auto& compressed = current->data->deflated)  // only kept compressed: inflated as it is sent
    res.body().share_inflated(current, *compressed, std::string_view(current->live));
  else res.body().share(current, std::string_view(current->data->text), std::string_view(current->live));
  return res;
}

response landing_response(const request& req, const route_context& ctx) {
  std::vector<tenant_view> tenants;
  bool ready = true;
  if (ctx.status) {
    tenants = ctx.status->tenants();
    ready = ctx.status->ready();
  }
  response res{bhttp::status::ok, req.version()};
  res.set(bhttp::field::content_type, "text/html; charset=utf-8");
  res.body().assign(render_landing_page(tenants, landing_info{ctx.telemetry_path, ctx.now, ready}));
  return res;
}

response ready_response(const request& req, const route_context& ctx) {
  if (!ctx.status || ctx.status->ready()) return text_response(bhttp::status::ok, "Ready", req.version());
  auto tenants = ctx.status->tenants();
  std::size_t waiting = 0;
  for (const auto& t : tenants)
    if (!t.last_success) ++waiting;
  if (waiting == 0) waiting = tenants.size();
  return text_response(bhttp::status::service_unavailable,
                       "Not ready: waiting for the first poll of " + std::to_string(waiting) + " tenants",
                       req.version());
}

response route(const request& req, const route_context& ctx) {
  std::string_view path = path_of(req.target());
  bool known = path == ctx.telemetry_path || path == "/" || path == "/-/healthy" || path == "/-/ready";
  if (!known) return text_response(bhttp::status::not_found, "404 page not found", req.version());
  if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head) {
    auto res = text_response(bhttp::status::method_not_allowed, "Method not allowed", req.version());
    res.set(bhttp::field::allow, "GET, HEAD");
    return res;
  }
  if (path == ctx.telemetry_path) return metrics_response(req, ctx);
  if (path == "/") return landing_response(req, ctx);
  if (path == "/-/healthy") return text_response(bhttp::status::ok, "OK", req.version());
  return ready_response(req, ctx);
}

}  // namespace

response text_response(bhttp::status status, std::string_view text, unsigned version) {
  response res{status, version};
  res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  res.body().assign(std::string(text) + "\n");
  res.prepare_payload();
  return res;
}

response handle_request(const request& req, const route_context& ctx) {
  response res = route(req, ctx);
  finalize_response(res, req);
  return res;
}

void finalize_response(response& res, const request& req) {
  res.set(bhttp::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  if (req.method() == bhttp::verb::head) {
    auto length = res.body().size();
    res.body().clear();
    res.content_length(length);
  }
}

}  // namespace voxo::http

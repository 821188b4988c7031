#include "api/http_api_client.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/version.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <optional>
#include <stdexcept>
#include <string>

#include "api/cdr_stream_parser.hpp"
#include "api/http_transport.hpp"
#include "api/query_string.hpp"
#include "api/record_time.hpp"
#include "api/tenant_list.hpp"
#include "api/token_provider.hpp"
#include "api/url.hpp"
#include "util/build_info.hpp"
#include "util/log.hpp"

namespace voxo::api {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace http = boost::beast::http;
namespace json = boost::json;
using detail::body_consumer;
using detail::http_reply;

constexpr std::uint64_t login_reply_limit = 1 << 20;

api_url parse_url_or_throw(const std::string& text) {
  auto url = parse_api_url(text);
  if (!url) throw std::runtime_error(url.error());
  return *url;
}

std::optional<ssl::context> make_tls_context(const api_url& url, const client_options& options) {
  if (!url.tls) return std::nullopt;
  std::optional<ssl::context> ctx(std::in_place, ssl::context::tls_client);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  boost::system::error_code ec;
  ctx->set_default_verify_paths(ec);
  if (ec) log::warn("cannot load the system trust store", {{"err", ec.message()}});
  if (options.ca_file) {
    ctx->load_verify_file(*options.ca_file, ec);
    if (ec)
      throw std::runtime_error("api.ca_file " + *options.ca_file + ": cannot load a PEM certificate: " + ec.message());
  }
  ctx->set_verify_mode(ssl::verify_peer);
  return ctx;
}

// A body into a string, refusing more than `limit` bytes.
body_consumer collect_into(std::string& out, std::uint64_t limit) {
  return [&out, limit](std::string_view piece) {
    if (out.size() + piece.size() > limit) return false;
    out.append(piece);
    return true;
  };
}

api_error status_error(const http_reply& reply, std::string_view what) {
  api_error e{api_errc::http_status,
              static_cast<int>(reply.status),
              {},
              std::string(what) + " answered HTTP " + std::to_string(reply.status)};
  if (reply.status == 429 || reply.status == 503) e.retry_after = reply.retry_after;
  return e;
}

std::string json_string(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

class http_api_client final : public api_client {
 public:
  http_api_client(net::any_io_executor executor, const client_options& options)
      : options_(options),
        url_(parse_url_or_throw(options.url)),
        zone_(find_zone(options.timezone)),
        record_zone_(options.record_timezone.empty() ? zone_ : find_zone(options.record_timezone)),
        tls_(make_tls_context(url_, options)),
        transport_(executor, url_, tls_ ? &*tls_ : nullptr, options.timeout, options.max_connections),
        tokens_(executor, credential_options{options.token_file, options.email, options.password_file, options.token},
                [this](const std::string& email, const secret& password) { return login(email, password); }) {}

  net::awaitable<api_result<fetch_summary>> fetch_call_reports(const call_reports_query& query,
                                                               record_sink& sink) override {
    try {
      auto length = query.window.end - query.window.start;
      if (length < std::chrono::seconds{0})
        co_return api_error{api_errc::bad_request, 0, {}, "window ends before it starts"};
      if (length > max_window(query.scope))
        co_return api_error{api_errc::bad_request,
                            0,
                            {},
                            "window of " + std::to_string(length.count()) + "s is over the API cap of " +
                                std::to_string(max_window(query.scope).count()) + "s"};
      std::string target = call_reports_target(url_.base_path, query, zone_);

      cdr_stream_parser parser(sink, record_zone_);
      bool rejected = false;
      body_consumer consume = [&](std::string_view piece) {
        if (parser.write(piece)) return true;
        rejected = true;
        return false;
      };
      auto reply = co_await authorized(http::verb::get, target, consume, options_.max_response_bytes);
      if (!reply) {
        api_error e = reply.error();
        if (rejected) e.message = "reply is not a JSON array of records: " + parser.error_message();
        co_return e;
      }
      if (reply->status / 100 != 2) co_return status_error(*reply, "GET /call-reports");
      if (!parser.finish())
        co_return api_error{
            api_errc::bad_payload, 0, {}, "reply is not a complete JSON array: " + parser.error_message()};
      co_return fetch_summary{static_cast<int>(reply->status), parser.records(), parser.invalid(), reply->body_bytes};
    } catch (const std::exception& e) {
      co_return api_error{api_errc::transport, 0, {}, std::string("GET /call-reports: unexpected error: ") + e.what()};
    }
  }

  net::awaitable<api_result<std::vector<tenant_info>>> list_tenants() override {
    try {
      std::string body;
      // Named locals, not temporaries of the co_await (g++ 12 may destroy those twice, issue #12).
      const std::string target = url_.base_path + "/tenants";
      const body_consumer consume = collect_into(body, options_.max_response_bytes);
      auto reply = co_await authorized(http::verb::get, target, consume, options_.max_response_bytes);
      if (!reply) co_return reply.error();
      if (reply->status / 100 != 2) co_return status_error(*reply, "GET /tenants");
      co_return parse_tenants(body);
    } catch (const std::exception& e) {
      co_return api_error{api_errc::transport, 0, {}, std::string("GET /tenants: unexpected error: ") + e.what()};
    }
  }

 private:
  http::request<http::string_body> make_request(http::verb verb, const std::string& target) const {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, url_.host_header());
    req.set(http::field::user_agent, "voxo_exporter/" + std::string(util::build_version()));
    req.set(http::field::accept, "application/json");
    req.set(http::field::accept_encoding, "identity");
    req.keep_alive(true);
    return req;
  }

  // Sends with the current token; on a 401 gets another token once and sends again.
  net::awaitable<api_result<http_reply>> authorized(http::verb verb, const std::string& target,
                                                    const body_consumer& consume, std::uint64_t max_body) {
    secret refused;
    for (int attempt = 0;; ++attempt) {
      // Not a ?: with two co_awaits: g++ 12 destroys the result twice.
      api_result<secret> token = api_error{};
      if (attempt == 0) token = co_await tokens_.token();
      else token = co_await tokens_.renew(refused);
      if (!token) co_return token.error();
      auto req = make_request(verb, target);
      req.set(http::field::authorization, "Bearer " + token->reveal());
      auto reply = co_await transport_.send(req, consume, max_body);
      if (!reply || reply->status != 401) co_return reply;
      if (attempt > 0)
        co_return api_error{api_errc::auth, 401, {}, "the API refused the token again after renewing it (HTTP 401)"};
      log::info("API token refused (HTTP 401); renewing it", {{"api", url_.origin()}});
      refused = *token;
    }
  }

  net::awaitable<api_result<secret>> login(const std::string& email, const secret& password) {
    try {
      auto req = make_request(http::verb::post, url_.base_path + "/authentication");
      req.set(http::field::content_type, "application/json");
      req.body() =
          json::serialize(json::object{{"strategy", "local"}, {"email", email}, {"password", password.reveal()}});
      req.prepare_payload();
      std::string body;
      const body_consumer consume = collect_into(body, login_reply_limit);  // named: see list_tenants()
      auto reply = co_await transport_.send(req, consume, login_reply_limit);
      std::fill(req.body().begin(), req.body().end(), '\0');  // don't leave the password around
      if (!reply) {
        api_error e = reply.error();
        e.message = "login: " + e.message;
        co_return e;
      }
      if (reply->status == 400 || reply->status == 401 || reply->status == 403)
        co_return api_error{
            api_errc::auth,
            static_cast<int>(reply->status),
            {},
            "login refused (HTTP " + std::to_string(reply->status) + "): check api.email and the password"};
      if (reply->status != 200 && reply->status != 201) co_return status_error(*reply, "POST /authentication");
      boost::system::error_code ec;
      json::value v = json::parse(body, ec);
      std::string token = !ec && v.is_object() ? json_string(v.as_object(), "accessToken") : std::string();
      if (token.empty()) co_return api_error{api_errc::auth, 0, {}, "login reply has no accessToken"};
      log::info("logged in to the VOXO API", {{"api", url_.origin()}});
      co_return secret(std::move(token));
    } catch (const std::exception& e) {
      co_return api_error{api_errc::auth, 0, {}, std::string("login: unexpected error: ") + e.what()};
    }
  }

  static api_result<std::vector<tenant_info>> parse_tenants(const std::string& body) {
    auto list = parse_tenant_list(body);
    if (!list) return list.error();
    if (list->without_id > 0)
      log::warn("GET /tenants: skipped entries without a usable id", {{"count", std::to_string(list->without_id)}});
    if (list->repaired_names > 0)
      log::warn(
          "GET /tenants: tenant names that are not valid UTF-8 (or hold a lone \\u surrogate) or are longer than " +
              std::to_string(max_tenant_name_bytes) +
              " bytes are shown repaired in voxo_tenant_info; the tenants are polled",
          {{"count", std::to_string(list->repaired_names)}, {"first_tenant", std::to_string(list->first_repaired_id)}});
    if (list->page_total > 0)
      log::warn("GET /tenants: the reply is one page of a longer list", {{"total", std::to_string(list->page_total)}});
    return std::move(list->tenants);
  }

  client_options options_;
  api_url url_;
  const date::time_zone* zone_;
  const date::time_zone* record_zone_;
  std::optional<ssl::context> tls_;
  detail::http_transport transport_;
  token_provider tokens_;
};

}  // namespace

std::unique_ptr<api_client> make_http_api_client(net::any_io_executor executor, const client_options& options) {
  return std::make_unique<http_api_client>(std::move(executor), options);
}

}  // namespace voxo::api

#include "sim/request_handler.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <stdexcept>
#include <vector>

#include "api/cdr.hpp"
#include "api/record_time.hpp"
#include "metrics/call_labels.hpp"
#include "util/log.hpp"

namespace voxo::sim {

namespace json = boost::json;
using std::chrono::sys_seconds;

namespace {

struct error_kind {
  unsigned status;
  std::string_view name;
  std::string_view class_name;
};

constexpr error_kind error_kinds[] = {
    {400, "BadRequest", "bad-request"},
    {401, "NotAuthenticated", "not-authenticated"},
    {404, "NotFound", "not-found"},
    {405, "MethodNotAllowed", "method-not-allowed"},
    {429, "TooManyRequests", "too-many-requests"},
    {500, "GeneralError", "general-error"},
    {503, "Unavailable", "unavailable"},
};

reply error_reply(unsigned status, std::string_view message) {
  reply r;
  r.status = status;
  r.body = feathers_error(status, message);
  return r;
}

reply json_reply(unsigned status, const json::value& v) {
  reply r;
  r.status = status;
  r.body = json::serialize(v);
  return r;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

using params = std::vector<std::pair<std::string, std::string>>;

std::optional<params> parse_query(std::string_view query) {
  params out;
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq));
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
    if (!key || !value) return std::nullopt;
    out.emplace_back(std::move(*key), std::move(*value));
  }
  return out;
}

const std::string* param(const params& p, std::string_view key) {
  for (const auto& [k, v] : p)
    if (k == key) return &v;
  return nullptr;
}

std::optional<long long> parse_integer(std::string_view s) {
  long long v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string_view bearer_token(std::string_view header) {
  constexpr std::string_view scheme = "bearer ";
  if (header.size() <= scheme.size()) return {};
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != scheme[i]) return {};
  header.remove_prefix(scheme.size());
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  return header;
}

const char* html_error_page =
    "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
    "<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n";

}  // namespace

std::string feathers_error(unsigned status, std::string_view message) {
  error_kind kind{status, "GeneralError", "general-error"};
  for (const auto& k : error_kinds)
    if (k.status == status) kind = k;
  json::object o;
  o["name"] = kind.name;
  o["message"] = message;
  o["code"] = status;
  o["className"] = kind.class_name;
  o["errors"] = json::object{};
  return json::serialize(o);
}

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_value(text[i + 1]), lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

request_handler::request_handler(settings s, dataset& data, token_store& tokens, fault_schedule faults, sim_clock clock)
    : settings_(std::move(s)), data_(data), tokens_(tokens), clock_(std::move(clock)), faults_(std::move(faults)) {}

void request_handler::set_faults(fault_schedule faults) {
  std::lock_guard lock(mutex_);
  faults_ = std::move(faults);
}

std::uint64_t request_handler::request_count(std::string_view path) const {
  std::lock_guard lock(mutex_);
  auto it = counts_.find(path);
  return it == counts_.end() ? 0 : it->second;
}

reply request_handler::handle(const request_view& req) {
  const auto q = req.target.find('?');
  const std::string_view path = req.target.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? std::string_view{} : req.target.substr(q + 1);
  std::uint64_t sequence = 0;
  std::optional<fault> injected;
  {
    std::lock_guard lock(mutex_);
    auto it = counts_.find(path);
    if (it == counts_.end()) it = counts_.emplace(std::string(path), 0).first;
    sequence = ++it->second;
    if (path == "/call-reports" && req.method == "GET") injected = faults_.for_request(sequence);
  }

  if (path == "/authentication")
    return req.method == "POST" ? authenticate(req) : error_reply(405, "Method not allowed");
  if (path == "/tenants") {
    if (req.method != "GET") return error_reply(405, "Method not allowed");
    if (auto denied = check_bearer(req)) return *denied;
    return tenants();
  }
  if (path == "/call-reports") {
    if (req.method != "GET") return error_reply(405, "Method not allowed");
    if (injected) {
      log::info("sim: injecting fault", {{"request", std::to_string(sequence)}, {"fault", describe(*injected)}});
      reply r;
      r.injected = injected;
      switch (injected->kind) {
        case fault_kind::internal_error: return error_reply(500, "Injected internal error");
        case fault_kind::unavailable:
        case fault_kind::rate_limited:
          r = error_reply(injected->kind == fault_kind::unavailable ? 503 : 429,
                          injected->kind == fault_kind::unavailable ? "Service unavailable" : "Too many requests");
          r.retry_after = std::chrono::duration_cast<std::chrono::seconds>(injected->arg);
          return r;
        case fault_kind::html:
          if (injected->status != 0) r.status = injected->status;
          r.content_type = "text/html";
          r.body = html_error_page;
          return r;
        case fault_kind::empty: return r;
        case fault_kind::status: return error_reply(injected->status, "Injected error");
        case fault_kind::bad_json:
          r.body = R"([{"id":"x","time":"10/10/22 23:07:20",)";  // complete, but not JSON
          return r;
        case fault_kind::unauthorized:
          tokens_.revoke(bearer_token(req.authorization));
          return error_reply(401, "jwt expired");
        case fault_kind::reset: return r;
        case fault_kind::slow:
        case fault_kind::truncate: break;  // the real answer, delayed or cut by the session
      }
    }
    reply r = [&] {
      if (auto denied = check_bearer(req)) return *denied;
      return call_reports(query);
    }();
    r.injected = injected;
    return r;
  }
  if (path == "/_sim/quality")
    return req.method == "POST" ? control_quality(query) : error_reply(405, "Method not allowed");
  if (path == "/_sim/truth") return req.method == "GET" ? control_truth(query) : error_reply(405, "Method not allowed");
  if (path == "/_sim/expire-tokens") {
    if (req.method != "POST") return error_reply(405, "Method not allowed");
    tokens_.revoke_all();
    return json_reply(200, json::object{{"expired", true}});
  }
  return error_reply(404, "Page not found");
}

std::optional<reply> request_handler::check_bearer(const request_view& req) {
  const auto token = bearer_token(req.authorization);
  if (token.empty()) return error_reply(401, "No auth token");
  if (!tokens_.valid(token, clock_())) return error_reply(401, "jwt expired or invalid");
  return std::nullopt;
}

reply request_handler::authenticate(const request_view& req) {
  boost::system::error_code ec;
  json::value body = json::parse(req.body, ec);
  if (ec || !body.is_object()) return error_reply(400, "Invalid JSON body");
  const auto& o = body.as_object();
  const auto* strategy = o.if_contains("strategy");
  if (!strategy || !strategy->is_string())
    return error_reply(400, "Invalid authentication information (no `strategy` set)");
  const auto now = clock_();

  std::string token;
  if (strategy->as_string() == "local") {
    const auto* email = o.if_contains("email");
    const auto* password = o.if_contains("password");
    if (!email || !password || !email->is_string() || !password->is_string())
      return error_reply(400, "Invalid authentication information (email and password required)");
    if (email->as_string() != settings_.email || password->as_string() != settings_.password)
      return error_reply(401, "Invalid login");
    token = tokens_.issue(now, settings_.token_lifetime);
  } else if (strategy->as_string() == "jwt") {
    const auto* access = o.if_contains("accessToken");
    if (!access || !access->is_string() || !tokens_.valid(access->as_string(), now))
      return error_reply(401, "Invalid authentication information");
    token = std::string(access->as_string());
  } else {
    return error_reply(401, "Invalid authentication information (strategy not allowed in authStrategies)");
  }

  json::array tenant_ids;
  for (const auto& t : data_.options().tenants) tenant_ids.push_back(t.id);
  json::object user;
  user["id"] = 1;
  user["email"] = settings_.email;
  user["tenantId"] = data_.options().tenants.empty() ? 0 : data_.options().tenants.front().id;
  user["userRole"] = 1;
  user["tenantIds"] = std::move(tenant_ids);
  user["timezone"] = "America/Chicago";
  json::object out;
  out["accessToken"] = token;
  out["authentication"] = json::object{{"strategy", strategy->as_string()}};
  out["user"] = std::move(user);
  return json_reply(201, out);
}

reply request_handler::tenants() {
  json::array out;
  for (const auto& t : data_.options().tenants)
    out.push_back(
        json::object{{"id", t.id}, {"name", t.name}, {"timeZone", t.time_zone}, {"tenantCode", t.billing_code}});
  return json_reply(200, out);
}

reply request_handler::call_reports(std::string_view query) {
  const auto p = parse_query(query);
  if (!p) return error_reply(400, "Malformed query string");
  const date::time_zone* zone = nullptr;
  const std::string* tz = param(*p, "timezone");
  try {
    zone = api::find_zone(tz && !tz->empty() ? std::string_view(*tz) : std::string_view("America/Chicago"));
  } catch (const std::exception&) {
    return error_reply(400, "Invalid timezone");
  }
  const std::string* start_text = param(*p, "start");
  const std::string* end_text = param(*p, "end");
  if (!start_text || !end_text) return error_reply(400, "start and end are required");
  const auto start = api::parse_query_time(*start_text, zone);
  const auto end = api::parse_query_time(*end_text, zone);
  if (!start || !end) return error_reply(400, "start and end must be YYYY-MM-DD HH:MM:SS");
  if (*end < *start) return error_reply(400, "end must not be before start");

  call_reports_plan plan;
  plan.window = {*start, *end};
  plan.now = clock_();
  if (const std::string* id_text = param(*p, "tenantId")) {
    const auto id = parse_integer(*id_text);
    if (!id) return error_reply(400, "tenantId must be an integer");
    if (!data_.find_tenant(*id)) return error_reply(404, "No record found for id '" + *id_text + "'");
    plan.tenant_ids = {*id};
  } else if (const std::string* code = param(*p, "billingCode")) {
    const tenant_spec* t = data_.find_billing_code(*code);
    if (!t) return error_reply(404, "No record found for billingCode '" + *code + "'");
    plan.tenant_ids = {t->id};
  } else {
    plan.partner_wide = true;
    for (const auto& t : data_.options().tenants) plan.tenant_ids.push_back(t.id);
  }
  const auto cap = plan.partner_wide ? api::max_window_partner : api::max_window_scoped;
  if (*end - *start > cap)
    return error_reply(400,
                       plan.partner_wide ? "Date range may not exceed 24 hours" : "Date range may not exceed 31 days");
  reply r;
  r.records = std::move(plan);
  return r;
}

reply request_handler::control_quality(std::string_view query) {
  const auto p = parse_query(query);
  if (!p) return error_reply(400, "Malformed query string");
  const std::string* id_text = param(*p, "tenantId");
  const std::string* profile = param(*p, "profile");
  const auto id = id_text ? parse_integer(*id_text) : std::nullopt;
  if (!id) return error_reply(400, "tenantId must be an integer");
  if (!data_.find_tenant(*id)) return error_reply(404, "No record found for id '" + *id_text + "'");
  if (!profile || (*profile != "bad" && *profile != "good")) return error_reply(400, "profile must be bad or good");
  const auto now = clock_();
  data_.switch_quality(*id, now, *profile == "bad" ? quality_profile::bad : quality_profile::good);
  log::info("sim: quality switched", {{"tenant", *id_text}, {"profile", *profile}});
  return json_reply(200,
                    json::object{{"tenantId", *id}, {"profile", *profile}, {"from", now.time_since_epoch().count()}});
}

namespace {

json::value optional_number(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value optional_flag(const std::optional<bool>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object truth_call(const api::cdr& c) {
  return {{"time", c.time.time_since_epoch().count()},
          {"direction", metrics::label(c.direction)},
          {"disposition", metrics::label(c.disposition)},
          {"duration", optional_number(c.duration)},
          {"afterAnswerDuration", optional_number(c.after_answer_duration)},
          {"mos", optional_number(c.mos)},
          {"percentJitter", optional_number(c.percent_jitter)},
          {"packetLoss", optional_number(c.packet_loss)},
          {"recorded", optional_flag(c.recorded)},
          {"queueCall", optional_flag(c.queue_call)}};
}

}  // namespace

reply request_handler::control_truth(std::string_view query) {
  const auto p = parse_query(query);
  if (!p) return error_reply(400, "Malformed query string");
  const std::string* id_text = param(*p, "tenantId");
  const auto id = id_text ? parse_integer(*id_text) : std::nullopt;
  if (!id) return error_reply(400, "tenantId must be an integer");
  const tenant_spec* tenant = data_.find_tenant(*id);
  if (!tenant) return error_reply(404, "No record found for id '" + *id_text + "'");
  const auto& o = data_.options();
  auto instant = [&](std::string_view key, sys_seconds fallback) -> std::optional<sys_seconds> {
    const std::string* text = param(*p, key);
    if (!text) return fallback;
    const auto v = parse_integer(*text);
    if (!v) return std::nullopt;
    return sys_seconds{std::chrono::seconds{*v}};
  };
  const auto start = instant("start", o.from);
  const auto end = instant("end", o.to ? std::min(*o.to, clock_()) : clock_());
  if (!start || !end) return error_reply(400, "start and end must be unix seconds");
  if (*end < *start) return error_reply(400, "end must not be before start");

  json::array calls;
  for (const auto& c : data_.truth(*id, {*start, *end})) calls.push_back(truth_call(c));
  return json_reply(200, json::object{{"tenantId", *id},
                                      {"billingCode", tenant->billing_code},
                                      {"start", start->time_since_epoch().count()},
                                      {"end", end->time_since_epoch().count()},
                                      {"calls", std::move(calls)}});
}

}  // namespace voxo::sim

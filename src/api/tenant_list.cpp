// The reply is read whole (it is small) by Boost.JSON with UTF-8 checks off, after the lone
// surrogate filter (detail/lone_surrogate_filter.hpp): so neither bad bytes nor a lone surrogate
// anywhere make the reply invalid, and the strings this exporter keeps are checked here instead.
// A skipped name's tenant is skipped, not kept under a repaired name: include/exclude decide on
// the name, and a repaired name (U+FFFD for what was cut) could slip past an exclude meant for
// it, so another replica or a tenant meant to be left alone would be polled; skipping shows in
// the log and leaves the tenant's series as they were.
#include "api/tenant_list.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <charconv>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "api/detail/lone_surrogate_filter.hpp"
#include "api/detail/utf8.hpp"

namespace voxo::api {
namespace {

namespace json = boost::json;

std::optional<long long> id_of(const json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<long long>::max()))
    return static_cast<long long>(v->get_uint64());
  if (v->is_string()) {
    long long id = 0;
    auto s = v->get_string();
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (ec == std::errc{} && end == s.data() + s.size()) return id;
  }
  return std::nullopt;
}

// A string field the exporter keeps, or "" when absent, not a string, not UTF-8 or too long.
std::string text_of(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (!v || !v->is_string()) return {};
  const std::string_view s = v->get_string();
  if (s.size() > max_tenant_name_bytes || !detail::is_valid_utf8(s)) return {};
  return std::string(s);
}

json::parse_options lenient_utf8() {
  json::parse_options opt;
  opt.allow_invalid_utf8 = true;  // checked per kept field instead
  return opt;
}

}  // namespace

api_result<tenant_list> parse_tenant_list(std::string_view body) {
  boost::system::error_code ec;
  const std::string text = detail::without_lone_surrogates(body);
  const json::value v = json::parse(text, ec, {}, lenient_utf8());
  if (ec) return api_error{api_errc::bad_payload, 0, {}, "GET /tenants: reply is not JSON: " + ec.message()};
  // Feathers may wrap a page as {"total", "limit", "skip", "data": [...]}.
  const json::array* items = v.if_array();
  if (!items && v.is_object())
    if (const json::value* data = v.as_object().if_contains("data")) items = data->if_array();
  if (!items) return api_error{api_errc::bad_payload, 0, {}, "GET /tenants: reply is not a JSON array"};
  tenant_list out;
  for (const json::value& item : *items) {
    const json::object* o = item.if_object();
    const auto id = o ? id_of(o->if_contains("id")) : std::nullopt;
    if (!id) {
      ++out.without_id;
      continue;
    }
    std::string name;
    if (const json::value* n = o->if_contains("name"); n && n->is_string()) {
      const std::string_view s = n->get_string();
      const bool too_long = s.size() > max_tenant_name_bytes;
      if (too_long || !detail::is_valid_utf8(s)) {
        ++(too_long ? out.long_name : out.invalid_name);
        if (out.first_skipped_id == 0) out.first_skipped_id = *id;
        continue;
      }
      name.assign(s);
    }
    // timeZone and tenantCode are informational: a bad one is dropped, the tenant kept.
    out.tenants.push_back(tenant_info{*id, std::move(name), text_of(*o, "timeZone"), text_of(*o, "tenantCode")});
  }
  if (v.is_object())
    if (const auto total = id_of(v.as_object().if_contains("total")); total && *total > static_cast<long long>(items->size()))
      out.page_total = *total;
  return out;
}

}  // namespace voxo::api

// The reply is read whole (it is small) by Boost.JSON with UTF-8 checks off, after the lone
// surrogate filter (detail/lone_surrogate_filter.hpp): so neither bad bytes nor a lone surrogate
// anywhere make the reply invalid, and the strings this exporter keeps are checked here instead.
// A bad name's tenant is kept, not skipped: its calls are real, and skipping it would lose them.
// include/exclude match the name as sent (raw_name), so a repaired label value cannot slip past
// an exclude meant for the tenant.
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

// The length of the valid UTF-8 sequence at the start of `s` (0: not one).
std::size_t utf8_char_length(std::string_view s) {
  const auto c = static_cast<unsigned char>(s[0]);
  const std::size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (n > s.size()) return 0;
  return detail::is_valid_utf8(s.substr(0, n)) ? n : 0;
}

}  // namespace

std::string label_safe_name(std::string_view raw) {
  if (raw.size() <= max_tenant_name_bytes && detail::is_valid_utf8(raw)) return std::string(raw);
  constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD
  constexpr std::string_view ellipsis = "\xE2\x80\xA6";     // U+2026
  std::string out;
  while (!raw.empty() && out.size() <= max_tenant_name_bytes) {  // beyond it, it is cut anyway
    const std::size_t n = utf8_char_length(raw);
    out += n ? raw.substr(0, n) : replacement;
    raw.remove_prefix(n ? n : 1);
  }
  if (out.size() <= max_tenant_name_bytes && raw.empty()) return out;
  std::size_t cut = max_tenant_name_bytes - ellipsis.size();
  while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;  // a character's start
  out.resize(cut);
  return out += ellipsis;
}

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
    tenant_info t{*id, {}, text_of(*o, "timeZone"), text_of(*o, "tenantCode"), {}};
    if (const json::value* n = o->if_contains("name"); n && n->is_string()) {
      const std::string_view raw = n->get_string();
      t.name = label_safe_name(raw);
      if (t.name != raw) {
        t.raw_name.assign(raw);
        ++out.repaired_names;
        if (out.first_repaired_id == 0) out.first_repaired_id = *id;
      }
    }
    out.tenants.push_back(std::move(t));
  }
  if (v.is_object())
    if (const auto total = id_of(v.as_object().if_contains("total"));
        total && *total > static_cast<long long>(items->size()))
      out.page_total = *total;
  return out;
}

}  // namespace voxo::api

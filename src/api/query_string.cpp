#include "api/query_string.hpp"

#include <date/tz.h>

#include <type_traits>

#include "api/record_time.hpp"

namespace voxo::api {
namespace {

constexpr bool unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

void append_param(std::string& out, std::string_view name, std::string_view value) {
  if (out.back() != '?') out += '&';
  out += name;
  out += '=';
  out += percent_encode(value);
}

}  // namespace

std::string percent_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c)) {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0x0F];
    }
  }
  return out;
}

std::string call_reports_target(std::string_view base_path, const call_reports_query& q, const date::time_zone* zone) {
  std::string out{base_path};
  // api.url may end in '/': never send "//call-reports".
  while (!out.empty() && out.back() == '/') out.pop_back();
  out += "/call-reports?";
  std::visit(
      [&out](const auto& scope) {
        using scope_type = std::decay_t<decltype(scope)>;
        if constexpr (std::is_same_v<scope_type, tenant_scope>) {
          append_param(out, "tenantId", std::to_string(scope.tenant_id));
        } else if constexpr (std::is_same_v<scope_type, billing_code_scope>) {
          append_param(out, "billingCode", scope.billing_code);
        }  // partner_scope: neither parameter, the API answers for the whole partner
      },
      q.scope);
  append_param(out, "start", format_query_time(q.window.start, zone));
  append_param(out, "end", format_query_time(q.window.end, zone));
  append_param(out, "timezone", zone->name());
  return out;
}

}  // namespace voxo::api

#include "http/accept_encoding.hpp"

#include <optional>

namespace voxo::http {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// A qvalue is 0 when every digit is 0 ("0", "0.", "0.000"). A malformed one counts as 1,
// as if the parameter were absent: being lenient only ever means sending gzip.
bool q_is_zero(std::string_view q) {
  q = trim(q);
  if (q.empty() || q.front() != '0') return false;
  for (char c : q.substr(1))
    if (c != '0' && c != '.') return false;
  return true;
}

// True when the parameters of one list element ("q=0;...") give it weight 0.
bool element_refused(std::string_view params) {
  while (!params.empty()) {
    auto semi = params.find(';');
    std::string_view param = trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    auto eq = param.find('=');
    if (eq == std::string_view::npos) continue;
    if (iequals(trim(param.substr(0, eq)), "q")) return q_is_zero(param.substr(eq + 1));
  }
  return false;
}

}  // namespace

bool accepts_gzip(std::string_view header) {
  std::optional<bool> gzip;
  std::optional<bool> wildcard;
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view element = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    auto semi = element.find(';');
    std::string_view coding = trim(element.substr(0, semi));
    bool refused = semi != std::string_view::npos && element_refused(element.substr(semi + 1));
    if (iequals(coding, "gzip") || iequals(coding, "x-gzip")) gzip = !refused;
    else if (coding == "*") wildcard = !refused;
  }
  if (gzip) return *gzip;
  return wildcard.value_or(false);
}

}  // namespace voxo::http

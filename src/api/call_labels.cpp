#include "api/call_labels.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace voxo::api {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

constexpr std::array<std::string_view, direction_count> direction_labels{"in", "out", "local", "internal",
                                                                         "other"};
constexpr std::array<std::string_view, disposition_count> disposition_labels{
    "answered", "no_answer", "busy", "failed", "congestion", "other"};

}  // namespace

call_direction parse_direction(std::string_view raw) noexcept {
  for (std::size_t i = 0; i + 1 < direction_count; ++i)
    if (iequals(raw, direction_labels[i])) return static_cast<call_direction>(i);
  return call_direction::other;
}

call_disposition parse_disposition(std::string_view raw) noexcept {
  // The API spells them ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION.
  static constexpr std::array<std::string_view, disposition_count - 1> api_spelling{
      "answered", "no answer", "busy", "failed", "congestion"};
  for (std::size_t i = 0; i < api_spelling.size(); ++i)
    if (iequals(raw, api_spelling[i])) return static_cast<call_disposition>(i);
  return call_disposition::other;
}

std::string_view label(call_direction d) noexcept { return direction_labels[static_cast<std::size_t>(d)]; }
std::string_view label(call_disposition d) noexcept {
  return disposition_labels[static_cast<std::size_t>(d)];
}

std::optional<std::string> account_label(std::string_view billing_id) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!billing_id.empty() && space(billing_id.front())) billing_id.remove_prefix(1);
  while (!billing_id.empty() && space(billing_id.back())) billing_id.remove_suffix(1);
  if (billing_id.empty() || billing_id.size() > max_account_label) return std::nullopt;
  std::string out(billing_id);
  bool meaningful = false;
  for (char& c : out) {
    if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
      meaningful = true;
    } else if (c != '.' && c != '-' && c != '_') {
      c = '_';
    }
  }
  if (!meaningful) return std::nullopt;
  return out;
}

}  // namespace voxo::api

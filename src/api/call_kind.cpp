#include "api/call_kind.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace voxo::api {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

call_direction parse_direction(std::string_view raw) noexcept {
  // The API spells them IN, OUT, LOCAL, INTERNAL.
  static constexpr std::array<std::string_view, direction_count - 1> api_spelling{"in", "out", "local", "internal"};
  for (std::size_t i = 0; i < api_spelling.size(); ++i)
    if (iequals(raw, api_spelling[i])) return static_cast<call_direction>(i);
  return call_direction::other;
}

call_disposition parse_disposition(std::string_view raw) noexcept {
  // The API spells them ANSWERED, NO ANSWER, BUSY, FAILED, CONGESTION.
  static constexpr std::array<std::string_view, disposition_count - 1> api_spelling{"answered", "no answer", "busy",
                                                                                    "failed", "congestion"};
  for (std::size_t i = 0; i < api_spelling.size(); ++i)
    if (iequals(raw, api_spelling[i])) return static_cast<call_disposition>(i);
  return call_disposition::other;
}

}  // namespace voxo::api

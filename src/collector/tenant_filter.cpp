#include "collector/tenant_filter.hpp"

#include <algorithm>

namespace voxo::collector {
namespace {
std::vector<std::regex> compile(const std::vector<std::string>& patterns) {
  std::vector<std::regex> out;
  out.reserve(patterns.size());
  for (const auto& p : patterns) out.emplace_back(p, std::regex::ECMAScript);
  return out;
}
bool any_matches(const std::vector<std::regex>& rs, const std::string& id, const std::string& name) {
  return std::any_of(rs.begin(), rs.end(),
                     [&](const std::regex& r) { return std::regex_match(id, r) || std::regex_match(name, r); });
}
}  // namespace

tenant_filter::tenant_filter(const std::vector<std::string>& include, const std::vector<std::string>& exclude)
    : include_(compile(include)), exclude_(compile(exclude)) {}

bool tenant_filter::accepts(const std::string& id, const std::string& name) const {
  if (!include_.empty() && !any_matches(include_, id, name)) return false;
  return !any_matches(exclude_, id, name);
}

}  // namespace voxo::collector

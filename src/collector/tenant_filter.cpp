#include "collector/tenant_filter.hpp"

#include <algorithm>
#include <stdexcept>

namespace voxo::collector {
namespace {
std::vector<util::full_match_regex> compile(const std::vector<std::string>& patterns) {
  std::vector<util::full_match_regex> out;
  out.reserve(patterns.size());
  for (const auto& p : patterns) {
    auto compiled = util::full_match_regex::compile(p);
    if (!compiled) throw std::invalid_argument("invalid regex \"" + p + "\": " + compiled.error());
    out.push_back(std::move(*compiled));
  }
  return out;
}
bool any_matches(const std::vector<util::full_match_regex>& rs, const std::string& id, const std::string& name) {
  return std::any_of(rs.begin(), rs.end(),
                     [&](const util::full_match_regex& r) { return r.matches(id) || r.matches(name); });
}
}  // namespace

tenant_filter::tenant_filter(const std::vector<std::string>& include, const std::vector<std::string>& exclude)
    : include_(compile(include)), exclude_(compile(exclude)) {}

bool tenant_filter::accepts(const std::string& id, const std::string& name) const {
  if (!include_.empty() && !any_matches(include_, id, name)) return false;
  return !any_matches(exclude_, id, name);
}

}  // namespace voxo::collector

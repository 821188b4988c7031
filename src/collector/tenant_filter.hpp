#pragma once
// Which discovered tenants to poll: discovery.include / discovery.exclude, ECMAScript regexes
// matched against the whole tenant id or the whole name (anchored, like Prometheus relabeling:
// "37" does not select 137). No include = every tenant; exclude wins over include.

#include <regex>
#include <string>
#include <vector>

namespace voxo::collector {

class tenant_filter {
 public:
  // Throws std::regex_error on a bad pattern (start-up only).
  tenant_filter(const std::vector<std::string>& include, const std::vector<std::string>& exclude);
  bool accepts(const std::string& id, const std::string& name) const;

 private:
  std::vector<std::regex> include_;
  std::vector<std::regex> exclude_;
};

}  // namespace voxo::collector

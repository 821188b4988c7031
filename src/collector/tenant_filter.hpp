#pragma once
// Which discovered tenants to poll: discovery.include / discovery.exclude, regexes in RE2 syntax
// (as in Prometheus) matched against the whole tenant id or the whole name (anchored, like
// Prometheus relabeling: "37" does not select 137). No include = every tenant; exclude wins over
// include. Matching takes time linear in the name, whatever the API sends (util/full_match_regex).

#include <string>
#include <vector>

#include "util/full_match_regex.hpp"

namespace voxo::collector {

class tenant_filter {
 public:
  // Throws std::invalid_argument on a bad pattern (start-up only; the config loader already
  // refused it with the key named).
  tenant_filter(const std::vector<std::string>& include, const std::vector<std::string>& exclude);
  bool accepts(const std::string& id, const std::string& name) const;

 private:
  std::vector<util::full_match_regex> include_;
  std::vector<util::full_match_regex> exclude_;
};

}  // namespace voxo::collector

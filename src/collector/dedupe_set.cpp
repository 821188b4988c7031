#include "collector/dedupe_set.hpp"

namespace voxo::collector {

bool dedupe_set::contains(std::string_view id) const { return ids_.find(id) != ids_.end(); }

void dedupe_set::insert(std::string id, std::chrono::sys_seconds time) {
  auto [it, inserted] = ids_.try_emplace(std::move(id), time);
  if (!inserted && it->second < time) it->second = time;
}

void dedupe_set::absorb(dedupe_set&& other) {
  ids_.merge(other.ids_);
  for (const auto& [id, t] : other.ids_) insert(id, t);  // only the ids both held
  other.ids_.clear();
}

std::size_t dedupe_set::prune_before(std::chrono::sys_seconds cutoff) {
  return std::erase_if(ids_, [cutoff](const auto& kv) { return kv.second < cutoff; });
}

}  // namespace voxo::collector

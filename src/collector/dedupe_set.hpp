#pragma once
// The ids of one tenant's records that a later window can still return, each with the
// time that bounds when it can be forgotten. Memory stays bounded: prune_before() drops
// ids no later window can return.

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace voxo::collector {

class dedupe_set {
 public:
  bool contains(std::string_view id) const;
  // Keeps the later time when the id is already known.
  void insert(std::string id, std::chrono::sys_seconds time);
  // Drops ids whose time is before `cutoff`; returns how many were dropped.
  std::size_t prune_before(std::chrono::sys_seconds cutoff);
  std::size_t size() const noexcept { return ids_.size(); }
  // Moves every id of `other` in (no copy of the strings); ids known to both keep the later time.
  void absorb(dedupe_set&& other);

  // For a state file: every (id, time).
  template <class F>
  void for_each(F&& f) const {
    for (const auto& [id, t] : ids_) f(id, t);
  }

 private:
  struct hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, std::chrono::sys_seconds, hash, std::equal_to<>> ids_;
};

}  // namespace voxo::collector

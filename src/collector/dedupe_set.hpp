#pragma once
// The ids of one tenant's records that a later window can still return, each with the
// time that bounds when it can be forgotten. Memory stays bounded: prune_before() drops
// ids no later window can return.
//
// VOXO ids are UUIDs: a canonical lowercase UUID is kept as its 128 bits (no string
// allocation on the hot path, ~3x less memory); any other id is kept as its exact string.
// Both are lossless, so de-duplication stays exact.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace voxo::collector {

class dedupe_set {
  struct uuid {
    std::uint64_t hi = 0, lo = 0;
    friend bool operator==(const uuid&, const uuid&) = default;
  };

 public:
  // An id parsed once, for checking several sets on the hot path. Borrows the id's text.
  struct key {
    std::optional<uuid> as_uuid;
    std::string_view text;
  };
  static key make_key(std::string_view id) noexcept { return {parse_uuid(id), id}; }

  bool contains(std::string_view id) const { return contains(make_key(id)); }
  bool contains(const key& k) const;
  // Keeps the later time when the id is already known.
  void insert(std::string_view id, std::chrono::sys_seconds time) { insert(make_key(id), time); }
  void insert(const key& k, std::chrono::sys_seconds time);
  // Drops ids whose time is before `cutoff`; returns how many were dropped.
  std::size_t prune_before(std::chrono::sys_seconds cutoff);
  std::size_t size() const noexcept { return uuids_.size() + others_.size(); }
  // Moves every id of `other` in; ids known to both keep the later time.
  void absorb(dedupe_set&& other);

  // For a state file: every (id, time), ids exactly as received.
  void for_each(const std::function<void(const std::string&, std::chrono::sys_seconds)>& f) const;

 private:
  struct uuid_hash {
    std::size_t operator()(const uuid& u) const noexcept { return u.hi ^ (u.lo * 0x9E3779B97F4A7C15ull); }
  };
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  static std::optional<uuid> parse_uuid(std::string_view id) noexcept;
  static std::string format_uuid(const uuid& u);

  std::unordered_map<uuid, std::chrono::sys_seconds, uuid_hash> uuids_;
  std::unordered_map<std::string, std::chrono::sys_seconds, string_hash, std::equal_to<>> others_;
};

}  // namespace voxo::collector

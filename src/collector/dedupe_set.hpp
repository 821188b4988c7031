#pragma once
// The ids of one tenant's records that a later window can still return, each with the
// time that bounds when it can be forgotten. Memory stays bounded: prune_before() drops
// ids no later window can return.
//
// VOXO ids are UUIDs: a canonical lowercase UUID is kept as its 128 bits in a flat
// open-addressing table (no allocation per id, 24 bytes a slot: a 1 GB reply's million ids
// stay in tens of MiB); any other id is kept as its exact string. Both are lossless, so
// de-duplication stays exact.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

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
  // Linear probing, power-of-two capacity, at most 7/8 full. The all-zero UUID marks an
  // empty slot, so that one id is kept aside.
  class uuid_table {
   public:
    bool contains(const uuid& u) const noexcept;
    // The stored time and whether `u` was new (then its time is `t`).
    std::pair<std::chrono::sys_seconds*, bool> try_emplace(const uuid& u, std::chrono::sys_seconds t);
    std::size_t size() const noexcept { return size_ + (zero_ ? 1 : 0); }
    std::size_t erase_before(std::chrono::sys_seconds cutoff);
    void clear() noexcept;
    template <class F>
    void for_each(F&& f) const {
      if (zero_) f(uuid{}, zero_time_);
      for (const auto& s : slots_)
        if (!empty(s)) f(uuid{s.hi, s.lo}, s.time);
    }

   private:
    struct slot {
      std::uint64_t hi = 0, lo = 0;
      std::chrono::sys_seconds time{};
    };
    static bool empty(const slot& s) noexcept { return (s.hi | s.lo) == 0; }
    std::size_t home(std::uint64_t hi, std::uint64_t lo) const noexcept;
    std::size_t find(std::uint64_t hi, std::uint64_t lo) const noexcept;  // its slot, or the empty one it goes to
    void grow();

    std::vector<slot> slots_;
    std::size_t size_ = 0;  // occupied slots
    int shift_ = 64;        // 64 - log2(capacity)
    bool zero_ = false;
    std::chrono::sys_seconds zero_time_{};
  };
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  static std::optional<uuid> parse_uuid(std::string_view id) noexcept;
  static std::string format_uuid(const uuid& u);

  uuid_table uuids_;
  std::unordered_map<std::string, std::chrono::sys_seconds, string_hash, std::equal_to<>> others_;
};

}  // namespace voxo::collector

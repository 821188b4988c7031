#pragma once
// The ids of one tenant's records that a later window can still return, each with the
// time that bounds when it can be forgotten. Memory stays bounded: prune_before() drops
// ids no later window can return.
//
// VOXO ids are UUIDs: a canonical lowercase UUID is kept as its 128 bits in an
// open-addressing table of 20-byte slots (no allocation per id); any other id is kept as its
// exact string. Both are lossless, so de-duplication stays exact. A large table is split into
// segments that grow one at a time, so growing never holds a second copy of the whole table
// (a 1 GB reply's 1.3 M ids take about 34 MiB, with no transient peak on top).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
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
  // Starts loading where `k` would be, so a lookup that follows soon does not wait for memory.
  void prefetch(const key& k) const noexcept {
    if (k.as_uuid) uuids_.prefetch(*k.as_uuid);
  }
  // Keeps the later time when the id is already known.
  void insert(std::string_view id, std::chrono::sys_seconds time) { insert(make_key(id), time); }
  void insert(const key& k, std::chrono::sys_seconds time);
  // Adds the id when it is new (true); a known id keeps its time (false). One probe, not two.
  bool insert_new(const key& k, std::chrono::sys_seconds time);
  // Drops ids whose time is before `cutoff`; returns how many were dropped.
  std::size_t prune_before(std::chrono::sys_seconds cutoff);
  std::size_t size() const noexcept { return uuids_.size() + others_.size(); }
  // Moves every id of `other` in; ids known to both keep the later time.
  void absorb(dedupe_set&& other);

  // For a state file: every (id, time), ids exactly as received.
  void for_each(const std::function<void(const std::string&, std::chrono::sys_seconds)>& f) const;
  // The same without a string per id (a state file of a million ids is written from this): a
  // UUID's text lives in a buffer that is only valid during the call. Same order as for_each.
  template <class F>
  void for_each_view(F&& f) const {
    char text[36];
    uuids_.for_each([&](const uuid& u, std::chrono::sys_seconds t) {
      format_uuid(u, text);
      f(std::string_view(text, sizeof text), t);
    });
    for (const auto& [id, t] : others_) f(std::string_view(id), t);
  }

 private:
  // Linear probing in segments, at most 7/8 full. A small table is one segment; past
  // `split_slots` it becomes `segment_count` segments chosen by the hash's top bits, each
  // growing by half on its own. The all-zero UUID marks an empty slot, so that id is kept aside.
  // Times are stored as unsigned 32-bit unix seconds: a time before 1970 reads as 1970 (kept
  // longer, never shorter); one after 2106 as 2106.
  class uuid_table {
   public:
    uuid_table() = default;
    uuid_table(uuid_table&&) noexcept = default;
    uuid_table& operator=(uuid_table&&) noexcept = default;
    uuid_table(const uuid_table& other);  // a deep copy (20 bytes per slot, no string per id)
    uuid_table& operator=(const uuid_table& other);

    bool contains(const uuid& u) const noexcept;
    void prefetch(const uuid& u) const noexcept {
      if (segments_.empty()) return;
      const std::uint64_t h = hash(u);
      const segment& seg = segment_of(h);
      __builtin_prefetch(&seg.slots[home(seg, h)]);
    }
    // The stored time and whether `u` was new (then its time is `t`).
    std::pair<std::uint32_t*, bool> try_emplace(const uuid& u, std::chrono::sys_seconds t);
    std::size_t size() const noexcept { return size_ + (zero_ ? 1 : 0); }
    std::size_t erase_before(std::chrono::sys_seconds cutoff);
    void clear() noexcept;
    // Calls f(uuid, time) for every entry, emptying the table as it goes (memory is given back
    // segment by segment, so moving into another table never holds both whole).
    template <class F>
    void drain(F&& f) {
      if (zero_) f(uuid{}, from_stored(zero_time_));
      for (auto& seg : segments_) {
        for (std::uint32_t i = 0; i < seg.capacity; ++i)
          if (!empty(seg.slots[i])) f(load(seg.slots[i]), from_stored(seg.slots[i].time));
        seg = {};
      }
      clear();
    }
    template <class F>
    void for_each(F&& f) const {
      if (zero_) f(uuid{}, from_stored(zero_time_));
      for (const auto& seg : segments_)
        for (std::uint32_t i = 0; i < seg.capacity; ++i)
          if (!empty(seg.slots[i])) f(load(seg.slots[i]), from_stored(seg.slots[i].time));
    }
    static std::uint32_t to_stored(std::chrono::sys_seconds t) noexcept;
    static std::chrono::sys_seconds from_stored(std::uint32_t t) noexcept { return std::chrono::sys_seconds{std::chrono::seconds{t}}; }

   private:
    struct slot {
      std::uint32_t id[4];  // the UUID's bytes, hi then lo, native order (see load/store)
      std::uint32_t time;
    };
    struct segment {
      std::unique_ptr<slot[]> slots;
      std::uint32_t capacity = 0;
      std::uint32_t size = 0;
    };
    static constexpr std::uint32_t split_slots = 4096;
    static constexpr std::size_t segment_count = 256;

    static bool empty(const slot& s) noexcept { return (s.id[0] | s.id[1] | s.id[2] | s.id[3]) == 0; }
    static uuid load(const slot& s) noexcept;
    static void store(slot& s, const uuid& u, std::uint32_t time) noexcept;
    static std::uint64_t hash(const uuid& u) noexcept {
      // Both halves mixed into every bit: the top 8 bits pick the segment, the low 32 the slot.
      std::uint64_t h = u.hi ^ (u.lo * 0x9E3779B97F4A7C15ull);
      h ^= h >> 32;
      h *= 0xD6E8FEB86659FD93ull;
      h ^= h >> 32;
      return h;
    }
    // The low 32 bits scaled to the capacity (any capacity, not only powers of two).
    static std::uint32_t home(const segment& seg, std::uint64_t h) noexcept {
      return static_cast<std::uint32_t>(((h & 0xFFFFFFFFull) * seg.capacity) >> 32);
    }
    segment& segment_of(std::uint64_t h) noexcept { return segments_[segments_.size() == 1 ? 0 : h >> 56]; }
    const segment& segment_of(std::uint64_t h) const noexcept {
      return segments_[segments_.size() == 1 ? 0 : h >> 56];
    }
    // Its slot, or the empty one it goes to.
    static std::uint32_t find(const segment& seg, const uuid& u, std::uint64_t h) noexcept;
    static void place(segment& seg, const slot& s);  // into a segment known to have room
    static void resize(segment& seg, std::uint32_t capacity);
    static std::size_t erase_before(segment& seg, std::uint32_t cutoff);
    void split();

    std::vector<segment> segments_;  // empty, one, or segment_count
    std::size_t size_ = 0;           // occupied slots
    bool zero_ = false;
    std::uint32_t zero_time_ = 0;
  };
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  static std::optional<uuid> parse_uuid(std::string_view id) noexcept;
  static std::string format_uuid(const uuid& u);
  static void format_uuid(const uuid& u, char* out) noexcept;  // 36 chars, no terminator

  uuid_table uuids_;
  std::unordered_map<std::string, std::chrono::sys_seconds, string_hash, std::equal_to<>> others_;
};

}  // namespace voxo::collector

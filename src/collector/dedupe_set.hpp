#pragma once
// The ids of one tenant's records that a later window can still return, each with the
// latest time it was seen with (which bounds when it can be forgotten: an API that revises a
// record may move its time, and the id must stay while any window can return it) and a
// fingerprint of the values it was last seen with (see counted_fingerprint() in
// window_batch.hpp: a record that comes back changed is a revision). Memory stays bounded:
// prune_before() drops ids no later window can return.
//
// VOXO ids are UUIDs: a canonical lowercase UUID is kept as its 128 bits in an
// open-addressing table of 24-byte slots (id, time, fingerprint; no allocation per id); any
// other id is kept as its exact string. Both are lossless, so de-duplication stays exact. A
// large table is split into segments that grow one at a time, so growing never holds a second
// copy of the whole table (a 1 GB reply's 1.3 M ids take about 40 MiB, with no transient peak
// on top).

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
  // 32 bits of a hash of a record's counted values. 0 is reserved: unknown (ids loaded from a
  // state file of version 2 or older); an unknown fingerprint never makes a revision.
  using fingerprint = std::uint32_t;
  static constexpr fingerprint unknown_fingerprint = 0;
  struct entry {
    std::chrono::sys_seconds time{};
    fingerprint print = unknown_fingerprint;
    friend bool operator==(const entry&, const entry&) = default;
  };
  // True when `now` is a revision of what was seen `before`: both known and different.
  static bool revised(fingerprint before, fingerprint now) noexcept {
    return before != unknown_fingerprint && now != unknown_fingerprint && before != now;
  }

  // An id parsed once, for checking several sets on the hot path. Borrows the id's text.
  struct key {
    std::optional<uuid> as_uuid;
    std::string_view text;
  };
  static key make_key(std::string_view id) noexcept { return {parse_uuid(id), id}; }

  bool contains(std::string_view id) const { return contains(make_key(id)); }
  bool contains(const key& k) const;
  // The id's latest time and fingerprint, when known.
  std::optional<entry> find(const key& k) const;
  // Starts loading where `k` would be, so a lookup that follows soon does not wait for memory.
  void prefetch(const key& k) const noexcept {
    if (k.as_uuid) uuids_.prefetch(*k.as_uuid);
  }
  // A known id keeps the later time and takes `print` unless that is unknown.
  void insert(std::string_view id, std::chrono::sys_seconds time, fingerprint print = unknown_fingerprint) {
    insert(make_key(id), {time, print});
  }
  void insert(const key& k, entry e) { upsert(k, e); }
  // The same, returning what the id had before (nullopt: it was new). One probe, not two.
  std::optional<entry> upsert(const key& k, entry e);
  // Adds the id when it is new (true); a known id keeps its time and fingerprint (false).
  bool insert_new(const key& k, std::chrono::sys_seconds time, fingerprint print = unknown_fingerprint);
  // Drops ids whose time is before `cutoff`; returns how many were dropped.
  std::size_t prune_before(std::chrono::sys_seconds cutoff);
  std::size_t size() const noexcept { return uuids_.size() + others_.size(); }
  // Moves every id of `other` in; ids known to both keep the later time and take the
  // fingerprint of `other` unless that is unknown (`other` holds what was seen since).
  void absorb(dedupe_set&& other);

  // Every (id, time), ids exactly as received.
  void for_each(const std::function<void(const std::string&, std::chrono::sys_seconds)>& f) const;
  // f(id, time, fingerprint) without a string per id (a state file of a million ids is
  // written from this): a UUID's text lives in a buffer that is only valid during the call.
  // Same order as for_each.
  template <class F>
  void for_each_view(F&& f) const {
    char text[36];
    uuids_.for_each([&](const uuid& u, value v) {
      format_uuid(u, text);
      f(std::string_view(text, sizeof text), uuid_table::from_stored(v.time), v.print);
    });
    for (const auto& [id, e] : others_) f(std::string_view(id), e.time, e.print);
  }

 private:
  // Linear probing in segments, at most 7/8 full. A small table is one segment; past
  // `split_slots` it becomes `segment_count` segments chosen by the hash's top bits, each
  // growing by half on its own. The all-zero UUID marks an empty slot, so that id is kept aside.
  // Times are stored as unsigned 32-bit unix seconds: a time before 1970 reads as 1970 (kept
  // longer, never shorter); one after 2106 as 2106.
  struct value {
    std::uint32_t time;
    fingerprint print;
  };
  class uuid_table {
   public:
    uuid_table() = default;
    uuid_table(uuid_table&&) noexcept = default;
    uuid_table& operator=(uuid_table&&) noexcept = default;
    uuid_table(const uuid_table& other);  // a deep copy (24 bytes per slot, no string per id)
    uuid_table& operator=(const uuid_table& other);

    bool contains(const uuid& u) const noexcept;
    void prefetch(const uuid& u) const noexcept {
      if (segments_.empty()) return;
      const std::uint64_t h = hash(u);
      const segment& seg = segment_of(h);
      __builtin_prefetch(&seg.slots[home(seg, h)]);
    }
    // The stored value (null when absent).
    const value* find(const uuid& u) const noexcept;
    // The stored value and whether `u` was new (then it holds `v`).
    std::pair<value*, bool> try_emplace(const uuid& u, value v);
    std::size_t size() const noexcept { return size_ + (zero_ ? 1 : 0); }
    std::size_t erase_before(std::chrono::sys_seconds cutoff);
    void clear() noexcept;
    // Calls f(uuid, value) for every entry, emptying the table as it goes (memory is given back
    // segment by segment, so moving into another table never holds both whole).
    template <class F>
    void drain(F&& f) {
      if (zero_) f(uuid{}, zero_value_);
      for (auto& seg : segments_) {
        for (std::uint32_t i = 0; i < seg.capacity; ++i)
          if (!empty(seg.slots[i])) f(load(seg.slots[i]), seg.slots[i].v);
        seg = {};
      }
      clear();
    }
    template <class F>
    void for_each(F&& f) const {
      if (zero_) f(uuid{}, zero_value_);
      for (const auto& seg : segments_)
        for (std::uint32_t i = 0; i < seg.capacity; ++i)
          if (!empty(seg.slots[i])) f(load(seg.slots[i]), seg.slots[i].v);
    }
    static std::uint32_t to_stored(std::chrono::sys_seconds t) noexcept;
    static std::chrono::sys_seconds from_stored(std::uint32_t t) noexcept {
      return std::chrono::sys_seconds{std::chrono::seconds{t}};
    }

   private:
    struct slot {
      std::uint32_t id[4];  // the UUID's bytes, hi then lo, native order (see load/store)
      value v;
    };
    static_assert(sizeof(slot) == 24);
    struct segment {
      std::unique_ptr<slot[]> slots;
      std::uint32_t capacity = 0;
      std::uint32_t size = 0;
    };
    static constexpr std::uint32_t split_slots = 4096;
    static constexpr std::size_t segment_count = 256;

    static bool empty(const slot& s) noexcept { return (s.id[0] | s.id[1] | s.id[2] | s.id[3]) == 0; }
    static uuid load(const slot& s) noexcept;
    static void store(slot& s, const uuid& u, value v) noexcept;
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
    const segment& segment_of(std::uint64_t h) const noexcept { return segments_[segments_.size() == 1 ? 0 : h >> 56]; }
    // Its slot, or the empty one it goes to.
    static std::uint32_t find(const segment& seg, const uuid& u, std::uint64_t h) noexcept;
    static void place(segment& seg, const slot& s);  // into a segment known to have room
    static void resize(segment& seg, std::uint32_t capacity);
    static std::size_t erase_before(segment& seg, std::uint32_t cutoff);
    void split();

    std::vector<segment> segments_;  // empty, one, or segment_count
    std::size_t size_ = 0;           // occupied slots
    bool zero_ = false;
    value zero_value_{};
  };
  struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  static std::optional<uuid> parse_uuid(std::string_view id) noexcept;
  static std::string format_uuid(const uuid& u);
  static void format_uuid(const uuid& u, char* out) noexcept;  // 36 chars, no terminator

  uuid_table uuids_;
  std::unordered_map<std::string, entry, string_hash, std::equal_to<>> others_;
};

}  // namespace voxo::collector

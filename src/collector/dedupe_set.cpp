#include "collector/dedupe_set.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

namespace voxo::collector {

namespace {
// Hex digit values; 0xFF for anything else (uppercase too: "A" and "a" are different ids to us).
constexpr std::array<std::uint8_t, 256> hex_values = [] {
  std::array<std::uint8_t, 256> t{};
  t.fill(0xFF);
  for (int c = '0'; c <= '9'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - '0');
  for (int c = 'a'; c <= 'f'; ++c) t[static_cast<std::size_t>(c)] = static_cast<std::uint8_t>(c - 'a' + 10);
  return t;
}();
bool is_dash_position(std::size_t i) noexcept { return i == 8 || i == 13 || i == 18 || i == 23; }

// Decodes `n` hex digits into `out`; false on a non-digit. Branch-free inside: this runs per record.
bool read_hex(const char* p, int n, std::uint64_t& out) noexcept {
  std::uint8_t bad = 0;
  for (int i = 0; i < n; ++i) {
    const std::uint8_t v = hex_values[static_cast<unsigned char>(p[i])];
    bad |= v;
    out = (out << 4) | (v & 0xF);
  }
  return (bad & 0xF0) == 0;
}
}  // namespace

std::optional<dedupe_set::uuid> dedupe_set::parse_uuid(std::string_view id) noexcept {
  // 8-4-4-4-12: hi = the first 16 digits, lo = the last 16.
  if (id.size() != 36) return std::nullopt;
  const char* p = id.data();
  if (p[8] != '-' || p[13] != '-' || p[18] != '-' || p[23] != '-') return std::nullopt;
  uuid u;
  const bool ok = read_hex(p, 8, u.hi) & read_hex(p + 9, 4, u.hi) & read_hex(p + 14, 4, u.hi) &
                  read_hex(p + 19, 4, u.lo) & read_hex(p + 24, 12, u.lo);
  if (!ok) return std::nullopt;
  return u;
}

void dedupe_set::format_uuid(const uuid& u, char* out) noexcept {
  static constexpr char digits[] = "0123456789abcdef";
  int nibble = 0;
  for (std::size_t i = 0; i < 36; ++i) {
    if (is_dash_position(i)) {
      out[i] = '-';
      continue;
    }
    const auto half = nibble < 16 ? u.hi : u.lo;
    const int shift = 4 * (15 - (nibble % 16));
    out[i] = digits[(half >> shift) & 0xF];
    ++nibble;
  }
}

std::string dedupe_set::format_uuid(const uuid& u) {
  std::string out(36, '\0');
  format_uuid(u, out.data());
  return out;
}

dedupe_set::uuid_table::uuid_table(const uuid_table& other)
    : size_(other.size_), zero_(other.zero_), zero_value_(other.zero_value_) {
  segments_.resize(other.segments_.size());
  for (std::size_t k = 0; k < segments_.size(); ++k) {
    const segment& from = other.segments_[k];
    segment& to = segments_[k];
    to.capacity = from.capacity;
    to.size = from.size;
    to.slots = std::make_unique_for_overwrite<slot[]>(from.capacity);
    std::copy_n(from.slots.get(), from.capacity, to.slots.get());
  }
}

dedupe_set::uuid_table& dedupe_set::uuid_table::operator=(const uuid_table& other) {
  if (this != &other) *this = uuid_table(other);
  return *this;
}

std::uint32_t dedupe_set::uuid_table::to_stored(std::chrono::sys_seconds t) noexcept {
  const auto n = t.time_since_epoch().count();
  if (n <= 0) return 0;
  if (n >= std::int64_t{std::numeric_limits<std::uint32_t>::max()}) return std::numeric_limits<std::uint32_t>::max();
  return static_cast<std::uint32_t>(n);
}

dedupe_set::uuid dedupe_set::uuid_table::load(const slot& s) noexcept {
  uuid u;
  std::memcpy(&u.hi, &s.id[0], sizeof u.hi);
  std::memcpy(&u.lo, &s.id[2], sizeof u.lo);
  return u;
}

void dedupe_set::uuid_table::store(slot& s, const uuid& u, value v) noexcept {
  std::memcpy(&s.id[0], &u.hi, sizeof u.hi);
  std::memcpy(&s.id[2], &u.lo, sizeof u.lo);
  s.v = v;
}

std::uint32_t dedupe_set::uuid_table::find(const segment& seg, const uuid& u, std::uint64_t h) noexcept {
  auto i = home(seg, h);
  for (;;) {
    const slot& s = seg.slots[i];
    if (empty(s)) return i;
    const uuid v = load(s);
    if (v == u) return i;
    if (++i == seg.capacity) i = 0;
  }
}

void dedupe_set::uuid_table::place(segment& seg, const slot& s) {
  const uuid u = load(s);
  seg.slots[find(seg, u, hash(u))] = s;
  ++seg.size;
}

void dedupe_set::uuid_table::resize(segment& seg, std::uint32_t capacity) {
  segment old = std::move(seg);
  seg.slots = std::make_unique<slot[]>(capacity);  // zeroed: all empty
  seg.capacity = capacity;
  seg.size = 0;
  for (std::uint32_t i = 0; i < old.capacity; ++i)
    if (!empty(old.slots[i])) place(seg, old.slots[i]);
}

namespace {
constexpr std::uint32_t min_capacity = 16;
// At most 7/8 full: beyond that, linear probing's misses get long.
bool full(std::uint64_t size, std::uint64_t capacity) noexcept { return size * 8 > capacity * 7; }
// Room for `size` entries with half again to grow into.
std::uint32_t capacity_for(std::uint32_t size) noexcept { return std::max(min_capacity, size + size / 2 + size / 4); }
}  // namespace

void dedupe_set::uuid_table::split() {
  segment old = std::move(segments_[0]);
  segments_.clear();
  segments_.resize(segment_count);
  std::vector<std::uint32_t> counts(segment_count);
  for (std::uint32_t i = 0; i < old.capacity; ++i)
    if (!empty(old.slots[i])) ++counts[hash(load(old.slots[i])) >> 56];
  for (std::size_t k = 0; k < segment_count; ++k) {
    segments_[k].capacity = capacity_for(counts[k]);
    segments_[k].slots = std::make_unique<slot[]>(segments_[k].capacity);
  }
  for (std::uint32_t i = 0; i < old.capacity; ++i)
    if (!empty(old.slots[i])) place(segments_[hash(load(old.slots[i])) >> 56], old.slots[i]);
}

bool dedupe_set::uuid_table::contains(const uuid& u) const noexcept {
  if ((u.hi | u.lo) == 0) return zero_;
  if (segments_.empty()) return false;
  const std::uint64_t h = hash(u);
  const segment& seg = segment_of(h);
  return !empty(seg.slots[find(seg, u, h)]);
}

const dedupe_set::value* dedupe_set::uuid_table::find(const uuid& u) const noexcept {
  if ((u.hi | u.lo) == 0) return zero_ ? &zero_value_ : nullptr;
  if (segments_.empty()) return nullptr;
  const std::uint64_t h = hash(u);
  const segment& seg = segment_of(h);
  const slot& s = seg.slots[find(seg, u, h)];
  return empty(s) ? nullptr : &s.v;
}

std::pair<dedupe_set::value*, bool> dedupe_set::uuid_table::try_emplace(const uuid& u, value v) {
  if ((u.hi | u.lo) == 0) {
    const bool added = !zero_;
    if (added) zero_value_ = v;
    zero_ = true;
    return {&zero_value_, added};
  }
  if (segments_.empty()) {
    segments_.resize(1);
    resize(segments_[0], min_capacity);
  }
  const std::uint64_t h = hash(u);
  segment* seg = &segment_of(h);
  while (full(seg->size + std::uint64_t{1}, seg->capacity)) {
    if (segments_.size() == 1 && seg->capacity >= split_slots) {
      split();
      seg = &segment_of(h);
    } else {
      resize(*seg, seg->capacity + seg->capacity / 2);
    }
  }
  slot& s = seg->slots[find(*seg, u, h)];
  if (!empty(s)) return {&s.v, false};
  store(s, u, v);
  ++seg->size;
  ++size_;
  return {&s.v, true};
}

std::size_t dedupe_set::uuid_table::erase_before(segment& seg, std::uint32_t cutoff) {
  if (seg.size == 0) return 0;
  const std::uint32_t n = seg.capacity;
  // Re-placing starts at a slot that was empty before this erase: no probe chain crosses it.
  std::uint32_t start = 0;
  while (!empty(seg.slots[start])) ++start;  // never full
  std::uint32_t gone = 0;
  for (std::uint32_t i = 0; i < n; ++i)
    if (slot& s = seg.slots[i]; !empty(s) && s.v.time < cutoff) {
      s = {};
      ++gone;
    }
  if (gone == 0) return 0;
  seg.size -= gone;
  if (seg.size * std::uint64_t{4} < n && n > min_capacity) {
    resize(seg, capacity_for(seg.size));  // mostly empty now: give the memory back
    return gone;
  }
  // The holes may cut probe chains: re-place every entry in probe order from `start`.
  for (std::uint32_t k = 1; k < n; ++k) {
    std::uint32_t i = start + k;
    if (i >= n) i -= n;
    slot& s = seg.slots[i];
    if (empty(s)) continue;
    const slot moved = s;
    s = {};
    seg.slots[find(seg, load(moved), hash(load(moved)))] = moved;
  }
  return gone;
}

std::size_t dedupe_set::uuid_table::erase_before(std::chrono::sys_seconds cutoff) {
  const std::uint32_t stored_cutoff = to_stored(cutoff);
  // A cutoff past 2106 saturates: then only stored times before it go, never one kept for later.
  std::size_t erased = 0;
  if (zero_ && zero_value_.time < stored_cutoff) {
    zero_ = false;
    ++erased;
  }
  for (auto& seg : segments_) {
    const auto gone = erase_before(seg, stored_cutoff);
    size_ -= gone;
    erased += gone;
  }
  return erased;
}

void dedupe_set::uuid_table::clear() noexcept {
  segments_.clear();
  segments_.shrink_to_fit();
  size_ = 0;
  zero_ = false;
}

namespace {
// What a known id keeps when seen again: the later time, the newer fingerprint when known.
template <class Time>
void merge(Time& time, dedupe_set::fingerprint& print, Time t, dedupe_set::fingerprint p) noexcept {
  if (time < t) time = t;
  if (p != dedupe_set::unknown_fingerprint) print = p;
}
}  // namespace

bool dedupe_set::contains(const key& k) const {
  if (k.as_uuid) return uuids_.contains(*k.as_uuid);
  return others_.find(k.text) != others_.end();
}

std::optional<dedupe_set::entry> dedupe_set::find(const key& k) const {
  if (k.as_uuid) {
    const value* v = uuids_.find(*k.as_uuid);
    if (!v) return std::nullopt;
    return entry{uuid_table::from_stored(v->time), v->print};
  }
  const auto it = others_.find(k.text);
  if (it == others_.end()) return std::nullopt;
  return it->second;
}

std::optional<dedupe_set::entry> dedupe_set::upsert(const key& k, entry e) {
  if (k.as_uuid) {
    const value v{uuid_table::to_stored(e.time), e.print};
    const auto [stored, added] = uuids_.try_emplace(*k.as_uuid, v);
    if (added) return std::nullopt;
    const entry before{uuid_table::from_stored(stored->time), stored->print};
    merge(stored->time, stored->print, v.time, v.print);
    return before;
  }
  if (auto it = others_.find(k.text); it != others_.end()) {  // no string built for a known id
    const entry before = it->second;
    merge(it->second.time, it->second.print, e.time, e.print);
    return before;
  }
  others_.emplace(std::string(k.text), e);
  return std::nullopt;
}

bool dedupe_set::insert_new(const key& k, std::chrono::sys_seconds time, fingerprint print) {
  if (k.as_uuid) return uuids_.try_emplace(*k.as_uuid, {uuid_table::to_stored(time), print}).second;
  if (others_.find(k.text) != others_.end()) return false;  // no string built for a duplicate
  others_.emplace(std::string(k.text), entry{time, print});
  return true;
}

void dedupe_set::absorb(dedupe_set&& other) {
  if (uuids_.size() == 0) {
    std::swap(uuids_, other.uuids_);  // the common first window: no copy, no second table
  } else {
    other.uuids_.drain([this](const uuid& u, value v) {
      const auto [stored, added] = uuids_.try_emplace(u, v);
      if (!added) merge(stored->time, stored->print, v.time, v.print);
    });
  }
  others_.merge(other.others_);  // moves the nodes; what stays behind was known to both
  for (const auto& [id, e] : other.others_) {
    auto& mine = others_[id];
    merge(mine.time, mine.print, e.time, e.print);
  }
  other.uuids_.clear();
  other.others_.clear();
}

std::size_t dedupe_set::prune_before(std::chrono::sys_seconds cutoff) {
  return uuids_.erase_before(cutoff) +
         std::erase_if(others_, [cutoff](const auto& kv) { return kv.second.time < cutoff; });
}

void dedupe_set::for_each(const std::function<void(const std::string&, std::chrono::sys_seconds)>& f) const {
  uuids_.for_each([&f](const uuid& u, value v) { f(format_uuid(u), uuid_table::from_stored(v.time)); });
  for (const auto& [id, e] : others_) f(id, e.time);
}

}  // namespace voxo::collector

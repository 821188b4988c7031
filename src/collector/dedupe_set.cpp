#include "collector/dedupe_set.hpp"

#include <array>
#include <bit>

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

std::string dedupe_set::format_uuid(const uuid& u) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  int nibble = 0;
  for (std::size_t i = 0; i < 36; ++i) {
    if (is_dash_position(i)) {
      out.push_back('-');
      continue;
    }
    const auto half = nibble < 16 ? u.hi : u.lo;
    const int shift = 4 * (15 - (nibble % 16));
    out.push_back(digits[(half >> shift) & 0xF]);
    ++nibble;
  }
  return out;
}

std::size_t dedupe_set::uuid_table::home(std::uint64_t hi, std::uint64_t lo) const noexcept {
  // Fibonacci hashing of both halves: the top bits index, so ids that differ anywhere spread.
  const std::uint64_t h = (hi ^ ((lo << 32) | (lo >> 32))) * 0x9E3779B97F4A7C15ull;
  return shift_ >= 64 ? 0 : static_cast<std::size_t>(h >> shift_);
}

std::size_t dedupe_set::uuid_table::find(std::uint64_t hi, std::uint64_t lo) const noexcept {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = home(hi, lo);; i = (i + 1) & mask) {
    const slot& s = slots_[i];
    if (empty(s) || (s.hi == hi && s.lo == lo)) return i;
  }
}

bool dedupe_set::uuid_table::contains(const uuid& u) const noexcept {
  if ((u.hi | u.lo) == 0) return zero_;
  if (slots_.empty()) return false;
  return !empty(slots_[find(u.hi, u.lo)]);
}

std::pair<std::chrono::sys_seconds*, bool> dedupe_set::uuid_table::try_emplace(const uuid& u,
                                                                               std::chrono::sys_seconds t) {
  if ((u.hi | u.lo) == 0) {
    const bool added = !zero_;
    if (added) zero_time_ = t;
    zero_ = true;
    return {&zero_time_, added};
  }
  if ((size_ + 1) * 8 > slots_.size() * 7) grow();
  slot& s = slots_[find(u.hi, u.lo)];
  if (!empty(s)) return {&s.time, false};
  s = {u.hi, u.lo, t};
  ++size_;
  return {&s.time, true};
}

void dedupe_set::uuid_table::grow() {
  std::vector<slot> old(slots_.empty() ? 16 : slots_.size() * 2);
  old.swap(slots_);
  shift_ = 64 - std::countr_zero(slots_.size());
  for (const slot& s : old)
    if (!empty(s)) slots_[find(s.hi, s.lo)] = s;
}

std::size_t dedupe_set::uuid_table::erase_before(std::chrono::sys_seconds cutoff) {
  std::size_t erased = 0;
  if (zero_ && zero_time_ < cutoff) {
    zero_ = false;
    ++erased;
  }
  if (slots_.empty()) return erased;
  // Re-placing starts at a slot that was empty before this erase: no probe chain crosses it.
  const std::size_t n = slots_.size();
  std::size_t start = 0;
  while (!empty(slots_[start])) ++start;  // the table is never full
  std::size_t gone = 0;
  for (slot& s : slots_)
    if (!empty(s) && s.time < cutoff) {
      s = {};
      ++gone;
    }
  if (gone == 0) return erased;
  size_ -= gone;
  // The holes may cut probe chains: re-place every entry in probe order from `start`.
  for (std::size_t k = 1; k < n; ++k) {
    slot& s = slots_[(start + k) & (n - 1)];
    if (empty(s)) continue;
    const slot moved = s;
    s = {};
    slots_[find(moved.hi, moved.lo)] = moved;
  }
  return erased + gone;
}

void dedupe_set::uuid_table::clear() noexcept {
  slots_.clear();
  slots_.shrink_to_fit();
  size_ = 0;
  shift_ = 64;
  zero_ = false;
}

bool dedupe_set::contains(const key& k) const {
  if (k.as_uuid) return uuids_.contains(*k.as_uuid);
  return others_.find(k.text) != others_.end();
}

void dedupe_set::insert(const key& k, std::chrono::sys_seconds time) {
  auto keep_later = [time](auto* stored, bool added) {
    if (!added && *stored < time) *stored = time;
  };
  if (k.as_uuid) {
    const auto [stored, added] = uuids_.try_emplace(*k.as_uuid, time);
    keep_later(stored, added);
  } else {
    const auto [it, added] = others_.try_emplace(std::string(k.text), time);
    keep_later(&it->second, added);
  }
}

void dedupe_set::absorb(dedupe_set&& other) {
  if (uuids_.size() == 0) {
    std::swap(uuids_, other.uuids_);  // the common first window: no copy, no second table
  } else {
    other.uuids_.for_each([this](const uuid& u, std::chrono::sys_seconds t) {
      const auto [stored, added] = uuids_.try_emplace(u, t);
      if (!added && *stored < t) *stored = t;
    });
  }
  others_.merge(other.others_);  // moves the nodes; what stays behind was known to both
  for (const auto& [id, t] : other.others_)
    if (auto& mine = others_[id]; mine < t) mine = t;
  other.uuids_.clear();
  other.others_.clear();
}

std::size_t dedupe_set::prune_before(std::chrono::sys_seconds cutoff) {
  return uuids_.erase_before(cutoff) + std::erase_if(others_, [cutoff](const auto& kv) { return kv.second < cutoff; });
}

void dedupe_set::for_each(const std::function<void(const std::string&, std::chrono::sys_seconds)>& f) const {
  uuids_.for_each([&f](const uuid& u, std::chrono::sys_seconds t) { f(format_uuid(u), t); });
  for (const auto& [id, t] : others_) f(id, t);
}

}  // namespace voxo::collector

#include "collector/dedupe_set.hpp"

namespace voxo::collector {

namespace {
int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // uppercase stays a string: "A" and "a" are different ids to us
}
bool is_dash_position(std::size_t i) noexcept { return i == 8 || i == 13 || i == 18 || i == 23; }
}  // namespace

std::optional<dedupe_set::uuid> dedupe_set::parse_uuid(std::string_view id) noexcept {
  if (id.size() != 36) return std::nullopt;
  uuid u;
  int nibbles = 0;
  for (std::size_t i = 0; i < id.size(); ++i) {
    if (is_dash_position(i)) {
      if (id[i] != '-') return std::nullopt;
      continue;
    }
    const int v = hex_value(id[i]);
    if (v < 0) return std::nullopt;
    auto& half = nibbles < 16 ? u.hi : u.lo;
    half = (half << 4) | static_cast<std::uint64_t>(v);
    ++nibbles;
  }
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

bool dedupe_set::contains(const key& k) const {
  if (k.as_uuid) return uuids_.count(*k.as_uuid) > 0;
  return others_.find(k.text) != others_.end();
}

void dedupe_set::insert(const key& k, std::chrono::sys_seconds time) {
  auto keep_later = [time](auto pair) {
    if (!pair.second && pair.first->second < time) pair.first->second = time;
  };
  if (k.as_uuid)
    keep_later(uuids_.try_emplace(*k.as_uuid, time));
  else
    keep_later(others_.try_emplace(std::string(k.text), time));
}

void dedupe_set::absorb(dedupe_set&& other) {
  uuids_.merge(other.uuids_);  // moves the nodes; what stays behind was known to both
  for (const auto& [u, t] : other.uuids_)
    if (auto& mine = uuids_[u]; mine < t) mine = t;
  others_.merge(other.others_);
  for (const auto& [id, t] : other.others_)
    if (auto& mine = others_[id]; mine < t) mine = t;
  other.uuids_.clear();
  other.others_.clear();
}

std::size_t dedupe_set::prune_before(std::chrono::sys_seconds cutoff) {
  auto old = [cutoff](const auto& kv) { return kv.second < cutoff; };
  return std::erase_if(uuids_, old) + std::erase_if(others_, old);
}

void dedupe_set::for_each(const std::function<void(const std::string&, std::chrono::sys_seconds)>& f) const {
  for (const auto& [u, t] : uuids_) f(format_uuid(u), t);
  for (const auto& [id, t] : others_) f(id, t);
}

}  // namespace voxo::collector

#include "config/shard.hpp"

#include <charconv>

namespace voxo::config {

std::uint64_t tenant_hash(std::string_view label) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a 64
  for (unsigned char c : label) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  // FNV alone clusters on short numeric ids; a final mixer (splitmix64) spreads them.
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ull;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebull;
  h ^= h >> 31;
  return h;
}

std::uint32_t jump_consistent_hash(std::uint64_t key, std::uint32_t buckets) noexcept {
  std::int64_t b = -1, j = 0;
  while (j < static_cast<std::int64_t>(buckets)) {
    b = j;
    key = key * 2862933555777941757ull + 1;
    j = static_cast<std::int64_t>(static_cast<double>(b + 1) *
                                  (static_cast<double>(1ll << 31) / static_cast<double>((key >> 33) + 1)));
  }
  return static_cast<std::uint32_t>(b);
}

bool owns(const shard_config& shard, std::string_view label) noexcept {
  if (shard.count <= 1) return true;
  return jump_consistent_hash(tenant_hash(label), shard.count) == shard.index;
}

std::optional<unsigned> pod_ordinal(std::string_view name) noexcept {
  auto dash = name.rfind('-');
  if (dash == std::string_view::npos || dash + 1 == name.size()) return std::nullopt;
  unsigned value = 0;
  auto digits = name.substr(dash + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

}  // namespace voxo::config

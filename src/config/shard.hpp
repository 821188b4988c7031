#pragma once
// Sharding tenants over N exporter replicas (--shard.index, --shard.count): each tenant
// belongs to exactly one replica, chosen by a jump consistent hash of its label, so N
// replicas cover every tenant once and going from N to N+1 replicas moves only about
// 1/(N+1) of the tenants (Lamping & Veach, "A Fast, Minimal Memory, Consistent Hash").

#include <cstdint>
#include <optional>
#include <string_view>

namespace voxo::config {

struct shard_config {
  unsigned index = 0;  // this replica, 0-based
  unsigned count = 1;  // replicas in all; 1 = no sharding
};

// Stable across builds, platforms and restarts (FNV-1a 64 of the label, then a mixer).
std::uint64_t tenant_hash(std::string_view tenant_label) noexcept;
// The bucket in [0, buckets) of `key`; buckets >= 1.
std::uint32_t jump_consistent_hash(std::uint64_t key, std::uint32_t buckets) noexcept;
// True when `tenant_label` belongs to this replica.
bool owns(const shard_config& shard, std::string_view tenant_label) noexcept;

// The ordinal of a StatefulSet pod name ("voxo-exporter-2" → 2), nullopt if it has none.
std::optional<unsigned> pod_ordinal(std::string_view pod_name) noexcept;

}  // namespace voxo::config

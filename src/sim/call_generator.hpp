#pragma once
// Produces the records of one (tenant, minute): the heart of the data set.

#include <chrono>
#include <vector>

#include "sim/dataset.hpp"

namespace date {
class time_zone;
}

namespace voxo::sim::detail {

// Which profile a call at time t has: the latest switch at or before t, else the default.
class quality_table {
 public:
  quality_table(quality_profile fallback, std::vector<quality_switch> switches);
  quality_profile at(long long tenant_id, std::chrono::sys_seconds t) const noexcept;

 private:
  quality_profile fallback_;
  std::vector<quality_switch> switches_;  // in the order they were made: later ones win ties
};

struct generator_context {
  const dataset_options* options = nullptr;
  const date::time_zone* record_zone = nullptr;
  std::chrono::sys_seconds start_time{};
  const quality_table* quality = nullptr;
};

// Appends the records of `tenant` whose time is in `minute` (minutes since the epoch) and in
// the data set's [from, to], time descending (ties: generation order). `partner_wide` fills
// billingId with the tenant's billing code.
void generate_minute(const generator_context& ctx, const tenant_spec& tenant, long long minute, bool partner_wide,
                     std::vector<generated_record>& out);

}  // namespace voxo::sim::detail

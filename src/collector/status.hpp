#pragma once
// The collector's runtime status per tenant, as plain data (collector::tenants()). The HTTP
// server has its own view of it (http/status_source.hpp); app::collection converts.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace voxo::collector {

struct tenant_status {
  std::string label;                                     // the `tenant` label
  std::string name;                                      // display name, may be empty
  std::optional<std::chrono::sys_seconds> last_success;  // end of the last successful poll
  std::optional<std::chrono::sys_seconds> watermark;     // collected completely up to here
  std::uint64_t calls = 0;                               // unique valid records counted
  std::uint64_t answered = 0;
  std::optional<double> median_mos;  // from the histogram, answered calls
  std::uint64_t errors = 0;          // failed API requests
  std::string last_error;            // describe() of the last failure
};

}  // namespace voxo::collector

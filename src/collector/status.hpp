#pragma once
// What the landing page and /-/ready show about the collector, per tenant.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace voxo::collector {

struct tenant_status {
  std::string label;                                      // the `tenant` label
  std::string name;                                       // display name, may be empty
  std::optional<std::chrono::sys_seconds> last_success;   // end of the last successful poll
  std::optional<std::chrono::sys_seconds> watermark;      // collected completely up to here
  std::uint64_t calls = 0;                                // unique valid records counted
  std::uint64_t answered = 0;
  std::optional<double> median_mos;                       // from the histogram, answered calls
  std::uint64_t errors = 0;                               // failed API requests
  std::string last_error;                                 // describe() of the last failure
};

class status_source {
 public:
  virtual ~status_source() = default;
  virtual std::vector<tenant_status> tenants() const = 0;
  // Ready once every tenant has completed one poll.
  virtual bool ready() const = 0;
};

}  // namespace voxo::collector

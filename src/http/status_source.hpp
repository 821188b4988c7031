#pragma once
// What the landing page and /-/ready show about the collection, per tenant: the server's own
// view, so http needs nothing of the collector. app::collection fills it from the collector's
// status (collector/status.hpp); tests fill it by hand.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace voxo::http {

struct tenant_view {
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

// Called on the server's executor, once per `/` or /-/ready request.
class status_source {
 public:
  virtual ~status_source() = default;
  virtual std::vector<tenant_view> tenants() const = 0;
  // Ready once every tenant has completed one poll.
  virtual bool ready() const = 0;
};

}  // namespace voxo::http

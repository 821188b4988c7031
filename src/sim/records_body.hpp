#pragma once
// The body of a GET /call-reports reply, produced piece by piece (an hour of records at a
// time, newest first) so a reply of any size is streamed with bounded memory.

#include <chrono>
#include <string>
#include <vector>

#include "api/call_reports_query.hpp"
#include "sim/dataset.hpp"

namespace voxo::sim {

struct call_reports_plan {
  std::vector<long long> tenant_ids;
  api::time_window window;
  std::chrono::sys_seconds now{};  // records visible at this instant
  bool partner_wide = false;
};

class records_body {
 public:
  records_body(const dataset& data, call_reports_plan plan);
  // Appends to `out` until it holds at least `at_least` bytes or the body is complete.
  // Returns false once the closing ']' has been appended.
  bool next(std::string& out, std::size_t at_least);
  bool done() const noexcept { return done_; }

 private:
  const dataset& data_;
  call_reports_plan plan_;
  std::chrono::sys_seconds cursor_;  // end of the next slice (inclusive)
  bool first_ = true;
  bool started_ = false;
  bool done_ = false;
};

}  // namespace voxo::sim

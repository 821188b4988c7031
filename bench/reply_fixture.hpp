#pragma once
// The reply the ingest benchmarks and the Python peer read: one tenant's window of records
// from the simulator's seeded data set, as GET /call-reports serves it, held in memory.

#include <chrono>
#include <cstddef>
#include <string>

#include "api/call_reports_query.hpp"
#include "sim/dataset.hpp"

namespace voxo::bench {

struct reply_shape {
  std::size_t records = 200'000;     // about; the data set draws calls per minute
  double duplicate_fraction = 0.01;  // served twice: the de-dup has work to do
  double invalid_fraction = 0.005;   // no id, bad time, wrong type
  std::uint64_t seed = 6;
  std::chrono::sys_seconds start{};  // the window's start; default: reply_window()'s
};

// The fixed window the reply covers (one hour, in the past).
api::time_window reply_window();
// The window a reply of this shape covers (one hour).
api::time_window reply_window(const reply_shape& shape);
sim::dataset_options reply_dataset(const reply_shape& shape);
// The whole body, '[' to ']'.
std::string make_reply(const reply_shape& shape);

}  // namespace voxo::bench

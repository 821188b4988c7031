#pragma once
// Split a window into consecutive pieces no longer than the API's cap, never sent whole.

#include <chrono>
#include <vector>

#include "api/call_reports_query.hpp"

namespace voxo::api {

// Pieces are [s, s+max], [s+max, s+2max], ... up to w.end; an empty or inverted window gives none.
std::vector<time_window> split_window(const time_window& w, std::chrono::seconds max_len);

}  // namespace voxo::api

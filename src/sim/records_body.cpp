#include "sim/records_body.hpp"

#include <algorithm>

namespace voxo::sim {

namespace {
constexpr std::chrono::seconds slice{3600};
}

records_body::records_body(const dataset& data, call_reports_plan plan)
    : data_(data), plan_(std::move(plan)), cursor_(plan_.window.end) {}

bool records_body::next(std::string& out, std::size_t at_least) {
  if (done_) return false;
  if (!started_) {
    out += '[';
    started_ = true;
  }
  while (out.size() < at_least && cursor_ >= plan_.window.start) {
    // Slices [cursor - 1h + 1s, cursor] do not overlap: windows are inclusive to the second.
    const auto lo = std::max(plan_.window.start, cursor_ - slice + std::chrono::seconds{1});
    data_.for_each_served(plan_.tenant_ids, {lo, cursor_}, plan_.now, plan_.partner_wide,
                          [&](const generated_record& r) {
                            if (!first_) out += ',';
                            first_ = false;
                            out += r.json;
                            return true;
                          });
    cursor_ = lo - std::chrono::seconds{1};
  }
  if (cursor_ < plan_.window.start) {
    out += ']';
    done_ = true;
    return false;
  }
  return true;
}

}  // namespace voxo::sim

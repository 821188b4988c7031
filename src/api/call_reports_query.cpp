#include "api/call_reports_query.hpp"

namespace voxo::api {

std::chrono::seconds max_window(const query_scope& scope) noexcept {
  return std::holds_alternative<partner_scope>(scope) ? max_window_partner : max_window_scoped;
}

}  // namespace voxo::api

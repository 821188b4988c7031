#pragma once
// The HTML page served at `/`: what this exporter is and how each tenant's collection goes.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "http/status_source.hpp"

namespace voxo::http {

struct landing_info {
  std::string_view telemetry_path = "/metrics";
  std::chrono::system_clock::time_point now;
  bool ready = false;
};

// Self-contained (no external assets, no script). Every value from the status rows is
// escaped: tenant names come from the API and are hostile input. The table is
// <table id="tenants"> with one <tr data-tenant="LABEL"> per tenant.
std::string render_landing_page(const std::vector<tenant_view>& tenants, const landing_info& info);

// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view text);

// "2024-05-06T07:08:09Z".
std::string format_utc(std::chrono::sys_seconds t);

// "3d 4h", "2h 5m", "7m 3s", "42s"; "in the future" when negative (clock skew).
std::string format_age(std::chrono::seconds age);

}  // namespace voxo::http

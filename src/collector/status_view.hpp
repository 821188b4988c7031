#pragma once
// The status view: what the landing page and /-/ready show about the collector, read from the
// tenant book on the collector's thread. Per polled (active) tenant and per partner-wide
// account (which shows the partner poll's last success and watermark): calls, answered calls,
// median MOS, errors. Read-only; the collector facade's tenants() and ready() call these.

#include <vector>

#include "collector/status.hpp"
#include "collector/tenant_book.hpp"

namespace voxo::collector {

std::vector<tenant_status> tenant_statuses(const tenant_book& book);
// Every polled tenant has completed one poll.
bool all_polled_once(const tenant_book& book);

}  // namespace voxo::collector

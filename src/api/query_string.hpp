#pragma once
// The request target of GET /call-reports: path plus a percent-encoded query.

#include <string>
#include <string_view>

#include "api/call_reports_query.hpp"

namespace date {
class time_zone;
}

namespace voxo::api {

// RFC 3986 percent-encoding of a query component: everything except ALPHA / DIGIT / "-._~".
std::string percent_encode(std::string_view text);

// e.g. "/call-reports?tenantId=37&start=2022-10-10%2000%3A00%3A00&end=...&timezone=America%2FChicago"
// `base_path` is the path part of api.url ("" or "/v2"); start/end are formatted in `zone`,
// whose name is sent as `timezone`.
std::string call_reports_target(std::string_view base_path, const call_reports_query& q, const date::time_zone* zone);

}  // namespace voxo::api

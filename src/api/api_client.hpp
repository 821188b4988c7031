#pragma once
// The VOXO API as the collector sees it. The HTTPS implementation lives in
// api/http_api_client.*; tests may provide their own.

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "api/api_error.hpp"
#include "api/call_reports_query.hpp"
#include "api/record_sink.hpp"

namespace voxo::api {

struct fetch_summary {
  int http_status = 200;
  std::uint64_t records = 0;  // delivered to on_record
  std::uint64_t invalid = 0;  // delivered to on_invalid
  std::uint64_t bytes = 0;    // body bytes read
};

struct tenant_info {  // one entry of GET /tenants
  long long id = 0;
  std::string name;  // label-safe: valid UTF-8, at most max_tenant_name_bytes (tenant_list.hpp)
  std::string time_zone;
  std::string tenant_code;
  // The name as the API sent it, when `name` had to be repaired: what include/exclude match, so
  // an exclude meant for the tenant still holds (empty: same as `name`).
  std::string raw_name;
  const std::string& match_name() const noexcept { return raw_name.empty() ? name : raw_name; }
};

class api_client {
 public:
  virtual ~api_client() = default;
  // One GET /call-reports. The window must respect the caps (see window_split.hpp);
  // records are streamed into `sink`. Handles login and one retry on 401 itself.
  virtual boost::asio::awaitable<api_result<fetch_summary>> fetch_call_reports(const call_reports_query& query,
                                                                               record_sink& sink) = 0;
  virtual boost::asio::awaitable<api_result<std::vector<tenant_info>>> list_tenants() = 0;
};

}  // namespace voxo::api

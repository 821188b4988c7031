#pragma once
// The reply of GET /tenants (a JSON array of accounts, or a Feathers page {"total", "data": [...]})
// into the tenants the collector may poll. One bad entry never costs the list: an entry without a
// usable id, or whose name is not valid UTF-8 (a lone \u surrogate included) or is longer than
// max_tenant_name_bytes, is skipped and counted, never the whole reply (issue #13).

#include <cstddef>
#include <string_view>
#include <vector>

#include "api/api_client.hpp"
#include "api/api_error.hpp"

namespace voxo::api {

// A tenant name is a label value (voxo_tenant_info) and what discovery.include matches: no real
// name comes near this.
constexpr std::size_t max_tenant_name_bytes = 1024;

struct tenant_list {
  std::vector<tenant_info> tenants;
  std::size_t without_id = 0;     // no id, or not a positive whole number
  std::size_t invalid_name = 0;   // not UTF-8, or a lone surrogate
  std::size_t long_name = 0;      // over max_tenant_name_bytes
  long long first_skipped_id = 0;  // of an entry skipped for its name (0: none), for the log
  long long page_total = 0;       // a Feathers page's `total` when it says more exist (0: none)
};

// bad_payload when the reply is not JSON, or neither an array nor a page of one.
api_result<tenant_list> parse_tenant_list(std::string_view body);

}  // namespace voxo::api

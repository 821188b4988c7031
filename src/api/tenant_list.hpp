#pragma once
// The reply of GET /tenants (a JSON array of accounts, or a Feathers page {"total", "data": [...]})
// into the tenants the collector may poll. One bad entry never costs the list: an entry without a
// usable id is skipped and counted (there is nothing to poll). A name that is not valid UTF-8 (a
// lone \u surrogate included) or is longer than max_tenant_name_bytes costs nothing: the tenant
// is kept (its calls are real), include/exclude match the name as sent, and the label shows a
// repaired name (issue #13).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "api/api_client.hpp"
#include "api/api_error.hpp"

namespace voxo::api {

// A tenant name is a label value (voxo_tenant_info): no real name comes near this.
constexpr std::size_t max_tenant_name_bytes = 1024;

// `raw` as a label value: each byte that is not part of valid UTF-8 becomes U+FFFD, and the result
// is cut to at most max_tenant_name_bytes at a character boundary (ending in U+2026 when cut).
std::string label_safe_name(std::string_view raw);

struct tenant_list {
  std::vector<tenant_info> tenants;
  std::size_t without_id = 0;       // no id, or not a positive whole number
  std::size_t repaired_names = 0;   // not UTF-8 (or a lone surrogate), or over max_tenant_name_bytes
  long long first_repaired_id = 0;  // of such an entry (0: none), for the log
  long long page_total = 0;         // a Feathers page's `total` when it says more exist (0: none)
};

// bad_payload when the reply is not JSON, or neither an array nor a page of one.
api_result<tenant_list> parse_tenant_list(std::string_view body);

}  // namespace voxo::api

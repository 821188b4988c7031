#pragma once
// The call metrics an exporter must show for a set of calls, computed here from the data set,
// independently of the exporter's own aggregation code. Histogram bucket bounds are read
// from the scrape (the `le` labels), so the check does not depend on the bucket choice.

#include <map>
#include <set>
#include <string>
#include <vector>

#include "api/cdr.hpp"
#include "support/exposition_parser.hpp"

namespace voxo::test {

// Families whose every series is compared with the ground truth.
const std::vector<std::string>& call_metric_families();

// Expected series for one tenant label, for the families above (zero-valued series omitted).
series_map expected_call_series(const std::string& tenant_label, const std::vector<api::cdr>& calls,
                                const series_map& scraped);

// Every series of the families above for `tenant_label` that differs between the two maps
// (a series missing on one side counts as 0), one line each: "key: expected X, got Y".
std::vector<std::string> compare_call_series(const std::string& tenant_label, const series_map& expected,
                                             const series_map& scraped);

}  // namespace voxo::test

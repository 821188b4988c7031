#pragma once
// The JSON form of a tenant's totals and collector counters in the state file (see
// state_file.hpp), shared by the writer and the reader. Counts are exact: doubles are written
// so they read back bit for bit, and anything that can't be trusted is refused on reading.

#include <boost/json.hpp>

#include "metrics/call_deltas.hpp"
#include "metrics/collector_counts.hpp"
#include "metrics/held_series.hpp"

namespace voxo::collector::detail {

boost::json::object totals_to_json(const metrics::call_deltas& d);
bool totals_from_json(const boost::json::object& o, metrics::call_deltas& d);
boost::json::object counts_to_json(const metrics::collector_counts& c);
bool counts_from_json(const boost::json::object& o, metrics::collector_counts& c);
// Series inside their hold: [[key, born counter value | born histogram], ...].
boost::json::array holds_to_json(const std::vector<metrics::held_series_state>& held);
bool holds_from_json(const boost::json::value& v, std::vector<metrics::held_series_state>& held);

}  // namespace voxo::collector::detail

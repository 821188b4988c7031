#pragma once
// Reads Prometheus text exposition into {series → value} for comparing a scrape with the
// ground truth. A series key is the metric name plus its labels sorted by name:
//   voxo_calls_total{direction="in",disposition="answered",tenant="37"}

#include <map>
#include <string>

namespace voxo::test {

using series_map = std::map<std::string, double>;

series_map parse_exposition(const std::string& text);

// Builds the key the parser produces, e.g. series_key("voxo_up", {{"tenant","37"}}).
std::string series_key(const std::string& name, const std::map<std::string, std::string>& labels);

// Sum of all series of `name` whose labels include every pair in `match`.
double sum_series(const series_map& m, const std::string& name, const std::map<std::string, std::string>& match = {});

}  // namespace voxo::test

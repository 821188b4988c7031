#include "support/ground_truth.hpp"

#include <cmath>
#include <functional>
#include <optional>
#include <sstream>

#include "metrics/call_labels.hpp"

namespace voxo::test {
namespace {

using api::cdr;
using labels = std::map<std::string, std::string>;

struct histogram_rule {
  std::string name;
  std::function<std::optional<double>(const cdr&)> value;  // nullopt = not observed
};

bool answered(const cdr& c) { return c.disposition == api::call_disposition::answered; }

const std::vector<histogram_rule>& histogram_rules() {
  static const std::vector<histogram_rule> rules{
      {"voxo_call_duration_seconds", [](const cdr& c) { return c.duration; }},
      {"voxo_call_talk_duration_seconds",
       [](const cdr& c) { return answered(c) ? c.after_answer_duration : std::nullopt; }},
      {"voxo_call_mos",
       [](const cdr& c) -> std::optional<double> {
         if (!answered(c) || !c.mos || *c.mos <= 0) return std::nullopt;
         return c.mos;
       }},
      {"voxo_call_jitter_ratio",
       [](const cdr& c) -> std::optional<double> {
         if (!answered(c) || !c.percent_jitter) return std::nullopt;
         return *c.percent_jitter / 100;
       }},
      {"voxo_call_packet_loss_ratio",
       [](const cdr& c) -> std::optional<double> {
         if (!answered(c) || !c.packet_loss) return std::nullopt;
         return *c.packet_loss / 100;
       }},
  };
  return rules;
}

// The `le` bounds the scrape shows for a histogram family (any series of it), with their text.
std::map<double, std::string> bucket_bounds(const series_map& scraped, const std::string& family) {
  std::map<double, std::string> bounds;
  const std::string prefix = family + "_bucket{";
  for (const auto& [key, value] : scraped) {
    if (key.rfind(prefix, 0) != 0) continue;
    auto pos = key.find("le=\"");
    if (pos == std::string::npos) continue;
    std::string le = key.substr(pos + 4, key.find('"', pos + 4) - pos - 4);
    bounds[le == "+Inf" ? INFINITY : std::stod(le)] = le;
  }
  return bounds;
}

bool in_families(const std::string& key) {
  auto name = key.substr(0, key.find('{'));
  for (const auto& f : call_metric_families()) {
    if (name == f || name == f + "_bucket" || name == f + "_count" || name == f + "_sum") return true;
  }
  return false;
}

}  // namespace

const std::vector<std::string>& call_metric_families() {
  static const std::vector<std::string> families{"voxo_calls_total",
                                                 "voxo_call_duration_seconds",
                                                 "voxo_call_talk_duration_seconds",
                                                 "voxo_call_mos",
                                                 "voxo_call_jitter_ratio",
                                                 "voxo_call_packet_loss_ratio",
                                                 "voxo_calls_recorded_total",
                                                 "voxo_queue_calls_total",
                                                 "voxo_collector_records_total"};
  return families;
}

series_map expected_call_series(const std::string& tenant, const std::vector<cdr>& calls, const series_map& scraped) {
  series_map out;
  for (const auto& c : calls) {
    std::string dir(metrics::label(c.direction));
    out[series_key(
        "voxo_calls_total",
        {{"tenant", tenant}, {"direction", dir}, {"disposition", std::string(metrics::label(c.disposition))}})] += 1;
    out[series_key("voxo_collector_records_total", {{"tenant", tenant}})] += 1;
    if (c.recorded.value_or(false))
      out[series_key("voxo_calls_recorded_total", {{"tenant", tenant}, {"direction", dir}})] += 1;
    if (c.queue_call.value_or(false))
      out[series_key("voxo_queue_calls_total", {{"tenant", tenant}, {"direction", dir}})] += 1;
  }
  for (const auto& rule : histogram_rules()) {
    auto bounds = bucket_bounds(scraped, rule.name);
    for (const auto& c : calls) {
      auto v = rule.value(c);
      if (!v) continue;
      labels base{{"tenant", tenant}, {"direction", std::string(metrics::label(c.direction))}};
      out[series_key(rule.name + "_count", base)] += 1;
      out[series_key(rule.name + "_sum", base)] += *v;
      for (const auto& [bound, text] : bounds) {
        if (*v <= bound) {
          labels with_le = base;
          with_le["le"] = text;
          out[series_key(rule.name + "_bucket", with_le)] += 1;
        }
      }
    }
  }
  return out;
}

std::vector<std::string> compare_call_series(const std::string& tenant, const series_map& expected,
                                             const series_map& scraped) {
  std::vector<std::string> diffs;
  const std::string needle = "tenant=\"" + tenant + "\"";
  std::set<std::string> keys;
  for (const auto& [k, v] : expected)
    if (in_families(k) && k.find(needle) != std::string::npos) keys.insert(k);
  for (const auto& [k, v] : scraped)
    if (in_families(k) && k.find(needle) != std::string::npos) keys.insert(k);
  for (const auto& k : keys) {
    auto e = expected.count(k) ? expected.at(k) : 0.0;
    auto g = scraped.count(k) ? scraped.at(k) : 0.0;
    // Sums of doubles may differ in the last bits with the order of addition; counts are exact.
    bool is_sum = k.find("_sum{") != std::string::npos;
    bool equal = is_sum ? std::fabs(e - g) <= 1e-9 * std::max(1.0, std::fabs(e)) : e == g;
    if (!equal) {
      std::ostringstream os;
      os.precision(17);
      os << k << ": expected " << e << ", got " << g;
      diffs.push_back(os.str());
    }
  }
  return diffs;
}

}  // namespace voxo::test

#pragma once
// Shared by the end-to-end tests (ground truth, reliability): the messy seeded data set, a ground-truth check
// of every call series, and editing the exporter's config file in place.

#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/exporter_harness.hpp"
#include "support/ground_truth.hpp"

namespace voxo::test::reliability {

using namespace std::chrono_literals;

inline std::chrono::sys_seconds now_s() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

// A finite data set in the past (inside lookback, older than delay) with late, duplicate,
// invalid, unknown and null values.
inline sim::simulator_options messy_data_set(std::uint64_t seed) {
  sim::simulator_options o;
  o.data.seed = seed;
  o.data.tenants = {{37, "acme", "B37", 600}, {42, "globex \"east\"", "B42", 400}, {101, "initech", "B101", 300}};
  o.data.from = now_s() - 50min;
  o.data.to = now_s() - 5min;
  o.data.late_fraction = 0.1;
  o.data.max_late = 4s;
  o.data.duplicate_fraction = 0.05;
  o.data.invalid_fraction = 0.03;
  o.data.unknown_fraction = 0.05;
  o.data.null_fraction = 0.1;
  return o;
}

inline api::time_window whole(const sim::dataset& d) { return {d.options().from, *d.options().to}; }

// Differences between one scrape and the ground truth for the given tenants (empty = equal).
inline std::vector<std::string> ground_truth_diffs(exporter_harness& h, const std::vector<long long>& tenants) {
  auto scraped = h.scrape_series();
  if (scraped.empty()) return {"scrape failed"};
  std::vector<std::string> diffs;
  for (auto id : tenants) {
    auto truth = h.sim().data().truth(id, whole(h.sim().data()));
    auto label = std::to_string(id);
    auto d = compare_call_series(label, expected_call_series(label, truth, scraped), scraped);
    diffs.insert(diffs.end(), d.begin(), d.end());
  }
  return diffs;
}

inline std::vector<long long> all_tenants(exporter_harness& h) {
  std::vector<long long> ids;
  for (const auto& t : h.sim().data().options().tenants) ids.push_back(t.id);
  return ids;
}

// Scrapes until the tenants' call series equal the truth (late records need a few polls).
inline std::vector<std::string> wait_for_ground_truth(exporter_harness& h, const std::vector<long long>& tenants,
                                                      std::chrono::milliseconds timeout = 90s) {
  std::vector<std::string> diffs;
  exporter_harness::wait_until(
      [&] {
        diffs = ground_truth_diffs(h, tenants);
        return diffs.empty();
      },
      timeout);
  return diffs;
}

inline void require_no_diffs(const std::vector<std::string>& diffs, exporter_harness& h) {
  for (std::size_t i = 0; i < diffs.size() && i < 40; ++i) BOOST_TEST_MESSAGE(diffs[i]);
  if (!diffs.empty()) BOOST_TEST_MESSAGE("exporter log:\n" << h.exporter().stderr_text());
  BOOST_REQUIRE_MESSAGE(diffs.empty(), diffs.size() << " series differ from the ground truth");
}

inline std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Rewrites the file with the first `from` replaced by `to` (which must be there).
inline void edit_text(const std::filesystem::path& p, const std::string& from, const std::string& to) {
  auto text = read_text(p);
  auto at = text.find(from);
  if (at == std::string::npos) throw std::runtime_error("edit_text: not found in " + p.string() + ": " + from);
  text.replace(at, from.size(), to);
  std::ofstream(p, std::ios::binary | std::ios::trunc) << text;
}

}  // namespace voxo::test::reliability

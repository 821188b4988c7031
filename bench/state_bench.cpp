// Memory and time of saving and loading collector.state_file for one tenant with many ids
// (issue #6: a save must not double the exporter's memory). Prints one JSON line:
//   bench_state --ids 1000000 --mode save --file /tmp/state.json
// Modes: save / load: what the exporter does (streamed from / into the de-dup set);
// set: only building the de-dup set of that many ids in memory (its RSS per id: rss_after_kib);
// save-tree / load-tree: what it did before, for comparison: a (string, time) pair per id, a
// boost::json tree of them and the whole file as one string.
// peak_over_kib is the peak RSS during the operation over the RSS before it (VmHWM is reset
// through /proc/self/clear_refs first).

#include <boost/json.hpp>

#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "collector/dedupe_set.hpp"
#include "collector/state_file.hpp"

namespace {

using voxo::collector::dedupe_set;
namespace json = boost::json;

long status_kib(const char* field) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::string(field).size()));
  return -1;
}

void reset_peak() { std::ofstream("/proc/self/clear_refs") << "5"; }

dedupe_set make_ids(std::size_t n, std::chrono::sys_seconds t0) {
  std::mt19937_64 rng(42);
  dedupe_set s;
  char text[40];
  for (std::size_t i = 0; i < n; ++i) {
    const auto a = rng(), b = rng();
    std::snprintf(text, sizeof text, "%08llx-%04llx-4%03llx-a%03llx-%012llx", (unsigned long long)(a >> 32),
                  (unsigned long long)((a >> 16) & 0xFFFF), (unsigned long long)(a & 0xFFF),
                  (unsigned long long)(b >> 52), (unsigned long long)(b & 0xFFFFFFFFFFFFull));
    s.insert(std::string_view(text, 36), t0 - std::chrono::seconds(i % 3600));
  }
  return s;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The previous save: snapshot() copied every id into a string, serialize_state() built a tree
// and one string of the whole file (the totals and counters are left out here: they are small).
bool save_tree(const dedupe_set& s, const std::string& path, std::chrono::sys_seconds t0) {
  std::vector<std::pair<std::string, std::chrono::sys_seconds>> ids;
  ids.reserve(s.size());
  s.for_each([&](const std::string& id, std::chrono::sys_seconds t) { ids.emplace_back(id, t); });
  json::array a;
  a.reserve(ids.size());
  for (const auto& [id, t] : ids) a.push_back(json::array{json::string(id), t.time_since_epoch().count()});
  json::array tenants;
  tenants.push_back(json::object{{"label", "37"}, {"ids", std::move(a)}});
  const auto text = json::serialize(json::object{{"format", voxo::collector::state_format},
                                                 {"version", voxo::collector::state_version},
                                                 {"saved_at", t0.time_since_epoch().count()},
                                                 {"tenants", std::move(tenants)}}) +
                    "\n";
  return voxo::collector::write_state_file(path, text).has_value();
}

// The previous load: the whole file, its tree, a pair per id, then the set.
std::size_t load_tree(const std::string& path) {
  const auto text = read_all(path);
  std::vector<std::pair<std::string, std::chrono::sys_seconds>> ids;
  {
    const auto root = json::parse(text);
    const auto& t = root.at("tenants").as_array()[0].as_object();
    const auto& a = t.at("ids").as_array();
    ids.reserve(a.size());
    for (const auto& e : a)
      ids.emplace_back(std::string(e.as_array()[0].as_string()),
                       std::chrono::sys_seconds(std::chrono::seconds(e.as_array()[1].as_int64())));
  }
  dedupe_set s;
  for (auto& [id, t] : ids) s.insert(id, t);
  return s.size();
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 1'000'000;
  std::string mode = "save", path = "/tmp/voxo-bench-state.json";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--ids") n = std::stoul(argv[i + 1]);
    else if (k == "--mode") mode = argv[i + 1];
    else if (k == "--file") path = argv[i + 1];
  }
  const std::chrono::sys_seconds t0{std::chrono::seconds(1'700'000'000)};
  const bool loading = mode == "load" || mode == "load-tree";
  if (mode == "set") {  // the memory a tenant's remembered ids take, nothing else
    reset_peak();
    const long base = status_kib("VmRSS:");
    const auto start = std::chrono::steady_clock::now();
    const dedupe_set ids = make_ids(n, t0);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const long after = status_kib("VmRSS:");
    std::cout << "{\"mode\":\"set\",\"ids\":" << n << ",\"size\":" << ids.size() << ",\"rss_before_kib\":" << base
              << ",\"rss_after_kib\":" << (after - base) << ",\"peak_over_kib\":" << (status_kib("VmHWM:") - base)
              << ",\"bytes_per_id\":" << static_cast<double>(after - base) * 1024.0 / static_cast<double>(n)
              << ",\"seconds\":" << seconds << "}\n";
    return 0;
  }
  dedupe_set ids = make_ids(n, t0);
  if (loading) {  // a file to load, then nothing of it left in memory
    (void)voxo::collector::write_state_file(path, t0, [&](voxo::collector::state_writer& w) {
      w.tenant("37", t0, ids, voxo::metrics::call_deltas{}, voxo::metrics::collector_counts{});
    });
    ids = dedupe_set{};
    malloc_trim(0);
  }
  reset_peak();
  const long base = status_kib("VmRSS:");
  const auto start = std::chrono::steady_clock::now();
  bool ok = true;
  std::size_t loaded = 0;
  if (mode == "save") {
    ok = voxo::collector::write_state_file(path, t0, [&](voxo::collector::state_writer& w) {
           w.tenant("37", t0, ids, voxo::metrics::call_deltas{}, voxo::metrics::collector_counts{});
         }).has_value();
  } else if (mode == "save-tree") {
    ok = save_tree(ids, path, t0);
  } else if (mode == "load") {
    const auto out = voxo::collector::load_state_file(path);
    ok = out.has_value();
    loaded = ok ? (*out)[0].ids.size() : 0;
  } else if (mode == "load-tree") {
    loaded = load_tree(path);
  } else {
    std::cerr << "unknown mode " << mode << "\n";
    return 2;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const long peak = status_kib("VmHWM:");
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  std::cout << "{\"mode\":\"" << mode << "\",\"ids\":" << n << ",\"ok\":" << (ok ? "true" : "false")
            << ",\"loaded\":" << loaded << ",\"file_bytes\":" << static_cast<long long>(f.tellg())
            << ",\"rss_before_kib\":" << base << ",\"peak_over_kib\":" << (peak - base) << ",\"seconds\":" << seconds
            << "}\n";
  return ok ? 0 : 1;
}

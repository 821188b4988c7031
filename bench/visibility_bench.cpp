// What "durable before visible" costs (issue #12): with collector.state_file, counts reach
// /metrics only right after a save wrote them. For N tenants in steady state this measures,
// on the exporter's own code: one state save of every tenant (the ids of the overlap window,
// the totals and counters), the publish pass that follows it (every tenant scanned, the ones a
// poll changed raised), and, as the baseline measured in the same run, one background rendering
// of the data part of /metrics. From them: how late a count becomes visible. Prints one JSON
// line per tenant count:
//   bench_visibility --tenants 1000 --tenants 10000 --file /tmp/state.json

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "collector/dedupe_set.hpp"
#include "collector/state_file.hpp"
#include "metrics/detail/exporter_metrics_access.hpp"
#include "metrics/exporter_metrics.hpp"

namespace {

using namespace std::chrono_literals;
using voxo::collector::dedupe_set;
namespace metrics = voxo::metrics;
namespace api = voxo::api;
using steady = std::chrono::steady_clock;

constexpr auto save_every = 5s;     // collector_options::state_save_every
constexpr int calls_per_hour = 30;  // bench/scale.sh's simulated tenants
constexpr int remembered_ids = 9;   // calls of the overlap window (15 min) + delay kept for de-dup
constexpr auto interval = 60s;      // collector.interval: the tenants one save covers polled

api::cdr call(int i) {
  api::cdr r;
  r.id = "call-" + std::to_string(i);
  r.direction = static_cast<api::call_direction>(i % 3);
  r.disposition = i % 4 == 0 ? api::call_disposition::no_answer : api::call_disposition::answered;
  r.duration = 30 + i % 300;
  r.after_answer_duration = 20 + i % 250;
  r.mos = 3.5 + (i % 10) / 10.0;
  r.percent_jitter = (i % 7) / 10.0;
  r.packet_loss = (i % 5) / 10.0;
  r.recorded = i % 2 == 0;
  r.queue_call = i % 3 == 0;
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

struct tenant {
  metrics::tenant_metrics* m;
  dedupe_set ids;
};

void run(std::size_t n, const std::string& path) {
  metrics::exporter_metrics::options o;
  o.process_metrics = false;
  o.new_series_hold = 2min;
  metrics::exporter_metrics m(o);
  const std::chrono::sys_seconds t0{std::chrono::seconds(1'700'000'000)};
  std::vector<tenant> tenants(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& t = tenants[i];
    t.m = &m.tenant(std::to_string(100000 + i), "tenant " + std::to_string(i));
    t.m->hold_until_published(false);
    metrics::call_deltas history;  // one hour of calls: the baseline
    for (int c = 0; c < calls_per_hour; ++c) history.add(call(c));
    t.m->apply(history);
    t.m->count_ingest(calls_per_hour, 0, 0);
    t.m->count_request("200", 0.05);
    t.m->count_poll(true);
    t.m->close_baseline();
    for (int c = 0; c < remembered_ids; ++c)
      t.ids.insert("0f8fad5b-d9cb-469f-a165-" + std::to_string(700000000000 + i * 100 + c),
                   t0 - std::chrono::minutes(c));
  }
  for (auto& t : tenants) t.m->publish(steady::now());

  std::vector<double> saves, publishes, renders;
  const std::size_t polled = std::max<std::size_t>(
      1, n * static_cast<std::size_t>(save_every.count()) / static_cast<std::size_t>(interval.count()));
  for (int round = 0; round < 5; ++round) {
    // The polls of one save interval: a call each.
    for (std::size_t i = 0; i < polled; ++i) {
      auto& t = tenants[(round * polled + i) % n];
      metrics::call_deltas d;
      d.add(call(static_cast<int>(round * 1000 + i)));
      t.m->apply(d);
      t.m->count_ingest(1, 0, 0);
      t.m->count_poll(true);
    }
    auto s0 = steady::now();
    const auto written = voxo::collector::write_state_file(path, t0, [&](voxo::collector::state_writer& w) {
      for (const auto& t : tenants) w.tenant(t.m->label(), t0, t.ids, t.m->totals(), t.m->counts());
    });
    auto s1 = steady::now();
    if (!written) {
      std::cerr << "save failed: " << written.error() << "\n";
      std::exit(1);
    }
    for (auto& t : tenants)
      if (t.m->unpublished()) t.m->publish(s1 + 1h);  // past every hold: the full raising cost
    auto s2 = steady::now();
    (void)voxo::metrics::detail::exporter_metrics_access::render_data(m);
    auto s3 = steady::now();
    saves.push_back(std::chrono::duration<double>(s1 - s0).count());
    publishes.push_back(std::chrono::duration<double>(s2 - s1).count());
    renders.push_back(std::chrono::duration<double>(s3 - s2).count());
  }
  const double save = median(saves), publish = median(publishes), render = median(renders);
  // publish_loop(): a change waits for the next save, due save_every (or 10 x the save time,
  // whichever is longer) after the previous one; then the save and the publish pass run.
  const double gap = std::max(std::chrono::duration<double>(save_every).count(), 10 * save);
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  std::printf(
      "{\"tenants\":%zu,\"file_bytes\":%lld,\"save_seconds\":%.6f,\"publish_seconds\":%.6f,"
      "\"render_seconds\":%.6f,\"save_per_render\":%.3f,\"gap_seconds\":%.3f,\"visible_after_max_seconds\":%.3f,"
      "\"visible_after_mean_seconds\":%.3f,\"save_cpu_share\":%.4f}\n",
      n, static_cast<long long>(f.tellg()), save, publish, render, render > 0 ? save / render : 0.0, gap,
      gap + save + publish, gap / 2 + save + publish, (save + publish) / gap);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::size_t> counts;
  std::string path = "/tmp/voxo-bench-visibility.json";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i];
    if (k == "--tenants") counts.push_back(std::stoul(argv[i + 1]));
    else if (k == "--file") path = argv[i + 1];
  }
  if (counts.empty()) counts = {1000, 10000};
  for (auto n : counts) run(n, path);
  std::remove(path.c_str());
  return 0;
}

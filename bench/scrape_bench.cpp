// Scrape: serving /metrics at 1,000 tenants with every series present.
//  - BM_render_per_scrape: prometheus-cpp's default path (Registry::Collect + TextSerializer)
//    on every scrape, plus the gzip Prometheus asks for: the baseline.
//  - BM_background_render: what the exposition's render thread does after a change (data
//    part: Collect + TextSerializer + deflate), at most once per max(1 s, 4x this).
//  - BM_served_scrape: what a gzip scrape costs on the I/O thread: the shared data part plus
//    the live part (process metrics, 1,000 lag series) rendered and deflated, and the trailer.
// The wrk run in run.sh measures the real server while the collector runs.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>

#include "api/cdr.hpp"
#include "metrics/detail/exporter_metrics_access.hpp"
#include "metrics/exporter_metrics.hpp"
#include "metrics/gzip.hpp"

namespace {

using namespace voxo;

constexpr int tenant_count = 1000;

// One call of every (direction, disposition), all fields set: every series exists.
metrics::call_deltas every_series() {
  metrics::call_deltas d;
  for (std::size_t dir = 0; dir < api::direction_count; ++dir)
    for (std::size_t disp = 0; disp < api::disposition_count; ++disp) {
      api::cdr c;
      c.id = "x";
      c.direction = static_cast<api::call_direction>(dir);
      c.disposition = static_cast<api::call_disposition>(disp);
      c.duration = 30.0 + static_cast<double>(disp);
      c.after_answer_duration = 20.0;
      c.percent_jitter = 1.5;
      c.packet_loss = 0.2;
      c.mos = 4.1;
      c.recorded = true;
      c.queue_call = true;
      d.add(c);
    }
  return d;
}

metrics::exporter_metrics& populated() {
  static metrics::exporter_metrics* m = [] {
    metrics::exporter_metrics::options opts;
    opts.render_interval = std::chrono::hours(1);  // no background rendering during the runs
    auto* em = new metrics::exporter_metrics(opts);
    const auto d = every_series();
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    for (int i = 0; i < tenant_count; ++i) {
      auto& t = em->tenant(std::to_string(1000 + i), "tenant-" + std::to_string(i));
      t.apply(d);
      t.count_request("200", 0.12);
      t.count_ingest(30, 1, 1);
      t.count_poll(true);
      t.count_poll(false);
      t.set_up(true);
      t.set_last_success(now);
      t.set_watermark(now);
    }
    return em;
  }();
  return *m;
}

void BM_render_per_scrape(benchmark::State& state) {
  auto& m = populated();
  std::string text, zipped;
  for (auto _ : state) {
    text = m.render();
    zipped = metrics::gzip_compress(text);
  }
  state.counters["plain_bytes"] = static_cast<double>(text.size());
  state.counters["gzip_bytes"] = static_cast<double>(zipped.size());
  std::size_t samples = 0;  // lines that are not # HELP / # TYPE
  bool line_start = true;
  for (const char c : text) {
    if (line_start && c != '#') ++samples;
    line_start = c == '\n';
  }
  state.counters["samples"] = static_cast<double>(samples);
}

void BM_render_text_only(benchmark::State& state) {
  auto& m = populated();
  for (auto _ : state) benchmark::DoNotOptimize(m.render());
}

void BM_background_render(benchmark::State& state) {
  auto& m = populated();
  for (auto _ : state) {
    auto text = voxo::metrics::detail::exporter_metrics_access::render_data(m);
    benchmark::DoNotOptimize(metrics::deflate_open(text));
  }
}

void BM_served_scrape(benchmark::State& state) {
  auto& m = populated();
  auto& source = m.exposition();
  source.current();  // the very first call renders the data part
  std::size_t bytes = 0;
  for (auto _ : state) {
    auto e = source.current();
    auto tail = e->gzip_tail();
    bytes = metrics::gzip_header().size() + e->data->deflated->bytes.size() + tail->size();
    benchmark::DoNotOptimize(bytes);
  }
  state.counters["gzip_bytes"] = static_cast<double>(bytes);
  state.counters["live_bytes"] = static_cast<double>(source.current()->live.size());
}

BENCHMARK(BM_render_per_scrape)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_render_text_only)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_background_render)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_served_scrape)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();

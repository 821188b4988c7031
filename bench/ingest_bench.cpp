// Ingest: records/s from a reply held in memory.
//  - BM_ingest: what the collector does per window: streaming parse (validation included)
//    -> window_batch (de-dup, staged deltas) -> commit into exporter_metrics.
//  - BM_parse_only: the streaming parser into a sink that only counts.
//  - BM_parse_general: the same with the general path alone (Boost.JSON's basic_parser for the
//    whole reply, what the fast scanner hands over to), to show what the fast path buys.
//  - BM_tree_parse: the baseline: boost::json::parse into a tree, then field extraction
//    with the same checks and time conversion, into the same cdr.
#include <benchmark/benchmark.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "api/cdr_stream_parser.hpp"
#include "api/detail/local_time.hpp"
#include "api/record_time.hpp"
#include "collector/dedupe_set.hpp"
#include "collector/window_batch.hpp"
#include "metrics/call_labels.hpp"
#include "metrics/exporter_metrics.hpp"
#include "reply_fixture.hpp"

namespace {

using namespace voxo;
namespace json = boost::json;

// Pieces as the socket hands them to the parser; the body reader gives up to 256 KiB at a time
// (src/api/http_body_reader.hpp), so 64 KiB pieces never flatter the parser.
constexpr std::size_t piece_bytes = 64 * 1024;

// VOXO_BENCH_RECORDS shrinks the reply, e.g. for a run under callgrind.
const std::string& reply() {
  static const std::string body = [] {
    bench::reply_shape shape;
    if (const char* n = std::getenv("VOXO_BENCH_RECORDS")) shape.records = std::strtoul(n, nullptr, 10);
    return bench::make_reply(shape);
  }();
  return body;
}

const date::time_zone* chicago() { return api::find_zone("America/Chicago"); }

void feed(api::cdr_stream_parser& p) {  // as the socket would: piece by piece
  const std::string_view body = reply();
  for (std::size_t at = 0; at < body.size(); at += piece_bytes)
    if (!p.write(body.substr(at, piece_bytes))) break;
  if (!p.finish()) throw std::runtime_error("bench reply rejected: " + p.error_message());
}

void BM_ingest(benchmark::State& state) {
  metrics::exporter_metrics::options opts;
  opts.process_metrics = false;
  metrics::exporter_metrics m{opts};
  auto& tenant = m.tenant("101");
  std::uint64_t records = 0;
  for (auto _ : state) {
    collector::dedupe_set known;  // a fresh tenant each time, or every record is a duplicate
    collector::window_batch batch{known, bench::reply_window()};
    api::cdr_stream_parser parser{batch, chicago()};
    feed(parser);
    tenant.apply(batch.deltas());
    tenant.count_ingest(batch.records(), batch.duplicates(), batch.invalid());
    batch.commit_ids(known);
    records += parser.records() + parser.invalid();
    benchmark::DoNotOptimize(known.size());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
  state.SetBytesProcessed(static_cast<std::int64_t>(reply().size() * state.iterations()));
}

struct counting_sink : api::record_sink {
  std::uint64_t n = 0;
  std::int64_t seconds = 0;
  void on_record(const api::cdr& c) override {
    ++n;
    seconds += c.time.time_since_epoch().count();
  }
  void on_invalid(std::string_view) override { ++n; }
};

void parse_only(benchmark::State& state, api::parse_path path) {
  std::uint64_t records = 0;
  for (auto _ : state) {
    counting_sink sink;
    api::cdr_stream_parser parser{sink, chicago(), path};
    feed(parser);
    records += sink.n;
    benchmark::DoNotOptimize(sink.seconds);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
  state.SetBytesProcessed(static_cast<std::int64_t>(reply().size() * state.iterations()));
}

void BM_parse_only(benchmark::State& state) { parse_only(state, api::parse_path::fast); }
void BM_parse_general(benchmark::State& state) { parse_only(state, api::parse_path::general_only); }

// The same fields, checks and time conversion as the streaming parser, from a tree.
std::optional<double> number(const json::object& o, std::string_view key, bool& bad) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_number()) {
    bad = true;
    return std::nullopt;
  }
  const double d = v->to_number<double>();
  if (!std::isfinite(d) || d < 0) bad = true;
  return d;
}

std::optional<bool> flag(const json::object& o, std::string_view key, bool& bad) {
  const auto* v = o.if_contains(key);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_bool()) return v->get_bool();
  if (!v->is_number()) {
    bad = true;
    return std::nullopt;
  }
  const double d = v->to_number<double>();
  if (d != 0 && d != 1) bad = true;
  return d == 1;
}

std::optional<std::string> text(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

bool extract(const json::value& element, api::detail::zone_converter& convert, api::cdr& c) {
  const auto* o = element.if_object();
  if (!o) return false;
  const auto* id = o->if_contains("id");
  const auto* time = o->if_contains("time");
  if (!id || !id->is_string() || id->get_string().empty() || !time || !time->is_string()) return false;
  const auto local = api::detail::parse_record_local(time->get_string());
  if (!local) return false;
  c.id = id->get_string();
  c.time = convert(*local);
  if (const auto* d = o->if_contains("direction"); d && d->is_string())
    c.direction = api::parse_direction(d->get_string());
  if (const auto* d = o->if_contains("disposition"); d && d->is_string())
    c.disposition = api::parse_disposition(d->get_string());
  bool bad = false;
  c.duration = number(*o, "duration", bad);
  c.after_answer_duration = number(*o, "afterAnswerDuration", bad);
  c.percent_jitter = number(*o, "percentJitter", bad);
  c.packet_loss = number(*o, "packetLoss", bad);
  c.mos = number(*o, "mos", bad);
  c.recorded = flag(*o, "recorded", bad);
  c.queue_call = flag(*o, "queueCall", bad);
  c.is_toll_free = flag(*o, "isTollFree", bad);
  c.is_international = flag(*o, "isInternational", bad);
  c.jurisdiction = text(*o, "jurisdiction");
  c.billing_id = text(*o, "billingId");
  c.partner_id = text(*o, "partnerId");
  return !bad;
}

void BM_tree_parse(benchmark::State& state) {
  std::uint64_t records = 0;
  for (auto _ : state) {
    const auto tree = json::parse(reply());
    api::detail::zone_converter convert{chicago()};
    api::cdr c;
    std::int64_t seconds = 0;
    for (const auto& element : tree.as_array()) {
      if (extract(element, convert, c)) seconds += c.time.time_since_epoch().count();
      ++records;
    }
    benchmark::DoNotOptimize(seconds);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(records));
  state.SetBytesProcessed(static_cast<std::int64_t>(reply().size() * state.iterations()));
}

// Each iteration is a whole 150 MB reply: a few are enough, and keep run.sh short.
BENCHMARK(BM_ingest)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_parse_only)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_parse_general)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_tree_parse)->Unit(benchmark::kMillisecond)->MinTime(1.0);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("reply_bytes", std::to_string(reply().size()));
  benchmark::AddCustomContext("reply_records", std::to_string(std::count(reply().begin(), reply().end(), '{')));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

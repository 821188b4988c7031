#pragma once
// collector.state_file: what a restart needs to go on without losing or double-counting
// calls, and without resetting a counter.
//
// The file is the single source of truth after a restart: everything in it was taken at one
// instant on the collector's thread, so the watermark, the ids and the counter values always
// agree. A window applied after the last save is neither in the counters nor behind the
// watermark: after a crash it is simply fetched again. Nothing is counted twice, nothing lost.
//
// Written after applied windows, at most every few seconds, and on a clean stop; atomically
// (temp file `<path>.tmp`, fsync, rename over `<path>`, fsync of the folder), mode 0600. A
// file that is unreadable, truncated, of an unknown version or not ours is moved aside to
// `<path>.corrupt-<unix time>` (one log line) and the collector starts fresh from `lookback`.
//
// Format, version 3 (JSON, one object):
//   {"format": "voxo_exporter state",          // marks the file as ours
//    "version": 3,
//    "saved_at": 1700000000,                    // unix seconds, informational
//    "tenants": [{
//       "label": "37",                          // the `tenant` label
//       "watermark": 1699999880,                // unix seconds; absent before the first window
//       "ids": [["2d275d62-...", 1699999000, 2914023917]],
//                                               // ids inside the overlap horizon, each with the
//                                               // unix time after which it may be forgotten (the
//                                               // latest time it was seen with) and the fingerprint
//                                               // of the values it was last seen with (32 bits,
//                                               // window_batch.hpp; 0 = unknown)
//       "totals": {                             // every call series, cumulative
//         "calls": [[n, ...], ...],             // [direction][disposition], label order of metrics/call_labels.hpp
//         "recorded": [n, ...], "queued": [n, ...],      // [direction]
//         "histograms": [[{"buckets": [n, ...], "sum": "12.5", "count": n}, ...], ...]
//                                               // [duration, talk_duration, mos, jitter, packet_loss][direction];
//                                               // buckets not cumulative, last = +Inf
//         "extra_calls": [{"labels": {"jurisdiction": "interstate", "toll_free": "false"},
//                          "calls": [[n, ...], ...]}]   // only with metrics.extra_labels: the
//                                               // voxo_calls_total series by their extra labels
//       },
//       "collector": {                          // the tenant's voxo_collector_* counters
//         "records": n, "duplicates": n, "invalid": n, "revised": n,
//         "outside_window": n,                  // optional, written when non-zero (absent: 0)
//         "requests": {"200": n, "error": n},   // by `code` label
//         "polls": {"success": n, "failure": n},
//         "request_duration": {"buckets": [...], "sum": "3.25", "count": n}},
//       "held": [["histogram/2/3", {"buckets": [...], "sum": "0", "count": 0}], ["requests/503", 0]]
//                                               // optional: series inside their new-series hold
//                                               // with the value they were born with (all a
//                                               // scrape may have seen); held again after a restart
//    }]}
// Sums are strings holding the shortest decimal that reads back as the same double, so a
// restore is exact to the bit. Versions 1 and 2 are still read. Version 2 had [id, time] id
// entries and no "revised": its ids load with the unknown fingerprint (0), which never counts
// as a revision (the first return of such an id only records its values), and revisions start
// from 0. Version 1 (no "format", no "collector", numeric sums): collector counters start from 0.
// An older binary refuses a version 3 file (moved aside, a fresh start from lookback).
// "extra_calls", "held" and "outside_window" are optional and were added without a version
// bump on purpose: a reader that doesn't know one ignores it (its series then start from 0),
// while a new version would make an older binary refuse the whole file and count the lookback
// again.
// The file is written piece by piece straight from the live de-dup sets (state_writer) and read
// piece by piece straight into them (state_reader): a save or a load costs a buffer and the
// small per-tenant parts, never a string per id, a JSON tree of the ids or the whole file.
// Tenants in the file but not in the config are kept in the file (a tenant that comes back, by
// a config edit or by discovery, resumes where it was); tenants in the config but not in the
// file start from `lookback`.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "collector/dedupe_set.hpp"
#include "metrics/call_deltas.hpp"
#include "metrics/collector_counts.hpp"
#include "metrics/held_series.hpp"
#include "util/result.hpp"

namespace voxo::collector {

inline constexpr int state_version = 3;
inline constexpr std::string_view state_format = "voxo_exporter state";

// Not saved: what a config reload carries over besides the saved state, so voxo_up and
// /-/ready don't blink while the new collector starts.
struct tenant_runtime {
  bool succeeded_once = false;
  std::optional<std::chrono::sys_seconds> last_success;
  unsigned failures = 0;
  std::uint64_t errors = 0;
  std::string last_error;
};

struct tenant_snapshot {
  std::string label;
  std::optional<std::chrono::sys_seconds> watermark;
  dedupe_set ids;  // moved, not copied, when a reload carries it over
  metrics::call_deltas totals;
  metrics::collector_counts counts;
  // Series inside their hold at the save ("held", only when there are any): held again after a
  // restart, since no scrape may have stored their born value (metrics/tenant_metrics.hpp).
  std::vector<metrics::held_series_state> held;
  std::optional<tenant_runtime> runtime;  // in memory only
};

// Writes the format tenant by tenant to `out`, in chunks of about 64 KiB. The bytes are exactly
// what a JSON tree of the same state would serialize to.
class state_writer {
 public:
  using sink = std::function<bool(std::string_view)>;  // false: an I/O error, stop writing
  state_writer(sink out, std::chrono::sys_seconds saved_at);
  void tenant(std::string_view label, std::optional<std::chrono::sys_seconds> watermark, const dedupe_set& ids,
              const metrics::call_deltas& totals, const metrics::collector_counts& counts,
              const std::vector<metrics::held_series_state>& held = {});
  void tenant(const tenant_snapshot& t) { tenant(t.label, t.watermark, t.ids, t.totals, t.counts, t.held); }
  bool finish();  // ends the document and flushes; false when the sink failed at any point

 private:
  void put(std::string_view s);
  void flush();

  sink out_;
  std::string buf_;
  bool first_ = true;
  bool ok_ = true;
};

// The snapshots of a state text, or why it is not a state of a version we read (a message for
// the log, no secret involved).
using parsed_state = util::result<std::vector<tenant_snapshot>, std::string>;

// Reads the format from chunks as they arrive: each tenant's ids go straight into its
// dedupe_set; only the small rest (label, totals, counters) becomes a JSON tree.
class state_reader {
 public:
  state_reader();
  ~state_reader();
  state_reader(const state_reader&) = delete;
  state_reader& operator=(const state_reader&) = delete;
  bool write(std::string_view chunk);  // false: not a state (finish() says why)
  parsed_state finish();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

std::string serialize_state(const std::vector<tenant_snapshot>& tenants,
                            std::chrono::sys_seconds saved_at = std::chrono::sys_seconds{});
parsed_state parse_state(std::string_view text);

// The error (a message, no secret involved) says why the file could not be written.
util::result<void, std::string> write_state_file(const std::string& path, const std::string& content);
// The same, streamed: `fill` writes the tenants, the file never exists whole in memory.
util::result<void, std::string> write_state_file(const std::string& path, std::chrono::sys_seconds saved_at,
                                                 const std::function<void(state_writer&)>& fill);

// Why there is no state to resume from. `missing` is a first start, not a fault, but an error
// all the same: the caller has no snapshots either way and acts on the kind.
enum class state_load { missing, corrupt, not_a_file };
struct state_load_error {
  state_load kind;
  std::string message;  // for the log: why, and for `corrupt` where the file went
};
// A corrupt file is moved aside to <path>.corrupt-<unix time> so the next save can't lose it;
// the message then says why it was refused and where it went. Something that is not a regular
// file (a directory, FIFO, device) or cannot be opened for lack of permission is neither read nor
// moved (not_a_file). Never blocks.
util::result<std::vector<tenant_snapshot>, state_load_error> load_state_file(const std::string& path);

}  // namespace voxo::collector

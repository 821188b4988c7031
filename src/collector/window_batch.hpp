#pragma once
// What one window's reply adds, staged while the reply streams: nothing of it reaches the
// metrics or the dedupe set until the reply succeeded (commit), and a failed reply is simply
// dropped. Memory is bounded by the label space plus the ids first seen in this window (and
// the known ids that came back with a later time or changed values).

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/call_reports_query.hpp"
#include "api/record_sink.hpp"
#include "collector/dedupe_set.hpp"
#include "metrics/call_deltas.hpp"

namespace voxo::collector {

// 32 bits of a hash of the values of a record that feed the metrics: direction, disposition,
// duration, talk time, MOS, jitter, packet loss, recorded, queued, and the fields of the extra
// labels (jurisdiction, international, toll free), whether or not those are enabled. Not the
// id, the time or fields no metric reads. Never dedupe_set::unknown_fingerprint.
dedupe_set::fingerprint counted_fingerprint(const api::cdr& record) noexcept;

class window_batch : public api::record_sink {
 public:
  // ids_only: the counts and ids but no call values (deltas() stays empty), for a
  // partner_batch, which adds each record's values to its account's part itself.
  enum class staging : unsigned char { ids_and_values, ids_only };

  // `known` = the tenant's committed ids; read only until commit_ids(). `labeler` (optional)
  // derives the extra labels of voxo_calls_total.
  window_batch(const dedupe_set& known, api::time_window window, metrics::call_labeler* labeler = nullptr,
               staging what = staging::ids_and_values);

  void on_record(const api::cdr& record) override;
  // Parses the id and prefetches its slots while the rest of the record streams in.
  void on_record_id(std::string_view id) override;
  void on_invalid(std::string_view why) override;

  const metrics::call_deltas& deltas() const noexcept { return deltas_; }  // empty when ids_only
  std::uint64_t records() const noexcept { return records_; }              // unique and valid
  // Records whose id was counted already, with the same values as when last seen.
  std::uint64_t duplicates() const noexcept { return duplicates_; }
  // Records whose id was counted already but whose counted values changed since it was last
  // seen (a revision by the API): not counted again, the first version's values stay.
  std::uint64_t revised() const noexcept { return revised_; }
  std::uint64_t invalid() const noexcept { return invalid_; }
  // Records counted whose time lies outside the window asked for: api.record_timezone is likely
  // wrong, or the API misplaced them. They are counted (the API's filter decides which window
  // a record belongs to; skipping them would lose every record under a wrong record zone).
  std::uint64_t outside_window() const noexcept { return outside_window_; }
  // How long past the window's end the id of a record outside it may be remembered (default 0):
  // until both the window's end and the record's own time have passed, so the API returning it
  // in its own window later finds it known, but never longer than this (a time in the year
  // 3000 must not pin memory). The collector passes its lookback.
  void hold_outside_ids_for(std::chrono::seconds past_window_end) noexcept { outside_hold_ = past_window_end; }

  // Moves the ids first seen in this window, and the later times and values of known ids seen
  // again, into the tenant's set (on commit only).
  void commit_ids(dedupe_set& into);

 private:
  const dedupe_set& known_;
  api::time_window window_;
  metrics::call_labeler* labeler_;
  staging staging_;
  dedupe_set new_ids_;              // ids first seen here, and known ids seen again with news (staged)
  std::uint64_t staged_known_ = 0;  // how many of the latter (none: a known id needs no 2nd lookup)
  std::string early_id_;            // the last on_record_id's text, and its key
  dedupe_set::key early_key_;
  metrics::call_deltas deltas_;
  std::uint64_t records_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t revised_ = 0;
  std::uint64_t invalid_ = 0;
  std::uint64_t outside_window_ = 0;
  std::chrono::seconds outside_hold_{0};
};

}  // namespace voxo::collector

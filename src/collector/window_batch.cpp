#include "collector/window_batch.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace voxo::collector {

namespace {
// 64-bit mixing of the counted values (each optional as presence plus value), folded to 32.
struct fingerprint_hash {
  std::uint64_t h = 0x9E3779B97F4A7C15ull;
  void add(std::uint64_t v) noexcept {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h *= 0xD6E8FEB86659FD93ull;
    h ^= h >> 32;
  }
  void add(const std::optional<double>& v) noexcept {
    add(v ? 1u : 0u);
    if (v) add(std::bit_cast<std::uint64_t>(*v == 0 ? 0.0 : *v));  // -0 and 0 alike
  }
  void add(const std::optional<bool>& v) noexcept { add(v ? (*v ? 2u : 1u) : 0u); }
  void add(const std::optional<std::string>& v) noexcept {
    add(v ? v->size() + 1 : 0u);
    if (!v) return;
    for (std::size_t i = 0; i < v->size(); i += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, v->data() + i, std::min<std::size_t>(8, v->size() - i));
      add(word);
    }
  }
};
}  // namespace

dedupe_set::fingerprint counted_fingerprint(const api::cdr& r) noexcept {
  fingerprint_hash f;
  f.add(static_cast<std::uint64_t>(r.direction) << 8 | static_cast<std::uint64_t>(r.disposition));
  f.add(r.duration);
  f.add(r.after_answer_duration);
  f.add(r.percent_jitter);
  f.add(r.packet_loss);
  f.add(r.mos);
  f.add(r.recorded);
  f.add(r.queue_call);
  f.add(r.is_toll_free);
  f.add(r.is_international);
  f.add(r.jurisdiction);
  const auto folded = static_cast<dedupe_set::fingerprint>(f.h ^ (f.h >> 32));
  return folded == dedupe_set::unknown_fingerprint ? 1 : folded;
}

window_batch::window_batch(const dedupe_set& known, api::time_window window, metrics::call_labeler* labeler,
                           staging what)
    : known_(known), window_(window), labeler_(labeler), staging_(what) {}

void window_batch::on_record(const api::cdr& record) {
  if (record.id.empty()) {  // the parser should not deliver these; never count an id-less call
    ++invalid_;
    return;
  }
  // Parsed once for both sets, usually already when the id streamed by.
  // (The key depends on the text alone, so equal text means the early key is this id's.)
  const auto id =
      record.id == early_id_ ? dedupe_set::key{early_key_.as_uuid, record.id} : dedupe_set::make_key(record.id);
  // The id is forgotten once the latest time it was seen with falls behind every window still
  // to come. A record time outside the window we asked for means the record zone does not
  // match the API's (or the API misplaced it): the API may return it again up to the window's
  // end, or in the window of its own time: kept until both passed, within the hold.
  auto forget_after = record.time;
  const bool outside = forget_after < window_.start || forget_after > window_.end;
  if (outside) forget_after = std::clamp(forget_after, window_.end, window_.end + outside_hold_);
  const dedupe_set::entry seen{forget_after, counted_fingerprint(record)};

  if (const auto committed = known_.find(id)) {  // counted in an earlier window
    std::optional<dedupe_set::entry> staged;
    if (staged_known_ > 0) staged = new_ids_.find(id);  // seen again earlier in this reply
    const auto& last = staged ? *staged : *committed;
    ++(dedupe_set::revised(last.print, seen.print) ? revised_ : duplicates_);
    if (last.time < seen.time || last.print != seen.print) {  // news to stage for the commit
      if (!staged) ++staged_known_;
      new_ids_.upsert(id, seen);
    }
    return;
  }
  if (const auto before = new_ids_.upsert(id, seen)) {  // seen earlier in this reply
    ++(dedupe_set::revised(before->print, seen.print) ? revised_ : duplicates_);
    return;
  }
  if (outside) ++outside_window_;
  if (staging_ == staging::ids_and_values) deltas_.add(record, labeler_);
  ++records_;
}

void window_batch::on_record_id(std::string_view id) {
  early_id_.assign(id.data(), id.size());
  early_key_ = dedupe_set::make_key(early_id_);
  known_.prefetch(early_key_);
  new_ids_.prefetch(early_key_);
}

void window_batch::on_invalid(std::string_view) { ++invalid_; }

void window_batch::commit_ids(dedupe_set& into) {
  into.absorb(std::move(new_ids_));
  staged_known_ = 0;
}

}  // namespace voxo::collector

#include "collector/window_batch.hpp"

namespace voxo::collector {

window_batch::window_batch(const dedupe_set& known, api::time_window window, api::call_labeler* labeler,
                           staging what)
    : known_(known), window_(window), labeler_(labeler), staging_(what) {}

void window_batch::on_record(const api::cdr& record) {
  if (record.id.empty()) {  // the parser should not deliver these; never count an id-less call
    ++invalid_;
    return;
  }
  // Parsed once for both sets, usually already when the id streamed by.
  // (The key depends on the text alone, so equal text means the early key is this id's.)
  const auto id = record.id == early_id_ ? dedupe_set::key{early_key_.as_uuid, record.id}
                                         : dedupe_set::make_key(record.id);
  if (known_.contains(id)) {
    ++duplicates_;
    return;
  }
  // The id is forgotten once its time falls behind every window still to come. A record time
  // outside the window we asked for means the record zone does not match the API's: then only
  // the window's end is a safe bound on when the API may return it again.
  auto forget_after = record.time;
  const bool outside = forget_after < window_.start || forget_after > window_.end;
  if (outside) forget_after = window_.end;
  if (!new_ids_.insert_new(id, forget_after)) {  // seen earlier in this reply
    ++duplicates_;
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
}

}  // namespace voxo::collector

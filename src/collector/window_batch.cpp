#include "collector/window_batch.hpp"

namespace voxo::collector {

window_batch::window_batch(const dedupe_set& known, api::time_window window) : known_(known), window_(window) {}

void window_batch::on_record(const api::cdr& record) {
  if (record.id.empty()) {  // the parser should not deliver these; never count an id-less call
    ++invalid_;
    return;
  }
  const auto id = dedupe_set::make_key(record.id);  // parsed once for both sets
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
  deltas_.add(record);
  ++records_;
}

void window_batch::on_invalid(std::string_view) { ++invalid_; }

void window_batch::commit_ids(dedupe_set& into) {
  into.absorb(std::move(new_ids_));
}

}  // namespace voxo::collector

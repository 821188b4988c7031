#include "collector/window_batch.hpp"

namespace voxo::collector {

window_batch::window_batch(const dedupe_set& known, api::time_window window, api::call_labeler* labeler)
    : known_(known), window_(window), labeler_(labeler) {}

void window_batch::on_record(const api::cdr& record) {
  if (record.id.empty()) {  // the parser should not deliver these; never count an id-less call
    ++invalid_;
    return;
  }
  const auto id = dedupe_set::make_key(record.id);  // parsed once for both sets
  if (known_.contains(id) || new_ids_.contains(id)) {
    ++duplicates_;
    return;
  }
  // The id is forgotten once its time falls behind every window still to come. A record time
  // outside the window we asked for means the record zone does not match the API's: then only
  // the window's end is a safe bound on when the API may return it again.
  auto forget_after = record.time;
  if (forget_after < window_.start || forget_after > window_.end) {
    ++outside_window_;
    forget_after = window_.end;
  }
  new_ids_.insert(id, forget_after);
  deltas_.add(record, labeler_);
  ++records_;
}

void window_batch::on_invalid(std::string_view) { ++invalid_; }

void window_batch::commit_ids(dedupe_set& into) {
  into.absorb(std::move(new_ids_));
}

}  // namespace voxo::collector

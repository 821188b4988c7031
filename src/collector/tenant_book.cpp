#include "collector/tenant_book.hpp"

namespace voxo::collector {

tenant_book::tenant_book(metrics::exporter_metrics& m, const config::config& cfg)
    : metrics_(m), hold_(cfg.collector.state_file.has_value()), accounts_(m, cfg, !hold_) {}

std::shared_ptr<tenant_state> tenant_book::add(const config::tenant_config& tc, bool discovered) {
  auto t = std::make_shared<tenant_state>();
  t->cfg = tc;
  t->discovered = discovered;
  t->metrics = &metrics_.tenant(tc.label, tc.name);
  // With a state file, counts become visible when it saved them (state_keeper's publish loop).
  t->metrics->hold_until_published(!hold_);
  auto it = pending_.find(tc.label);
  if (it == pending_.end() || !it->second.runtime) t->metrics->set_up(false);
  if (it != pending_.end()) {
    // Restored: counters go on from their saved values, polling from the saved watermark.
    auto& snap = it->second;
    t->watermark = snap.watermark;
    if (snap.watermark) t->metrics->set_watermark(*snap.watermark);
    t->seen = std::move(snap.ids);  // moved: a reload never copies a tenant's ids
    // Raises the series to the saved values: after a restart they start there, after a config
    // reload (same series, already there) nothing changes.
    t->metrics->restore(snap.totals, snap.counts, snap.held);
    if (snap.runtime) {
      t->succeeded_once = snap.runtime->succeeded_once;
      t->last_success = snap.runtime->last_success;
      if (t->last_success) t->metrics->set_last_success(*t->last_success);
      t->failures = snap.runtime->failures;
      t->errors = snap.runtime->errors;
      t->last_error = snap.runtime->last_error;
    }
    pending_.erase(it);
  }
  tenants_[tc.label] = t;
  accounts_.track_partner(*t);
  return t;
}

const tenant_state* tenant_book::find(const std::string& label) const {
  auto it = tenants_.find(label);
  return it == tenants_.end() ? nullptr : it->second.get();
}

void tenant_book::publish_owned() const {
  std::size_t owned = 0;
  for (const auto& [label, t] : tenants_) owned += t->active ? 1 : 0;
  metrics_.set_shard_tenants(owned);
}

}  // namespace voxo::collector

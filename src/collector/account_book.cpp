#include "collector/account_book.hpp"

#include <variant>

#include "util/log.hpp"

namespace voxo::collector {

account_book::account_book(metrics::exporter_metrics& m, const config::config& cfg, bool publish_each_change)
    : metrics_(m), publish_each_change_(publish_each_change) {
  if (cfg.partner.enabled && !cfg.tenants.empty())
    map_ = std::make_unique<account_map>(cfg.partner, cfg.tenants.front().label);
}

bool account_book::attributes(const tenant_state& t) const {
  return map_ && std::holds_alternative<api::partner_scope>(t.cfg.scope);
}

void account_book::track_partner(const tenant_state& t) {
  if (map_ && t.cfg.label == map_->partner_label()) partner_ = &t;
}

const std::string& account_book::name_of(const std::string& label) const {
  static const std::string none;
  return map_ ? map_->name_of(label) : none;
}

metrics::tenant_metrics& account_book::account(const std::string& label) {
  auto it = series_.find(label);
  if (it == series_.end()) {
    auto& m = metrics_.tenant(label, map_->name_of(label));
    m.hold_until_published(publish_each_change_);
    // An account first seen after the partner poll's first window: its calls are live.
    if (partner_ && partner_->metrics->baseline_closed()) m.close_baseline();
    it = series_.emplace(label, &m).first;
  }
  return *it->second;
}

void account_book::adopt(std::map<std::string, tenant_snapshot>& pending) {
  if (!map_) return;
  // Counters of accounts go on from their saved values (a restart or a config reload). A state
  // of a tenant polled per tenant before (a mode switch) is adopted the same way.
  for (auto& [label, snap] : pending) {
    auto& m = account(label);
    map_->admit(label);
    m.restore(snap.totals, snap.counts, snap.held);
    if (!snap.runtime) m.set_up(false);
  }
  pending.clear();
}

void account_book::commit(const partner_batch& batch, tenant_state& partner) {
  // One synchronous step on the collector's thread: every account of the window or none.
  for (const auto& label : batch.new_accounts()) {
    map_->admit(label);
    account(label).set_up(true);  // created by a reply that succeeded
    log::debug("account attributed", {{"tenant", label}});
  }
  for (const auto& [label, part] : batch.parts()) {
    auto& m = label == partner.cfg.label ? *partner.metrics : account(label);
    m.apply(part.deltas);
    m.count_ingest(part.records, part.duplicates, 0);
    m.count_revised(part.revised);
  }
  partner.metrics->count_ingest(0, 0, batch.whole().invalid());
  if (batch.overflow() > 0) {
    metrics_.count_unattributed(batch.overflow());
    if (!warned_unattributed_) {
      warned_unattributed_ = true;
      log::warn("more accounts in partner-wide replies than tenants.max_accounts; the rest count as tenant=partner",
                {{"max_accounts", std::to_string(map_->max_accounts())}});
    }
  }
}

void account_book::set_up(bool up) {
  for (auto& [label, m] : series_) m->set_up(up);
}

void account_book::close_baseline(const tenant_state& closed) {
  if (!map_ || closed.cfg.label != map_->partner_label()) return;
  for (auto& [label, m] : series_) m->close_baseline();
}

}  // namespace voxo::collector

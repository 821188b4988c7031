#include "collector/window_stage.hpp"

#include <string>

#include "util/log.hpp"

namespace voxo::collector {

void window_stage::commit(tenant_state& t) {
  commit_counts(t);
  auto& batch = whole();
  t.metrics->count_outside_window(batch.outside_window());
  if (batch.outside_window() > 0 && !t.warned_record_zone) {
    t.warned_record_zone = true;
    log::warn("records outside the window asked for; check api.record_timezone",
              {{"tenant", t.cfg.label}, {"records", std::to_string(batch.outside_window())}});
  }
  batch.commit_ids(t.seen);
}

plain_stage::plain_stage(const dedupe_set& known, api::time_window window, metrics::exporter_metrics& m,
                         std::chrono::seconds outside_hold)
    : batch_(known, window, &m.labeler()) {
  batch_.hold_outside_ids_for(outside_hold);
}

void plain_stage::commit_counts(tenant_state& t) {
  t.metrics->apply(batch_.deltas());
  t.metrics->count_ingest(batch_.records(), batch_.duplicates(), batch_.invalid());
  t.metrics->count_revised(batch_.revised());
}

partner_stage::partner_stage(const dedupe_set& known, api::time_window window, account_book& accounts,
                             metrics::exporter_metrics& m, std::chrono::seconds outside_hold)
    : batch_(known, window, accounts.accounts(), &m.labeler()), accounts_(accounts) {
  batch_.whole().hold_outside_ids_for(outside_hold);
}

void partner_stage::commit_counts(tenant_state& t) { accounts_.commit(batch_, t); }

std::unique_ptr<window_stage> make_stage(const tenant_state& t, api::time_window window, account_book& accounts,
                                         metrics::exporter_metrics& m, std::chrono::milliseconds lookback) {
  const auto hold = std::chrono::ceil<std::chrono::seconds>(lookback);
  if (accounts.attributes(t)) return std::make_unique<partner_stage>(t.seen, window, accounts, m, hold);
  return std::make_unique<plain_stage>(t.seen, window, m, hold);
}

}  // namespace voxo::collector

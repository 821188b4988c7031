#pragma once
// Partner-wide mode's accounts (tenants: {partner: true}): the accounts the partner poll
// attributes records to (account_map, partner_batch.hpp) and their series. An account's call
// series look like a tenant's; its voxo_up follows the partner poll, its baseline closes with
// the partner poll's, and it has no request, poll, watermark or lag series of its own. A
// window's accounts are committed all at once or not at all (commit()). Outside partner-wide
// mode the book is empty and every call on it is a no-op, so callers need no mode branches.
// Owned by the tenant_book (tenant_book.hpp); written by the partner stage (window_stage.hpp)
// and read by state keeping and the status view.

#include <map>
#include <memory>
#include <string>

#include "collector/partner_batch.hpp"
#include "collector/state_file.hpp"
#include "collector/tenant_state.hpp"
#include "config/config.hpp"
#include "metrics/exporter_metrics.hpp"

namespace voxo::collector {

class account_book {
 public:
  // Partner-wide when cfg.partner.enabled (the first configured tenant is the partner poll).
  // `publish_each_change` false: series wait for publish() (with a state file).
  account_book(metrics::exporter_metrics& m, const config::config& cfg, bool publish_each_change);

  // True for the partner poll's tenant (whose windows are attributed to accounts).
  bool attributes(const tenant_state& t) const;
  // Tells the book the partner poll's tenant (its baseline decides new accounts').
  void track_partner(const tenant_state& t);
  const account_map& accounts() const { return *map_; }  // partner-wide only

  // A restored state of a label that is no tenant here (an account, or a tenant polled per
  // tenant before a mode switch) becomes an account, counters going on; taken from `pending`.
  // Partner-wide only; otherwise `pending` is left alone.
  void adopt(std::map<std::string, tenant_snapshot>& pending);
  // One successful window of the partner poll `partner`: every account of it, or none.
  void commit(const partner_batch& batch, tenant_state& partner);
  void set_up(bool up);  // the partner poll's outcome is every account's
  // `closed`'s first window is in: when it is the partner poll, every account's is too.
  void close_baseline(const tenant_state& closed);

  // Every account's series by label (empty outside partner-wide mode).
  const std::map<std::string, metrics::tenant_metrics*, std::less<>>& series() const noexcept { return series_; }
  const std::string& name_of(const std::string& label) const;

 private:
  metrics::tenant_metrics& account(const std::string& label);  // its series, made on first use

  metrics::exporter_metrics& metrics_;
  bool publish_each_change_;
  std::unique_ptr<account_map> map_;  // null outside partner-wide mode
  const tenant_state* partner_ = nullptr;
  std::map<std::string, metrics::tenant_metrics*, std::less<>> series_;
  bool warned_unattributed_ = false;
};

}  // namespace voxo::collector

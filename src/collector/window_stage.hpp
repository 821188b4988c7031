#pragma once
// One window's reply on its way to the metrics. The poll loop makes a stage per request
// (make_stage()), streams the reply into sink(), and calls commit() only when the reply
// succeeded; a failed reply's stage is dropped, so nothing of it is ever counted. A stage is
// the plain batch (plain_stage: every record is the tenant's) or, for the partner poll, the
// partner-wide batch with its account attribution (partner_stage: every account of the window
// is committed at once). The poll loop sees only this interface: one path for both modes.

#include <chrono>
#include <memory>

#include "api/call_reports_query.hpp"
#include "api/record_sink.hpp"
#include "collector/account_book.hpp"
#include "collector/partner_batch.hpp"
#include "collector/tenant_state.hpp"
#include "collector/window_batch.hpp"
#include "metrics/exporter_metrics.hpp"

namespace voxo::collector {

class window_stage {
 public:
  virtual ~window_stage() = default;

  // Where the reply's records stream (the batch itself: no forwarding per record).
  virtual api::record_sink& sink() noexcept = 0;
  // The reply succeeded: its counts reach the series (the tenant's, or its accounts'),
  // records outside the window are counted (and warned about once per tenant), and its ids
  // join t.seen. Once per stage. The watermark is the caller's.
  void commit(tenant_state& t);

 protected:
  // The whole window's ids, invalid and outside-window records.
  virtual window_batch& whole() noexcept = 0;
  virtual void commit_counts(tenant_state& t) = 0;
};

// Every record is the tenant's.
class plain_stage final : public window_stage {
 public:
  // `outside_hold`: see window_batch::hold_outside_ids_for(); the extra labels are `m`'s.
  plain_stage(const dedupe_set& known, api::time_window window, metrics::exporter_metrics& m,
              std::chrono::seconds outside_hold);
  api::record_sink& sink() noexcept override { return batch_; }

 private:
  window_batch& whole() noexcept override { return batch_; }
  void commit_counts(tenant_state& t) override;
  window_batch batch_;
};

// The partner poll's: records are attributed to the accounts they name.
class partner_stage final : public window_stage {
 public:
  partner_stage(const dedupe_set& known, api::time_window window, account_book& accounts, metrics::exporter_metrics& m,
                std::chrono::seconds outside_hold);
  api::record_sink& sink() noexcept override { return batch_; }

 private:
  window_batch& whole() noexcept override { return batch_.whole(); }
  void commit_counts(tenant_state& t) override;
  partner_batch batch_;
  account_book& accounts_;
};

// The stage for `t`'s next request of `window` (partner_stage when `accounts` attributes t's
// records). Ids of records outside the window are kept up to `lookback` past its end.
std::unique_ptr<window_stage> make_stage(const tenant_state& t, api::time_window window, account_book& accounts,
                                         metrics::exporter_metrics& m, std::chrono::milliseconds lookback);

}  // namespace voxo::collector

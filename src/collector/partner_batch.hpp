#pragma once
// Partner-wide mode (tenants: {partner: true}): one request per window covers every account
// of the partner, and each record is attributed to the account it names in `billingId`:
// a configured account's label when the billing code matches one, else the billingId made
// into a label by metrics::account_label(), else (no billingId, nothing usable in it, or past
// the cap on accounts) the partner poll's own label, "partner".
//
// A partner_batch stages one window like a window_batch (which it wraps for de-duplication:
// one dedupe set for the whole partner, ids are unique across accounts) and splits the call
// values by account. Nothing reaches the metrics until the collector commits the whole batch,
// every account of it at once.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "api/record_sink.hpp"
#include "collector/window_batch.hpp"
#include "config/config.hpp"
#include "metrics/call_deltas.hpp"

namespace voxo::collector {

// The accounts the partner poll attributes records to: configured ones plus those admitted so
// far (at most max_accounts of them; configured ones don't count).
class account_map {
 public:
  account_map(const config::partner_config& cfg, std::string partner_label);

  const std::string& partner_label() const noexcept { return partner_label_; }
  std::size_t max_accounts() const noexcept { return max_accounts_; }
  std::size_t admitted() const noexcept { return admitted_.size(); }
  // The display name of a configured account ("" otherwise).
  const std::string& name_of(std::string_view label) const;
  // The account label a billingId names, before the cap; "" = none (the partner's).
  std::string label_for(std::string_view billing_id) const;
  // True when `label` is configured or already admitted.
  bool known(std::string_view label) const;
  void admit(const std::string& label);  // on commit (also for restored accounts, past the cap)

 private:
  std::string partner_label_;
  std::size_t max_accounts_;
  std::map<std::string, std::string, std::less<>> configured_;  // billing code -> label
  std::map<std::string, std::string, std::less<>> names_;       // label -> display name
  std::set<std::string, std::less<>> admitted_;
};

class partner_batch : public api::record_sink {
 public:
  struct part {
    metrics::call_deltas deltas;
    std::uint64_t records = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t revised = 0;
  };

  partner_batch(const dedupe_set& known, api::time_window window, const account_map& accounts,
                metrics::call_labeler* labeler = nullptr);

  void on_record(const api::cdr& record) override;
  void on_invalid(std::string_view why) override;

  // The whole window: ids to commit, invalid records, records outside the window; no call
  // values (its deltas() stay empty: they are in parts()).
  window_batch& whole() noexcept { return whole_; }
  const window_batch& whole() const noexcept { return whole_; }
  // By account label (the partner's own label included when it has records).
  const std::map<std::string, part, std::less<>>& parts() const noexcept { return parts_; }
  // Accounts this window names for the first time (admitted on commit).
  const std::vector<std::string>& new_accounts() const noexcept { return new_accounts_; }
  // Records of accounts past max_accounts, counted as the partner's.
  std::uint64_t overflow() const noexcept { return overflow_; }

 private:
  part& part_for(std::string_view label);

  window_batch whole_;
  const account_map& accounts_;
  metrics::call_labeler* labeler_;
  std::map<std::string, part, std::less<>> parts_;
  std::vector<std::string> new_accounts_;
  std::uint64_t overflow_ = 0;
};

}  // namespace voxo::collector

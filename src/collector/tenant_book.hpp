#pragma once
// Every tenant the collector knows, by label: the polled ones (configured, discovered, the
// partner poll; tenant_state.hpp), the partner-wide accounts (account_book.hpp), and states
// restored from a state file or a reload whose tenant is not (yet) known ("pending": kept, and
// saved again, so a tenant that comes back resumes where it stopped). add() is the only way a
// tenant enters; a tenant never leaves (a vanished one is marked inactive, its series stay).
// The collector's parts share the one book on the collector's thread.

#include <map>
#include <memory>
#include <string>

#include "collector/account_book.hpp"
#include "collector/state_file.hpp"
#include "collector/tenant_state.hpp"
#include "config/config.hpp"
#include "metrics/exporter_metrics.hpp"

namespace voxo::collector {

class tenant_book {
 public:
  using tenant_map = std::map<std::string, std::shared_ptr<tenant_state>>;
  using pending_map = std::map<std::string, tenant_snapshot>;

  tenant_book(metrics::exporter_metrics& m, const config::config& cfg);

  // A tenant enters with its series; with a pending state of its label, it resumes from it
  // (watermark, ids, counters, runtime status) and the pending state is used up.
  std::shared_ptr<tenant_state> add(const config::tenant_config& tc, bool discovered);
  const tenant_state* find(const std::string& label) const;
  bool contains(const std::string& label) const { return tenants_.count(label) > 0; }

  tenant_map& tenants() noexcept { return tenants_; }
  const tenant_map& tenants() const noexcept { return tenants_; }
  pending_map& pending() noexcept { return pending_; }
  const pending_map& pending() const noexcept { return pending_; }
  account_book& accounts() noexcept { return accounts_; }
  const account_book& accounts() const noexcept { return accounts_; }

  // A discovered tenant's display name changed: its series follow.
  void rename(const std::string& label, const std::string& name) { metrics_.tenant(label, name); }
  // voxo_exporter_shard_tenants: the tenants polled (active) now.
  void publish_owned() const;

 private:
  metrics::exporter_metrics& metrics_;
  bool hold_;  // series wait for publish() (with a state file)
  tenant_map tenants_;
  pending_map pending_;
  account_book accounts_;
};

}  // namespace voxo::collector

#pragma once
// The exporter's whole configuration: the YAML file (--config.file) plus flags.
// Loading and validation live in config/config_loader.*; durations in util/duration.*.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "api/call_reports_query.hpp"
#include "api/client_options.hpp"
#include "config/shard.hpp"
#include "metrics/call_labels.hpp"

namespace voxo::config {

using namespace std::chrono_literals;

using api_config = api::client_options;  // the `api:` section

struct collector_config {
  std::chrono::milliseconds interval = 60s;
  std::chrono::milliseconds delay = 2min;
  std::chrono::milliseconds overlap = 15min;
  std::chrono::milliseconds lookback = 1h;
  unsigned concurrency = 4;
  std::optional<std::string> state_file;
  double max_requests_per_second = 0;  // the API budget, every request counts; 0 = unlimited
};

// The `metrics:` section: how many series a tenant costs. Read at start-up only: a SIGHUP
// that changes it keeps the running settings (logged), they apply after a restart.
struct metrics_config {
  bool per_tenant_histograms = true;          // false: call histograms summed over tenants
  metrics::extra_label_options extra_labels;  // extra_labels + max_label_values
  // A new series shows 0 this long before its values (longer than any scrape interval, so
  // every scraper stores the 0 and increase() counts the first calls); 0 = no hold.
  std::chrono::milliseconds new_series_hold = 2min;
  friend bool operator==(const metrics_config&, const metrics_config&) = default;
};

struct tenant_config {
  api::query_scope scope;  // tenant_scope or billing_code_scope (partner_scope for partner-wide)
  std::string label;       // value of the `tenant` label: the id or billing code as configured
  std::string name;        // optional display name (voxo_tenant_info)
};

struct discovery_config {
  bool enabled = false;
  std::vector<std::string> include;  // RE2 regexes on the whole tenant name or id
  std::vector<std::string> exclude;
  std::chrono::milliseconds refresh = 10min;
};

// tenants: {partner: true}: one partner-wide poll (tenants holds just it, label "partner")
// whose records are attributed to the accounts they name (collector/partner_batch.hpp).
struct partner_config {
  bool enabled = false;
  std::vector<tenant_config> accounts;  // billing codes with display names
  std::size_t max_accounts = 1000;      // accounts attributed from replies; past it: "partner"
};

struct web_config {
  std::string listen_address = ":10368";  // outside 9100-9999, which the allocation list has filled
  std::string telemetry_path = "/metrics";
  std::optional<std::string> web_config_file;
};

struct log_config {
  std::string level = "info";
  std::string format = "logfmt";
};

struct config {
  std::string source;  // the file it came from ("" = built-in demo)
  api_config api;
  collector_config collector;
  metrics_config metrics;
  std::vector<tenant_config> tenants;
  discovery_config discovery;
  partner_config partner;
  web_config web;
  log_config log;
  shard_config shard;                  // --shard.index / --shard.count
  std::size_t configured_tenants = 0;  // in the file, before sharding selected this replica's
};

}  // namespace voxo::config

#include "metrics/detail/exporter_series.hpp"

namespace voxo::metrics::detail {

namespace {

double unix_seconds(std::chrono::sys_seconds t) { return static_cast<double>(t.time_since_epoch().count()); }

}  // namespace

exporter_series::exporter_series(const registrar& r, families& f, const std::string& version,
                                 const std::string& revision) {
  f.build_info.Add({{"version", version}, {"revision", revision}}).Set(1);
  using prometheus::BuildCounter;
  using prometheus::BuildGauge;
  reload_success_ = &build(BuildGauge(), r, "voxo_exporter_config_last_reload_successful",
                           "1 when the last configuration reload (start-up or SIGHUP) succeeded, else 0.")
                         .Add({});
  reload_timestamp_ = &build(BuildGauge(), r, "voxo_exporter_config_last_reload_success_timestamp_seconds",
                             "Unix time of the last successful configuration reload (start-up or SIGHUP).")
                           .Add({});
  shard_tenants_ = &build(BuildGauge(), r, "voxo_exporter_shard_tenants",
                          "Tenants this replica polls (with --shard.count > 1, its share of them).")
                        .Add({});
  rate_limit_wait_ = &build(BuildCounter(), r, "voxo_collector_rate_limit_wait_seconds_total",
                            "Seconds API requests waited for the budget (collector.max_requests_per_second), "
                            "summed over requests.")
                          .Add({});
  unattributed_ = &build(BuildCounter(), r, "voxo_collector_partner_unattributed_records_total",
                         "Partner-wide records of accounts past tenants.max_accounts, counted as tenant=\"partner\".")
                       .Add({});
  // collector.state_file saves (a failures/total pair like Prometheus' own, plus the time of
  // the last success): while saves fail, the call counters stand still.
  state_saves_ =
      &build(BuildCounter(), r, "voxo_exporter_state_saves_total", "Attempts to save collector.state_file.").Add({});
  state_save_failures_ = &build(BuildCounter(), r, "voxo_exporter_state_save_failures_total",
                                "Failed saves of collector.state_file. Counts are shown only once saved: "
                                "while saves fail, the call counters stand still.")
                              .Add({});
  state_last_save_ = &build(BuildGauge(), r, "voxo_exporter_state_last_save_success_timestamp_seconds",
                            "Unix time of the last successful save of collector.state_file (0: none yet).")
                          .Add({});
}

void exporter_series::set_config_reload(bool success, std::chrono::sys_seconds when) {
  reload_success_->Set(success ? 1 : 0);
  if (success) reload_timestamp_->Set(unix_seconds(when));
}

void exporter_series::set_shard_tenants(std::size_t tenants) { shard_tenants_->Set(static_cast<double>(tenants)); }

void exporter_series::add_rate_limit_wait(double seconds) { rate_limit_wait_->Increment(seconds); }

void exporter_series::count_unattributed(std::uint64_t records) {
  unattributed_->Increment(static_cast<double>(records));
}

void exporter_series::count_state_save(bool success, std::chrono::sys_seconds when) {
  state_saves_->Increment();
  if (success) state_last_save_->Set(unix_seconds(when));
  else state_save_failures_->Increment();
}

}  // namespace voxo::metrics::detail

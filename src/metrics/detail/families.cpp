#include "metrics/detail/families.hpp"

namespace voxo::metrics::detail {

std::unique_ptr<families> make_families(const registrar& r, const std::string& every, call_labeler& labeler,
                                        bool per_tenant_histograms) {
  using prometheus::BuildCounter;
  using prometheus::BuildGauge;
  using prometheus::BuildHistogram;
  const std::string from = " Counted from CDRs collected in the background every " + every + ".";
  // Call histograms only: the HELP says when they carry no tenant label.
  const std::string hfrom =
      per_tenant_histograms ? from
                            : from + " Summed over the tenants of this replica (metrics.per_tenant_histograms: false).";
  return std::unique_ptr<families>(new families{
      build(BuildCounter(), r, "voxo_calls_total", "Calls (unique valid call records)." + from),
      build(BuildHistogram(), r, "voxo_call_duration_seconds", "Call duration in seconds, ringing included." + hfrom),
      build(BuildHistogram(), r, "voxo_call_talk_duration_seconds",
            "Talk time after answer in seconds, answered calls." + hfrom),
      build(BuildHistogram(), r, "voxo_call_mos",
            "Mean opinion score (1-5) of answered calls where it was measured." + hfrom),
      build(BuildHistogram(), r, "voxo_call_jitter_ratio",
            "Jitter as a ratio (percentJitter/100), answered calls." + hfrom),
      build(BuildHistogram(), r, "voxo_call_packet_loss_ratio",
            "Packet loss as a ratio (packetLoss/100), answered calls." + hfrom),
      build(BuildCounter(), r, "voxo_calls_recorded_total", "Calls that were recorded." + from),
      build(BuildCounter(), r, "voxo_queue_calls_total", "Calls that went through a call queue." + from),
      build(BuildGauge(), r, "voxo_tenant_info", "Configured tenant and its display name (always 1)."),
      build(BuildGauge(), r, "voxo_exporter_build_info", "Version and revision of voxo_exporter (always 1)."),
      build(BuildGauge(), r, "voxo_up", "1 when the last poll of the tenant's call reports succeeded, else 0."),
      build(BuildCounter(), r, "voxo_collector_requests_total",
            "API requests by HTTP status code, or code=\"error\" for transport faults."),
      build(BuildHistogram(), r, "voxo_collector_request_duration_seconds", "Duration of API requests in seconds."),
      build(BuildCounter(), r, "voxo_collector_records_total", "Unique valid call records ingested."),
      build(BuildCounter(), r, "voxo_collector_duplicate_records_total",
            "Call records skipped because their id was already counted (overlapping windows)."),
      build(BuildCounter(), r, "voxo_collector_invalid_records_total",
            "Call records skipped because they could not be trusted (no id, bad time, wrong type)."),
      build(BuildGauge(), r, "voxo_collector_last_success_timestamp_seconds",
            "Unix time the last successful poll of the tenant ended."),
      build(BuildGauge(), r, "voxo_collector_watermark_timestamp_seconds",
            "Unix time up to which the tenant's call reports were collected completely."),
      build(BuildCounter(), r, "voxo_collector_polls_total", "Polls of the tenant by result (success, failure)."),
      build(BuildCounter(), r, "voxo_collector_revised_records_total",
            "Call records that came back under an id already counted with changed values (the API filled in "
            "MOS, duration, ... later). The call is still counted once: its first version's values stay, "
            "the revised one is not added."),
      build(BuildCounter(), r, "voxo_collector_records_outside_window_total",
            "Call records counted whose time lies outside the window asked for (api.record_timezone is likely "
            "wrong, or the API misplaced them). They are counted, and remembered until their own time has "
            "passed, so the API returning them again in their own window does not count them twice."),
      labeler,
      per_tenant_histograms,
  });
}

}  // namespace voxo::metrics::detail

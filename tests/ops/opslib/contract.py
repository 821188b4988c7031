"""The exporter's public metric contract, as the dashboards and rules rely on it."""

COUNTERS = {
    "voxo_calls_total": {"tenant", "direction", "disposition"},
    "voxo_calls_recorded_total": {"tenant", "direction"},
    "voxo_queue_calls_total": {"tenant", "direction"},
    "voxo_collector_requests_total": {"tenant", "code"},
    "voxo_collector_records_total": {"tenant"},
    "voxo_collector_duplicate_records_total": {"tenant"},
    "voxo_collector_invalid_records_total": {"tenant"},
    "voxo_exporter_state_saves_total": set(),
    "voxo_exporter_state_save_failures_total": set(),
}
HISTOGRAMS = {
    "voxo_call_duration_seconds": {"tenant", "direction"},
    "voxo_call_talk_duration_seconds": {"tenant", "direction"},
    "voxo_call_mos": {"tenant", "direction"},
    "voxo_call_jitter_ratio": {"tenant", "direction"},
    "voxo_call_packet_loss_ratio": {"tenant", "direction"},
    "voxo_collector_request_duration_seconds": {"tenant"},
}
GAUGES = {
    "voxo_tenant_info": {"tenant", "name"},
    "voxo_exporter_build_info": {"version", "revision"},
    "voxo_up": {"tenant"},
    "voxo_collector_last_success_timestamp_seconds": {"tenant"},
    "voxo_collector_watermark_timestamp_seconds": {"tenant"},
    "voxo_exporter_state_last_save_success_timestamp_seconds": set(),
}
# The rules read these bucket bounds by name (le="3.6"); prometheus-cpp writes 4.0 as "4".
MOS_BUCKETS_REQUIRED = ("3.1", "3.6", "4", "4.3")

DIRECTIONS = ("in", "out", "local", "internal", "other")
DISPOSITIONS = ("answered", "no_answer", "busy", "failed", "congestion", "other")


def series_names():
    """Every series name the exporter exposes for its own metrics (not process_*)."""
    names = set(COUNTERS) | set(GAUGES)
    for h in HISTOGRAMS:
        names |= {h + "_bucket", h + "_sum", h + "_count"}
    return names


def is_known(name):
    """True for a contract series name, process_* / go-style process metrics and `up`."""
    return name in series_names() or name.startswith("process_") or name == "up"

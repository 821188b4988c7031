#!/usr/bin/env python3
"""Writes dashboards/voxo-call-quality.json (Grafana JSON model, schemaVersion 39).

The dashboard is generated so that ids, grid positions and the repeated datasource stay
consistent; edit this script, run it, and commit both. tests/ops/check_dashboards.py fails
when the committed JSON differs from what this script writes.

Usage: make_dashboards.py [--check] [output-dir]   (default: dashboards/ of this repository)
"""
import argparse
import json
import pathlib
import sys

DS = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'tenant=~"$tenant"'

# ITU-T G.107 E-model user-satisfaction bands, drawn as threshold lines on MOS panels.
MOS_STEPS = [
    {"color": "red", "value": None},
    {"color": "orange", "value": 3.1},
    {"color": "yellow", "value": 3.6},
    {"color": "green", "value": 4.0},
    {"color": "dark-green", "value": 4.3},
]


class Layout:
    """Hands out panel ids and grid positions row by row (24 columns)."""

    def __init__(self):
        self.next_id = 1
        self.x = 0
        self.y = 0
        self.row_height = 0

    def take(self, w, h):
        if self.x + w > 24:
            self.newline()
        pos = {"h": h, "w": w, "x": self.x, "y": self.y}
        self.x += w
        self.row_height = max(self.row_height, h)
        pid = self.next_id
        self.next_id += 1
        return pid, pos

    def newline(self):
        self.y += self.row_height
        self.x = 0
        self.row_height = 0


def target(expr, legend="__auto", ref="A", instant=False, fmt="time_series"):
    t = {
        "datasource": DS,
        "editorMode": "code",
        "expr": expr,
        "legendFormat": legend,
        "range": not instant,
        "instant": instant,
        "refId": ref,
    }
    if fmt != "time_series":
        t["format"] = fmt
    return t


def targets(*exprs):
    """(expr, legend) pairs -> targets A, B, C..."""
    return [target(e, l, chr(ord("A") + i)) for i, (e, l) in enumerate(exprs)]


def timeseries(lay, title, desc, tgts, unit, w=12, h=8, steps=None, minv=None, maxv=None,
               interval=None):
    pid, pos = lay.take(w, h)
    defaults = {
        "unit": unit,
        "color": {"mode": "palette-classic"},
        "custom": {
            "drawStyle": "line",
            "lineWidth": 1,
            "fillOpacity": 10,
            "showPoints": "never",
            "spanNulls": False,
            "thresholdsStyle": {"mode": "line+area" if steps else "off"},
        },
        "thresholds": {"mode": "absolute",
                       "steps": steps or [{"color": "green", "value": None}]},
    }
    if minv is not None:
        defaults["min"] = minv
    if maxv is not None:
        defaults["max"] = maxv
    panel = {
        "id": pid,
        "type": "timeseries",
        "title": title,
        "description": desc,
        "datasource": DS,
        "gridPos": pos,
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "options": {
            "legend": {"displayMode": "list", "placement": "bottom", "showLegend": True},
            "tooltip": {"mode": "multi", "sort": "desc"},
        },
        "targets": tgts,
    }
    if interval:
        panel["interval"] = interval
    return panel


def stat(lay, title, desc, expr, unit, steps, w=4, h=4, decimals=None):
    pid, pos = lay.take(w, h)
    defaults = {"unit": unit, "color": {"mode": "thresholds"},
                "thresholds": {"mode": "absolute", "steps": steps}}
    if decimals is not None:
        defaults["decimals"] = decimals
    return {
        "id": pid,
        "type": "stat",
        "title": title,
        "description": desc,
        "datasource": DS,
        "gridPos": pos,
        "fieldConfig": {"defaults": defaults, "overrides": []},
        "options": {
            "colorMode": "value",
            "graphMode": "area",
            "justifyMode": "auto",
            "orientation": "auto",
            "reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
            "textMode": "auto",
        },
        "targets": [target(expr)],
    }


def row(lay, title):
    lay.newline()
    pid, pos = lay.take(24, 1)
    lay.newline()
    return {"id": pid, "type": "row", "title": title, "collapsed": False, "gridPos": pos,
            "panels": []}


def combined_quantile(q, hist):
    """Quantile over the selected tenants from the per-tenant bucket rates."""
    return f"histogram_quantile({q}, sum by (le) (tenant_le:{hist}_bucket:rate10m{{{SEL}}}))"


def worst_tenants_table(lay):
    """The tenants with the largest share of answered calls under MOS 3.6 in the last hour."""
    top = (f"topk(20, tenant:voxo_call_mos_under_3_6_ratio:rate1h{{{SEL}}}"
           f" and on (tenant) tenant:voxo_call_mos_count:increase1h >= 20)")

    def named(expr):
        # Adds the display name, and leaves every query with the same labels (tenant, name)
        # so the merge transformation lines the rows up.
        return f"({expr}) * on (tenant) group_left (name) max by (tenant, name) (voxo_tenant_info)"

    cols = [
        ("A", named(top), "Share under MOS 3.6"),
        ("B", named(f"tenant:voxo_call_mos_p05:rate1h and on (tenant) {top}"), "MOS p05"),
        ("C", named(f"tenant:voxo_call_packet_loss_ratio_p95:rate1h and on (tenant) {top}"),
         "Packet loss p95"),
        ("D", named(f"tenant:voxo_call_jitter_ratio_p95:rate1h and on (tenant) {top}"),
         "Jitter p95"),
        ("E", named(f"tenant:voxo_call_mos_count:increase1h and on (tenant) {top}"),
         "Calls with MOS (1h)"),
    ]
    pid, pos = lay.take(24, 10)
    overrides = []
    for ref, _, name in cols:
        unit = {"A": "percentunit", "C": "percentunit", "D": "percentunit",
                "B": "none", "E": "short"}[ref]
        props = [{"id": "unit", "value": unit}]
        if ref == "A":
            props += [{"id": "custom.cellOptions", "value": {"type": "color-background"}},
                      {"id": "thresholds", "value": {"mode": "absolute", "steps": [
                          {"color": "green", "value": None},
                          {"color": "orange", "value": 0.1},
                          {"color": "red", "value": 0.2}]}}]
        if ref == "B":
            props += [{"id": "decimals", "value": 2}]
        overrides.append({"matcher": {"id": "byName", "options": name}, "properties": props})
    return {
        "id": pid,
        "type": "table",
        "title": "Tenants with the worst call quality (last hour)",
        "description": "Up to 20 tenants with the largest share of answered calls under MOS 3.6 "
                       "over the last hour, among tenants with at least 20 calls with a MOS "
                       "(the same minimum as the VoxoCallQualityDropped alert).",
        "datasource": DS,
        "gridPos": pos,
        "fieldConfig": {"defaults": {"custom": {"align": "auto", "cellOptions": {"type": "auto"}}},
                        "overrides": overrides},
        "options": {"showHeader": True, "cellHeight": "sm",
                    "sortBy": [{"displayName": "Share under MOS 3.6", "desc": True}]},
        "targets": [target(e, "__auto", ref, instant=True, fmt="table") for ref, e, _ in cols],
        "transformations": [
            {"id": "merge", "options": {}},
            {"id": "organize", "options": {
                "excludeByName": {"Time": True},
                "indexByName": {"tenant": 0, "name": 1},
                "renameByName": {"tenant": "Tenant", "name": "Name",
                                 **{f"Value #{ref}": name for ref, _, name in cols}},
            }},
        ],
    }


def call_quality_dashboard():
    lay = Layout()
    p = []
    green = [{"color": "green", "value": None}]

    p.append(row(lay, "Overview (selected tenants, last 10 minutes of collected calls)"))
    p.append(stat(lay, "Calls per minute", "All calls of the selected tenants.",
                  f"sum(tenant:voxo_calls_per_minute:rate10m{{{SEL}}})", "short", green))
    p.append(stat(lay, "Answer seizure ratio", "Answered calls / all calls (ASR).",
                  f"sum(tenant:voxo_calls_answered_per_minute:rate10m{{{SEL}}})"
                  f" / sum(tenant:voxo_calls_per_minute:rate10m{{{SEL}}})", "percentunit",
                  [{"color": "red", "value": None}, {"color": "orange", "value": 0.5},
                   {"color": "green", "value": 0.7}]))
    p.append(stat(lay, "Average call duration", "Talk seconds per answered call (ACD).",
                  f"sum(tenant:voxo_talk_seconds_per_minute:rate10m{{{SEL}}})"
                  f" / sum(tenant:voxo_talk_calls_per_minute:rate10m{{{SEL}}})", "s", green))
    p.append(stat(lay, "MOS median", "Median MOS of answered calls with a measured MOS; "
                  "colours follow the ITU-T G.107 E-model bands.",
                  combined_quantile(0.5, "voxo_call_mos"), "none", MOS_STEPS, decimals=2))
    p.append(stat(lay, "Share under MOS 3.6", "Answered calls with a MOS under 3.6 "
                  "(E-model: some users dissatisfied).",
                  f'sum(tenant_le:voxo_call_mos_bucket:rate10m{{{SEL},le="3.6"}})'
                  f' / sum(tenant_le:voxo_call_mos_bucket:rate10m{{{SEL},le="+Inf"}})',
                  "percentunit", [{"color": "green", "value": None},
                                  {"color": "orange", "value": 0.1},
                                  {"color": "red", "value": 0.2}]))
    p.append(stat(lay, "Tenants failing to poll", "Selected tenants whose last VOXO API poll "
                  "failed (voxo_up == 0).",
                  f"count(voxo_up{{{SEL}}} == 0) or vector(0)", "short",
                  [{"color": "green", "value": None}, {"color": "red", "value": 1}]))

    p.append(row(lay, "Call volume"))
    p.append(timeseries(lay, "Calls per minute by direction",
                        "Counted from collected CDRs: the data lags real time by "
                        "collector.delay (~2 min).",
                        targets((f"sum by (direction) (tenant_direction:voxo_calls_per_minute"
                                 f":rate10m{{{SEL}}})", "{{direction}}")), "short"))
    p.append(timeseries(lay, "Calls per minute by disposition",
                        "busy / failed / congestion point to trunks or carriers, no_answer "
                        "to staffing or call flows.",
                        targets((f"sum by (disposition) (tenant_disposition:voxo_calls_per_minute"
                                 f":rate10m{{{SEL}}})", "{{disposition}}")), "short"))
    p.append(timeseries(lay, "Answer seizure ratio (ASR)",
                        "Answered / all calls: the selected tenants together, and the 10 "
                        "selected tenants with the lowest ASR.",
                        targets((f"sum(tenant:voxo_calls_answered_per_minute:rate10m{{{SEL}}})"
                                 f" / sum(tenant:voxo_calls_per_minute:rate10m{{{SEL}}})",
                                 "selected tenants"),
                                (f"bottomk(10, tenant:voxo_answer_seizure_ratio:rate10m{{{SEL}}})",
                                 "{{tenant}}")), "percentunit", minv=0, maxv=1))
    p.append(timeseries(lay, "Average call duration (ACD)",
                        "Talk seconds per answered call, counted when the call ends.",
                        targets((f"sum(tenant:voxo_talk_seconds_per_minute:rate10m{{{SEL}}})"
                                 f" / sum(tenant:voxo_talk_calls_per_minute:rate10m{{{SEL}}})",
                                 "selected tenants")), "s", minv=0))
    p.append(timeseries(lay, "Talk time (average concurrent answered calls)",
                        "Talk seconds per second = Erlangs. Counted when calls end, so long "
                        "calls show up late and at once.",
                        targets((f"sum(tenant:voxo_talk_seconds_per_minute:rate10m{{{SEL}}}) / 60",
                                 "Erlang")), "short", minv=0))
    p.append(timeseries(lay, "Recorded and queue calls per minute",
                        "Calls with call recording on, and calls that went through a queue.",
                        targets((f"sum(tenant:voxo_calls_recorded_per_minute:rate10m{{{SEL}}})",
                                 "recorded"),
                                (f"sum(tenant:voxo_queue_calls_per_minute:rate10m{{{SEL}}})",
                                 "queue")), "short", minv=0))

    p.append(row(lay, "Call quality (answered calls)"))
    p.append(timeseries(lay, "MOS median and 5th percentile",
                        "Answered calls with a measured MOS. Bands: ITU-T G.107 E-model "
                        "(4.3+ very satisfied, 4.0 satisfied, 3.6 some dissatisfied, 3.1 many "
                        "dissatisfied).",
                        targets((combined_quantile(0.5, "voxo_call_mos"), "median"),
                                (combined_quantile(0.05, "voxo_call_mos"), "5th percentile")),
                        "none", steps=MOS_STEPS, minv=1, maxv=5))
    p.append(timeseries(lay, "Share of answered calls under MOS 3.6",
                        "The selected tenants together, and the 10 selected tenants with the "
                        "largest share. VoxoCallQualityDropped fires above 20% over an hour.",
                        targets((f'sum(tenant_le:voxo_call_mos_bucket:rate10m{{{SEL},le="3.6"}})'
                                 f' / sum(tenant_le:voxo_call_mos_bucket:rate10m'
                                 f'{{{SEL},le="+Inf"}})', "selected tenants"),
                                (f"topk(10, tenant:voxo_call_mos_under_3_6_ratio:rate10m{{{SEL}}})",
                                 "{{tenant}}")), "percentunit",
                        steps=[{"color": "transparent", "value": None},
                               {"color": "red", "value": 0.2}], minv=0))
    p.append(timeseries(lay, "Jitter p95",
                        "95th percentile of per-call jitter (VOXO percentJitter / 100); "
                        "VoxoHighJitter fires above 5% over an hour.",
                        targets((combined_quantile(0.95, "voxo_call_jitter_ratio"),
                                 "selected tenants"),
                                (f"topk(10, tenant:voxo_call_jitter_ratio_p95:rate10m{{{SEL}}})",
                                 "{{tenant}}")), "percentunit",
                        steps=[{"color": "transparent", "value": None},
                               {"color": "red", "value": 0.05}], minv=0))
    p.append(timeseries(lay, "Packet loss p95",
                        "95th percentile of per-call packet loss; above 1% is audible "
                        "(VoxoHighPacketLoss).",
                        targets((combined_quantile(0.95, "voxo_call_packet_loss_ratio"),
                                 "selected tenants"),
                                (f"topk(10, tenant:voxo_call_packet_loss_ratio_p95:rate10m"
                                 f"{{{SEL}}})", "{{tenant}}")), "percentunit",
                        steps=[{"color": "transparent", "value": None},
                               {"color": "red", "value": 0.01}], minv=0))

    p.append(row(lay, "Worst tenants"))
    p.append(worst_tenants_table(lay))

    p.append(row(lay, "Collector health"))
    p.append(timeseries(lay, "Age of the last successful poll",
                        "Seconds since the last successful VOXO API poll, 10 oldest selected "
                        "tenants; VoxoCollectorStale fires above 10 minutes.",
                        targets((f"topk(10, time() - voxo_collector_last_success_timestamp_seconds"
                                 f"{{{SEL}}})", "{{tenant}}")), "s",
                        steps=[{"color": "transparent", "value": None},
                               {"color": "red", "value": 600}], minv=0, w=8))
    p.append(timeseries(lay, "Collection lag (watermark age)",
                        "How far behind real time calls are collected completely; about "
                        "collector.delay plus one interval when healthy.",
                        targets((f"topk(10, time() - voxo_collector_watermark_timestamp_seconds"
                                 f"{{{SEL}}})", "{{tenant}}")), "s", minv=0, w=8))
    p.append(timeseries(lay, "API requests per minute by code",
                        "HTTP status of VOXO API requests; error = network, DNS, TLS or timeout.",
                        targets((f"60 * sum by (code) (rate(voxo_collector_requests_total"
                                 f"{{{SEL}}}[$__rate_interval]))", "{{code}}")), "short",
                        minv=0, w=8, interval="1m"))
    p.append(timeseries(lay, "Records per minute: fetched, duplicate, invalid",
                        "Duplicates are expected from the overlap between polls and are "
                        "dropped; invalid records could not be parsed or lack required fields.",
                        targets((f"60 * sum(rate(voxo_collector_records_total{{{SEL}}}"
                                 f"[$__rate_interval]))", "records"),
                                (f"60 * sum(rate(voxo_collector_duplicate_records_total{{{SEL}}}"
                                 f"[$__rate_interval]))", "duplicates"),
                                (f"60 * sum(rate(voxo_collector_invalid_records_total{{{SEL}}}"
                                 f"[$__rate_interval]))", "invalid")), "short",
                        minv=0, w=8, interval="1m"))
    p.append(timeseries(lay, "API request latency p95",
                        "95th percentile duration of one GET /call-reports.",
                        targets((f"histogram_quantile(0.95, sum by (le) (rate("
                                 f"voxo_collector_request_duration_seconds_bucket{{{SEL}}}"
                                 f"[$__rate_interval])))", "p95")), "s",
                        minv=0, w=8, interval="1m"))
    p.append(timeseries(lay, "Exporter resident memory",
                        "process_resident_memory_bytes of each exporter instance.",
                        targets(('process_resident_memory_bytes and on (instance, job) '
                                 'voxo_exporter_build_info', "{{instance}}")),
                        "bytes", minv=0, w=8))

    return {
        "annotations": {"list": [{
            "builtIn": 1,
            "datasource": {"type": "grafana", "uid": "-- Grafana --"},
            "enable": True,
            "hide": True,
            "iconColor": "rgba(0, 211, 255, 1)",
            "name": "Annotations & Alerts",
            "type": "dashboard",
        }]},
        "description": "Calls, answer rate and call quality (MOS, jitter, packet loss) of VOXO "
                       "tenants from voxo_exporter, and the exporter's collector health. Needs "
                       "the recording rules in deploy/prometheus/recording_rules.yml.",
        "editable": True,
        "fiscalYearStartMonth": 0,
        "graphTooltip": 1,
        "id": None,
        "links": [],
        "panels": p,
        "refresh": "1m",
        "schemaVersion": 39,
        "tags": ["voxo", "telephony", "voip"],
        "templating": {"list": [
            {
                "name": "datasource",
                "label": "Data source",
                "type": "datasource",
                "query": "prometheus",
                "current": {},
                "hide": 0,
                "includeAll": False,
                "multi": False,
                "options": [],
                "refresh": 1,
                "regex": "",
                "skipUrlSync": False,
            },
            {
                "name": "tenant",
                "label": "Tenant",
                "type": "query",
                "datasource": DS,
                "definition": "label_values(voxo_tenant_info, tenant)",
                "query": {"qryType": 1, "query": "label_values(voxo_tenant_info, tenant)",
                          "refId": "PrometheusVariableQueryEditor-VariableQuery"},
                # All = any tenant: avoids a regex listing thousands of tenants.
                "allValue": ".+",
                "current": {},
                "hide": 0,
                "includeAll": True,
                "multi": True,
                "options": [],
                "refresh": 2,
                "regex": "",
                "skipUrlSync": False,
                "sort": 1,
            },
        ]},
        "time": {"from": "now-6h", "to": "now"},
        "timepicker": {},
        "timezone": "browser",
        "title": "VOXO call quality",
        "uid": "voxo-call-quality",
        "version": 1,
        "weekStart": "",
    }


DASHBOARDS = {"voxo-call-quality.json": call_quality_dashboard}


def render(build):
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true",
                    help="exit 1 if a committed dashboard differs from the generated one")
    ap.add_argument("outdir", nargs="?",
                    default=pathlib.Path(__file__).resolve().parents[2] / "dashboards")
    args = ap.parse_args()
    outdir = pathlib.Path(args.outdir)
    stale = []
    for name, build in DASHBOARDS.items():
        text = render(build)
        path = outdir / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date (run scripts/ops/make_dashboards.py): " + ", ".join(stale),
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

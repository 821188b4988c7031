#!/usr/bin/env python3
"""End to end with the real binaries: voxo_sim -> voxo_exporter -> a real Prometheus.

1. Starts voxo_sim (3 live tenants, 10800 calls an hour each, good call quality), the exporter
   polling it every second (delay 5s), and `prometheus` scraping the exporter every second with
   the SHIPPED rule files, evaluated every second.
2. Shipped rules: no rule errors; every PromQL expression of every rule and dashboard panel
   evaluates; every recorded series and every dashboard panel returns data for EACH tenant
   (the `tenant` variable set to one tenant at a time); the core values are plausible (ASR in
   (0, 1], median MOS of good calls in [4, 4.5], no call under MOS 3.6, a recent last success).
3. Reloads Prometheus (SIGHUP) with a time-compressed copy of the rules (opslib/timescale.py:
   every duration / 60, so the alerts' 1h windows are 1m and `for: 15m` is 15s) and checks
   that no alert is active while every tenant has enough calls for the quality alert.
4. Turns one tenant's call quality bad (POST /_sim/quality) and waits, bounded, until
   VoxoCallQualityDropped is pending or firing for that tenant; at no point may it be active
   for another tenant, nor may any alert be active for the other tenants.

Every process is stopped at the end, also on failure. Loopback only, OS-picked ports.
Exit status: 0 = all good, 1 = a check failed, 2 = a process could not be started.
"""
import argparse
import pathlib
import signal
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from opslib import expressions, timescale  # noqa: E402
from opslib.prometheus import PrometheusError, PrometheusServer  # noqa: E402
from opslib.voxo import Exporter, ProcessError, Simulator  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
RULES = sorted((ROOT / "deploy/prometheus").glob("*_rules.yml"))
DASHBOARDS = sorted((ROOT / "dashboards").glob("*.json"))
TIME_FACTOR = 60
BAD_TENANT = "102"
ALERT = "VoxoCallQualityDropped"

# Per-tenant checks on the core series: (PromQL, what a value must satisfy, description).
CORE = [
    ("tenant:voxo_calls_per_minute:rate10m", lambda v: v > 0, "calls per minute > 0"),
    ("tenant:voxo_answer_seizure_ratio:rate10m", lambda v: 0 < v <= 1, "ASR in (0, 1]"),
    ("tenant:voxo_average_call_duration_seconds:rate10m", lambda v: v > 0, "ACD > 0"),
    ("tenant:voxo_call_mos_p50:rate10m", lambda v: 4.0 <= v <= 4.5, "median MOS in [4, 4.5]"),
    ("tenant:voxo_call_mos_p05:rate10m", lambda v: 3.6 <= v <= 4.5, "MOS p05 in [3.6, 4.5]"),
    ("tenant:voxo_call_mos_under_3_6_ratio:rate10m", lambda v: v == 0, "no call under MOS 3.6"),
    ("voxo_up", lambda v: v == 1, "voxo_up == 1"),
    ("time() - voxo_collector_last_success_timestamp_seconds", lambda v: v < 60,
     "last success under 60s ago"),
]


class Failed(Exception):
    pass


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def by_tenant(prom, expr):
    reply = prom.query(expr)
    if reply.get("status") != "success":
        raise Failed(f"{expr}: {reply.get('errorType')}: {reply.get('error')}")
    return {s["metric"].get("tenant"): float(s["value"][1]) for s in reply["data"]["result"]}


# Every wait also ends at this overall deadline, so the run stays under ctest's TIMEOUT (300 s)
# and fails with a message (and cleans up) rather than being killed.
RUN_BUDGET = 270
run_deadline = time.monotonic() + RUN_BUDGET


def remaining():
    return run_deadline - time.monotonic()


def wait_until(what, timeout, probe):
    """Calls probe() every second until it returns a falsy list of problems."""
    deadline = time.monotonic() + min(timeout, max(remaining(), 0))
    while True:
        problems = probe()
        if not problems:
            return
        if time.monotonic() > deadline:
            raise Failed(f"{what} not reached in {timeout}s:\n  " + "\n  ".join(problems))
        time.sleep(1)


def rule_errors(prom):
    return [f"rule {g['name']}/{r['name']}: {r.get('lastError')}"
            for g in prom.rule_groups() for r in g["rules"] if r.get("health") == "err"]


# --- phase 2: the shipped rules on real data -------------------------------------------------
def check_shipped_rules(prom, tenants):
    failures = []
    recorded = sorted(expressions.recorded_names(RULES))

    def every_tenant_has_data():
        missing = []
        for name in recorded + [expr for expr, _, _ in CORE]:
            got = set(by_tenant(prom, name))
            if not tenants <= got:
                missing.append(f"{name}: tenants {sorted(tenants - got)} have no data")
        return missing

    wait_until("data for every tenant in every recorded series", 120, every_tenant_has_data)
    log("every recorded series has data for every tenant")

    # Values settle once a few polls are in; give them a moment before judging them.
    def core_values_plausible():
        bad = []
        for expr, ok, desc in CORE:
            for t, v in sorted(by_tenant(prom, expr).items()):
                if t in tenants and not ok(v):
                    bad.append(f"tenant {t}: {expr} = {v}, expected {desc}")
        return bad

    wait_until("plausible core values", 30, core_values_plausible)

    # The worst-tenants table lists tenants with >= 20 measured calls in the hour; a fresh
    # Prometheus has seen only seconds of that hour, so wait until each tenant has them.
    def enough_calls():
        got = by_tenant(prom, "tenant:voxo_call_mos_count:increase1h")
        return [f"tenant {t}: {got.get(t)} calls with a MOS, need 20"
                for t in sorted(tenants) if got.get(t, 0) < 20]

    wait_until("20 calls with a MOS for every tenant", 90, enough_calls)

    failures += rule_errors(prom)
    exprs = [e for p in RULES for e in expressions.from_rules(p)]
    dash = [e for p in DASHBOARDS for e in expressions.from_dashboard(p)]
    failures += expressions.check(prom, exprs + dash)
    # Each panel with the tenant variable set to one tenant must show something.
    for t in sorted(tenants):
        for e in dash:
            q = e.promql({"tenant": t})
            reply = prom.query(q)
            if not reply.get("data", {}).get("result"):
                failures.append(f"{e.source} with tenant={t}: no data\n    {q}")
    # rate10m over the few seconds Prometheus has seen reads low: informational only.
    log("tenant, calls per minute, ASR, median MOS: " + "; ".join(
        f"{t} {by_tenant(prom, 'tenant:voxo_calls_per_minute:rate10m').get(t, 0):.1f} "
        f"{by_tenant(prom, 'tenant:voxo_answer_seizure_ratio:rate10m').get(t, 0):.2f} "
        f"{by_tenant(prom, 'tenant:voxo_call_mos_p50:rate10m').get(t, 0):.2f}"
        for t in sorted(tenants)))
    log(f"{len(exprs)} rule and {len(dash)} dashboard expressions evaluated; "
        f"{len(dash)} panel queries for each of {len(tenants)} tenants")
    return failures


# --- phase 3/4: the quality alert -------------------------------------------------------------
def active(prom):
    return [a for a in prom.alerts() if a.get("state") in ("pending", "firing")]


def describe(alerts):
    return [f"{a['labels'].get('alertname')}{{tenant={a['labels'].get('tenant')}}} "
            f"{a['state']} value={a.get('value')}" for a in alerts]


def check_quality_alert(prom, sim, tenants, scaled_dir):
    scaled = []
    for p in RULES:
        out = scaled_dir / p.name
        out.write_text(timescale.scale_rule_file(p, TIME_FACTOR))
        scaled.append(out)
    reloaded_at = time.time()
    prom.reload(scaled)
    for_durations = {r["name"]: r.get("duration") for g in prom.rule_groups()
                     for r in g["rules"] if r.get("type") == "alerting"}
    if for_durations.get(ALERT) != 15:
        raise Failed(f"scaled rules not loaded: {ALERT} has for {for_durations.get(ALERT)}s")

    def evaluated_since_reload():
        return [f"{g['name']}/{r['name']} not evaluated since the reload"
                for g in prom.rule_groups() for r in g["rules"]
                if r.get("health") != "ok" or _ts(r.get("lastEvaluation")) < reloaded_at]

    wait_until("every scaled rule evaluated", 30, evaluated_since_reload)

    # The quality alert needs >= 20 measured calls in its (scaled) window for a tenant to be
    # judged at all: make sure every tenant qualifies, so "no other tenant" means something.
    def enough_calls():
        got = by_tenant(prom, "tenant:voxo_call_mos_count:increase1h")
        return [f"tenant {t}: {got.get(t)} calls with a MOS in the window, need 20"
                for t in sorted(tenants) if got.get(t, 0) < 20]

    wait_until("enough calls for the quality alert", 60, enough_calls)
    baseline = active(prom)
    if baseline:
        raise Failed("alerts active before any quality change:\n  "
                     + "\n  ".join(describe(baseline)))
    log("scaled rules loaded and evaluated; no alert active; switching tenant "
        f"{BAD_TENANT} to bad quality")

    sim.switch_quality(BAD_TENANT, "bad")
    switched_at = time.monotonic()
    deadline = switched_at + min(150, max(remaining(), 0))
    others = sorted(tenants - {BAD_TENANT})
    while True:
        now_active = active(prom)
        wrong = [a for a in now_active if a["labels"].get("tenant") in others]
        if wrong:
            raise Failed(f"alerts active for tenants other than {BAD_TENANT}:\n  "
                         + "\n  ".join(describe(wrong)))
        hit = [a for a in now_active if a["labels"].get("alertname") == ALERT
               and a["labels"].get("tenant") == BAD_TENANT]
        if hit:
            log(f"{ALERT} {hit[0]['state']} for tenant {BAD_TENANT} "
                f"{time.monotonic() - switched_at:.0f}s after the switch; active: "
                + "; ".join(describe(now_active)))
            break
        if time.monotonic() > deadline:
            share = by_tenant(prom, "tenant:voxo_call_mos_under_3_6_ratio:rate1h")
            raise Failed(f"{ALERT} not active for tenant {BAD_TENANT} "
                         f"{time.monotonic() - switched_at:.0f}s after the switch; "
                         f"under-3.6 share per tenant: {share}; active: {describe(now_active)}")
        time.sleep(1)

    share = by_tenant(prom, "tenant:voxo_call_mos_under_3_6_ratio:rate1h")
    bad = [f"tenant {t}: under-3.6 share {share.get(t)}, expected 0" for t in others
           if share.get(t) != 0]
    if not share.get(BAD_TENANT, 0) > 0.2:
        bad.append(f"tenant {BAD_TENANT}: under-3.6 share {share.get(BAD_TENANT)}, expected > 0.2")
    return bad + rule_errors(prom)


def _ts(text):
    from datetime import datetime
    if not text:
        return 0.0
    # Prometheus writes RFC 3339 with nanoseconds; fromisoformat takes at most microseconds.
    head, _, frac = text.rstrip("Z").partition(".")
    frac = frac.split("+")[0].split("-")[0]
    try:
        return datetime.fromisoformat(f"{head}.{frac[:6] or '0'}+00:00").timestamp()
    except ValueError:
        return 0.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exporter", required=True, help="voxo_exporter binary")
    ap.add_argument("--sim", required=True, help="voxo_sim binary")
    ap.add_argument("--prometheus", default="prometheus", help="prometheus binary")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = ap.parse_args()
    # ctest or a user stopping the run: unwind the `with` blocks so every process is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))

    tenant_count = 3
    failures = []
    try:
        with tempfile.TemporaryDirectory(prefix="voxo-e2e-rules-") as scaled_dir, \
                Simulator(args.sim, tenants=tenant_count, calls_per_hour=10800,
                          token="e2e-static-token", keep_dir=args.keep) as sim, \
                Exporter(args.exporter, api_url=sim.url, token=sim.token,
                         tenant_ids=sim.tenant_ids, keep_dir=args.keep,
                         collector={"interval": "1s", "delay": "5s", "overlap": "30s",
                                    "lookback": "10m"}) as exp, \
                PrometheusServer(binary=args.prometheus, rule_files=RULES,
                                 targets=[exp.address], scrape_interval="1s",
                                 evaluation_interval="1s", keep_dir=args.keep) as prom:
            tenants = {str(t) for t in sim.tenant_ids}
            log(f"sim {sim.url}, exporter {exp.url}, prometheus {prom.url('')}")
            try:
                prom.wait_targets_up()
                prom.wait_rules_evaluated()
                failures += check_shipped_rules(prom, tenants)
                failures += check_quality_alert(prom, sim, tenants, pathlib.Path(scaled_dir))
            except Failed as e:
                failures.append(str(e))
            if failures:
                for p in (sim, exp):
                    print(p.tail(), file=sys.stderr)
                print("--- prometheus log\n" + prom.log_tail(), file=sys.stderr)
            for p, name in ((sim.process, "voxo_sim"), (exp.process, "voxo_exporter")):
                if not p.alive():
                    failures.append(f"{name} exited during the test")
    except (ProcessError, PrometheusError) as e:
        print(f"cannot start: {e}", file=sys.stderr)
        return 2

    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    print(f"end to end (sim -> exporter -> prometheus): {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Exactly once as Prometheus stores it (issue #12): the raw samples a real Prometheus stored
from voxo_exporter, across API faults and kill -9 restarts, against the simulator's truth.

Setup (loopback only, all seeded):
  * voxo_sim: 3 tenants, 20 minutes of history and a live feed of calls arriving while the test
    runs (--to a minute ahead). History calls have only directions in/out and dispositions
    answered/no_answer (--narrow-labels-until): local/internal calls and busy/failed/congestion
    ones arrive live only, so series the history never had appear during the run. Duplicate,
    invalid and null-field records; faults on GET /call-reports (500, an HTML page, replies cut
    short, 503 with Retry-After) that hit every tenant.
  * voxo_exporter on a fixed port: tenants 101 and 102 by id, B103 by billing_code; interval
    1s, delay 2s, collector.state_file, metrics.new_series_hold 3s. Killed with SIGKILL twice
    at seeded moments during the feed (each time at an instant when the state file is behind
    /metrics if one comes within 3 s) and restarted on the same state file, with
    collector.lookback shrunk from 30m to 10s after the first start, so only the state file can
    carry the totals. An exporter that dies on its own is a failure (and is restarted).
  * prometheus scraping the exporter every second.
At the end the feed has stopped; the test waits until every tenant's watermark is past the
last call (plus the simulator's visibility lag), lets Prometheus scrape a few more times, reads
every stored sample of every counter and histogram series back (/api/v1/query of
`metric[range]`) and checks:
  (a) no decrease between consecutive samples of any counter or histogram series;
  (b) no series born non-zero, except a tenant's baseline: a call series may start non-zero
      only with at most what the history (calls the first window could fetch: older than the
      first start minus collector.delay) holds for it; an exporter self-metric only when
      Prometheus first saw it no later than the tenant's first window (the first scrape with
      a watermark and records);
  (c) per tenant and call series (voxo_calls_total per direction and disposition, recorded and
      queued per direction, every call histogram's _count, _sum and _bucket per direction,
      voxo_collector_records_total): first value + the reset-aware sum of increases == the
      ground truth from GET /_sim/truth;
  (d) the exporter never died on its own (e.g. SIGSEGV, exit status 139).
The run must also have been meaningful (setup): both kills happened, faults reached every
tenant, and the live feed brought label values the history lacked.

--legacy-config leaves metrics.new_series_hold out of the config (a build without that key
refuses it), to show how such a build does. Exit status: 0 = all good, 1 = a check failed,
2 = a process could not be started.
"""
import argparse
import http.client
import json
import pathlib
import random
import signal
import sys
import time
import urllib.error

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from opslib import series  # noqa: E402
from opslib.prometheus import PrometheusError, PrometheusServer, free_port  # noqa: E402
from opslib.voxo import Exporter, ProcessError, Simulator  # noqa: E402

TENANTS = [{"id": 101, "name": "acme"}, {"id": 102}, {"billing_code": "B103", "name": "billed"}]
SIM_TENANT = {"101": 101, "102": 102, "103": 103, "B103": 103}  # tenant label -> sim tenant id
CALLS_PER_HOUR = 7200
HISTORY = "20m"
LIVE_AFTER = 12        # s after the simulator starts: calls from then on bring new label values
FEED_SECONDS = 45      # the feed stops this long after that
VISIBILITY_LAG = 61    # the simulator serves a record up to 60 s after its time
FAULTS = "every=7:500,every=11:html,every=13:truncate,every=19:503/1"
DELAY_SECONDS = 2
COLLECTOR = {"interval": "1s", "delay": f"{DELAY_SECONDS}s", "overlap": "90s", "lookback": "30m",
             "concurrency": 4}
SHORT_LOOKBACK = "10s"
HOLD_SECONDS = 3
# After the last poll: the state file is saved at most every 5 s (and a count may reach /metrics
# only then), a new series gets its value HOLD_SECONDS later, then a few more scrapes.
SETTLE_SECONDS = 5 + HOLD_SECONDS + 4
BASELINE_SLACK = 3     # s after the first start the first poll may take to begin
CATCH_UP_GRACE = 40    # s past the last call's visibility the watermarks must reach it in
MAX_CRASH_RESTARTS = 300
RUN_BUDGET = 300       # s; ctest's TIMEOUT is larger
NARROW_DIRECTIONS = {"in", "out"}
NARROW_DISPOSITIONS = {"answered", "no_answer"}
COUNTERS = ["voxo_calls_total", "voxo_calls_recorded_total", "voxo_queue_calls_total",
            "voxo_collector_requests_total", "voxo_collector_records_total",
            "voxo_collector_duplicate_records_total", "voxo_collector_invalid_records_total",
            "voxo_collector_polls_total"]
HISTOGRAMS = list(series.CALL_HISTOGRAMS) + ["voxo_collector_request_duration_seconds"]

run_deadline = time.monotonic() + RUN_BUDGET


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def clock(t):
    return time.strftime("%H:%M:%S", time.localtime(t))


def describe_exit(rc):
    if rc is None:
        return "still running"
    if rc < 0:
        name = signal.Signals(-rc).name if -rc in signal.Signals._value2member_map_ else "?"
        return f"killed by {name} (exit status {128 - rc})"
    return f"exit status {rc}"


# --- the exporter's life: planned kills, crashes, restarts ------------------------------------
class ExporterLife:
    """Drives one Exporter through kill -9 restarts and crashes, noting each with its time."""

    def __init__(self, exp, state_path, tenants, first_start):
        self.exp = exp
        self.state_path = state_path
        self.tenants = tenants
        self.first_start = first_start
        self.events = []     # (unix time, text) of every kill -9 and crash
        self.kills = []      # (unix time, state lagged /metrics: bool)
        self.crashes = []    # (unix time, returncode)

    def stopped(self, text):
        """Notes the exporter stopping without a clean stop (kill -9 or a crash)."""
        self.events.append((time.time(), text))
        log(text)

    def restart(self):
        try:
            self.exp.restart(collector={"lookback": SHORT_LOOKBACK})
        except ProcessError as e:  # died while starting: check_alive() counts it
            log(f"restart failed: {e}")
            return
        log(f"exporter restarted on the same state file, lookback {SHORT_LOOKBACK}")

    def check_alive(self):
        """Notes and restarts an exporter that died on its own; False when it may not be."""
        rc = self.exp.process.returncode()
        if rc is None:
            return True
        self.crashes.append((time.time(), rc))
        self.stopped(f"CRASH: the exporter died on its own, {describe_exit(rc)}")
        if len(self.crashes) > MAX_CRASH_RESTARTS:
            return False
        self.restart()
        return True

    def kill_and_restart(self):
        lagging = self.wait_for_state_lag(3.0)
        if not self.check_alive():
            return
        rc = self.exp.kill()
        self.kills.append((time.time(), bool(lagging)))
        lag_text = f"state file behind /metrics for {lagging}" if lagging else \
            "state file not seen behind /metrics within 3 s"
        self.stopped(f"kill -9 #{len(self.kills)} at {clock(self.kills[-1][0])} ({lag_text})")
        self.restart()

    def wait_for_state_lag(self, limit):
        """Waits up to `limit` s for a moment when /metrics shows more records for a tenant
        than the state file holds; returns those tenants (empty if none came)."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            shown = self.shown("voxo_collector_records_total")
            if shown is None:
                return []   # not answering (crashed?): check_alive() tells
            saved = self.saved_records()
            lagging = [t for t in self.tenants if shown.get(t, 0) > saved.get(t, 0)]
            if lagging:
                return lagging
            time.sleep(0.05)
        return []

    def shown(self, name):
        """{tenant: value} of a per-tenant series on /metrics now; None if it does not answer."""
        try:
            values = series.parse_exposition(self.exp.metrics_text())
        except (OSError, urllib.error.URLError, http.client.HTTPException):
            return None
        return {series.labels_of(k).get("tenant"): v for k, v in values.items()
                if series.name_of(k) == name}

    def saved_records(self):
        try:
            state = json.loads(self.state_path.read_text())
        except (OSError, ValueError):
            return {}
        return {t["label"]: t.get("collector", {}).get("records", 0)
                for t in state.get("tenants", [])}

    def watermarks(self):
        return self.shown("voxo_collector_watermark_timestamp_seconds") or {}


def drive(life, kill_times, caught_up_at):
    """Runs the planned kills, restarts crashes, and returns once every tenant's watermark is
    at or past `caught_up_at` (False if that did not happen within CATCH_UP_GRACE)."""
    pending = sorted(kill_times)
    give_up = caught_up_at + CATCH_UP_GRACE
    while time.monotonic() < run_deadline and time.time() < give_up:
        if not life.check_alive():
            log("the exporter keeps crashing: no more restarts")
            return False
        if pending and time.time() >= pending[0]:
            pending.pop(0)
            life.kill_and_restart()
            continue
        marks = life.watermarks()
        if not pending and marks and all(marks.get(t, 0) >= caught_up_at for t in life.tenants):
            return True
        time.sleep(0.2)
    return False


# --- what Prometheus stored -------------------------------------------------------------------
def stored_samples(prom, window):
    """{key: [(t, v), ...]} of every counter and histogram series, as stored."""
    names = COUNTERS + [h + s for h in HISTOGRAMS for s in ("_bucket", "_count", "_sum")]
    stored = {}
    for name in names:
        stored.update(series.by_key(prom.raw_samples(name, window)))
    return stored


def baseline_times(prom, window, tenants):
    """{tenant: unix time of the first scrape showing both a watermark and records}: the
    first window's values are out."""
    out = {}
    for name in ("voxo_collector_watermark_timestamp_seconds", "voxo_collector_records_total"):
        for metric, values in prom.raw_samples(name, window):
            done = [t for t, v in values if v > 0]
            t = metric.get("tenant")
            if t in tenants and done:
                out[t] = max(out.get(t, 0), done[0])
    return out


def bounds_of(stored):
    return {h: series.histogram_bounds(stored, h) for h in series.CALL_HISTOGRAMS}


# --- the checks: each returns a list of failure lines -----------------------------------------
def last_event_before(events, t):
    before = [text.split(" (")[0] for at, text in events if at <= t]
    return f"   [after {before[-1]}]" if before else ""


def check_no_decrease(stored, events):
    bad = []
    for key, samples in sorted(stored.items()):
        for t0, v0, t1, v1 in series.decreases(samples):
            bad.append(f"{key}: {v0:g} at {clock(t0)} -> "
                       f"{v1:g} at {clock(t1)}"
                       + last_event_before(events, t1))
    return bad


def check_born_zero(stored, history, baseline):
    """`history`: {key: value} the history calls give; `baseline`: {tenant: time}."""
    call_names = set(series.call_series_names())
    bad = []
    for key, samples in sorted(stored.items()):
        born_t, born_v = samples[0]
        tenant = series.labels_of(key).get("tenant")
        if born_v == 0 or tenant is None:
            continue
        when = clock(born_t)
        if series.name_of(key) in call_names:
            allowed = history.get(key, 0)
            if born_v > allowed and not series.same_value(key, allowed, born_v):
                bad.append(f"{key}: born {born_v:g} at {when}; the history holds {allowed:g}")
        elif born_t > baseline.get(tenant, 0):
            bad.append(f"{key}: born {born_v:g} at {when}, after tenant {tenant}'s first window")
    return bad


def check_totals(stored, expected, tenants):
    """Per tenant: {tenant: (series compared, [failure lines])}."""
    call_names = set(series.call_series_names())
    out = {}
    for tenant in tenants:
        keys = {k for k in stored if series.name_of(k) in call_names
                and series.labels_of(k).get("tenant") == tenant}
        keys |= {k for k in expected if series.labels_of(k).get("tenant") == tenant}
        bad = []
        for key in sorted(keys):
            want = expected.get(key, 0)
            got = series.reset_aware_total(stored.get(key, []))
            if not series.same_value(key, want, got):
                bad.append(f"{key}: Prometheus counted {got:.10g}, truth {want:.10g}")
        out[tenant] = (len(keys), bad)
    return out


def check_setup(life, stored, history_calls, live_calls, tenants):
    bad = []
    if len(life.kills) < 2:
        bad.append(f"only {len(life.kills)} of 2 kill -9 restarts happened")
    for t in tenants:
        failed_polls = stored.get(series.series_key(
            "voxo_collector_polls_total", {"tenant": t, "result": "failure"}), [(0, 0)])
        if failed_polls[-1][1] == 0 and not life.crashes:
            bad.append(f"tenant {t}: no failed request recorded: the faults missed it")
        old = {(c["direction"], c["disposition"]) for c in history_calls[t]}
        new = {(c["direction"], c["disposition"]) for c in live_calls[t]} - old
        if {d for d, _ in old} - NARROW_DIRECTIONS or {p for _, p in old} - NARROW_DISPOSITIONS:
            bad.append(f"tenant {t}: the history already has new label values: {sorted(old)}")
        if not new:
            bad.append(f"tenant {t}: the live feed brought no new direction/disposition")
    return bad


def crash_lines(crashes):
    """How often the exporter died of what, and when it first and last did."""
    if not crashes:
        return []
    kinds = {}
    for _, rc in crashes:
        kinds[describe_exit(rc)] = kinds.get(describe_exit(rc), 0) + 1
    return [f"{n} x {kind}" for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1])] + \
        [f"first at {clock(crashes[0][0])}, last at {clock(crashes[-1][0])}; each time it "
         "was restarted on the same state file"]


# --- report -----------------------------------------------------------------------------------
def examples(bad, per_name=2, limit=14):
    """A few problem lines, at most `per_name` per metric name, voxo_calls_total first (lines
    that name no series all, up to `limit`); and the lines by metric name."""
    by_name = {}
    for line in bad:
        name = series.name_of(line) if line.startswith("voxo_") else ""
        by_name.setdefault(name, []).append(line)
    names = sorted(by_name, key=lambda n: (n != "voxo_calls_total", n))
    return [line for n in names for line in by_name[n][:per_name if n else limit]][:limit], \
        by_name


def report(title, bad, passed_text, failed_text=None):
    """Prints one check's verdict; returns True when it failed."""
    print(f"{'PASS' if not bad else 'FAIL'}  {title}: "
          + (passed_text if not bad else failed_text or f"{len(bad)} problem(s)"))
    if not bad:
        return False
    shown, by_name = examples(bad)
    if len(by_name) > 1 and "" not in by_name:
        print("        by metric: " + ", ".join(f"{n} {len(v)}" for n, v in sorted(by_name.items())))
    for line in shown:
        print(f"        {line}")
    if len(bad) > len(shown):
        print(f"        ... and {len(bad) - len(shown)} more")
    return True


def evaluate(life, prom, sim, window, tenants):
    stored = stored_samples(prom, window)
    bounds = bounds_of(stored)
    history_end = life.first_start + BASELINE_SLACK - DELAY_SECONDS
    truth, history, history_calls, live_calls = {}, {}, {}, {}
    for t in tenants:
        calls = sim.truth(SIM_TENANT[t])
        history_calls[t] = [c for c in calls if c["time"] <= history_end]
        live_calls[t] = [c for c in calls if c["time"] > history_end]
        truth.update(series.expected_call_series(t, calls, bounds))
        history.update(series.expected_call_series(t, history_calls[t], bounds))
        log(f"tenant {t}: {len(calls)} calls in the truth, {len(history_calls[t])} of them "
            f"history, {len(live_calls[t])} live")
    baseline = baseline_times(prom, window, tenants)

    print("\n=== exactly once as Prometheus stores it: "
          f"{len(stored)} series, {sum(len(v) for v in stored.values())} samples ===")
    failed = report("setup", check_setup(life, stored, history_calls, live_calls, tenants),
                    f"{len(life.kills)} kill -9 restarts (at {sum(lag for _, lag in life.kills)} of "
                    "them the state file was behind /metrics), faults on every tenant, new "
                    "label values live")
    failed |= report("(a) no decrease between consecutive samples",
                     check_no_decrease(stored, life.events), f"{len(stored)} series")
    failed |= report("(b) no series born non-zero beyond the baseline",
                     check_born_zero(stored, history, baseline),
                     f"{sum(1 for v in stored.values() if v[0][1] != 0)} born non-zero, "
                     "all baseline")
    for t, (count, bad) in check_totals(stored, truth, tenants).items():
        failed |= report(f"(c) tenant {t}: first value + increases == truth", bad,
                         f"{count} call series")
    failed |= report("(d) the exporter never died on its own", crash_lines(life.crashes),
                     "no crash", f"{len(life.crashes)} crash(es)")
    return failed


# --- main -------------------------------------------------------------------------------------
def label(tenant_entry):
    """The `tenant` label of a config entry."""
    return str(tenant_entry.get("id", tenant_entry.get("billing_code")))


def exporter_metrics(legacy):
    return {} if legacy else {"new_series_hold": f"{HOLD_SECONDS}s"}


def run(args, rng):
    port = free_port()
    with PrometheusServer(binary=args.prometheus, targets=[f"127.0.0.1:{port}"],
                          scrape_interval="1s", keep_dir=args.keep) as prom:
        prom_start = time.time()
        live_after = int(time.time()) + LIVE_AFTER
        feed_end = live_after + FEED_SECONDS
        sim_args = ["--to", f"@{feed_end}", "--narrow-labels-until", f"@{live_after}",
                    "--faults", FAULTS, "--duplicate-fraction", "0.02",
                    "--invalid-fraction", "0.01", "--null-fraction", "0.05"]
        with Simulator(args.sim, tenants=3, calls_per_hour=CALLS_PER_HOUR, seed=args.seed,
                       token="truth-token", from_ago=HISTORY, extra_args=sim_args,
                       keep_dir=args.keep) as sim:
            # Relative: the exporter runs in its own folder, so restarts find the same file.
            collector = dict(COLLECTOR, state_file="state.json")
            config_tenants = TENANTS if not args.ids_only else \
                [{"id": SIM_TENANT[label(t)]} for t in TENANTS]
            tenants = [label(t) for t in config_tenants]
            first_start = time.time()
            with Exporter(args.exporter, api_url=sim.url, token=sim.token, tenants=config_tenants,
                          collector=collector, metrics=exporter_metrics(args.legacy_config),
                          port=port, keep_dir=args.keep) as exp:
                life = ExporterLife(exp, exp.dir / "state.json", tenants, first_start)
                log(f"sim {sim.url}, exporter {exp.url}, prometheus {prom.url('')}; "
                          f"new labels from {clock(live_after)}, feed ends {clock(feed_end)}")
                if first_start + BASELINE_SLACK - DELAY_SECONDS >= live_after:
                    raise ProcessError("the exporter started too late for a clean history")
                kill1 = live_after + rng.uniform(3, 30)
                kill_times = [kill1, kill1 + rng.uniform(10, 35)]
                log(f"kill -9 planned at {clock(kill_times[0])} and {clock(kill_times[1])}")
                caught_up = drive(life, kill_times, feed_end + VISIBILITY_LAG + 1)
                if caught_up:
                    log("every watermark is past the last call; letting Prometheus scrape")
                    time.sleep(SETTLE_SECONDS)
                else:
                    log("FAIL: the watermarks did not pass the last call within "
                              f"{CATCH_UP_GRACE} s")
                window = f"{int(time.time() - prom_start) + 60}s"
                failed = evaluate(life, prom, sim, window, tenants) or not caught_up
                if failed:
                    print(exp.tail(), file=sys.stderr)
                return failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exporter", required=True, help="voxo_exporter binary")
    ap.add_argument("--sim", required=True, help="voxo_sim binary")
    ap.add_argument("--prometheus", default="prometheus", help="prometheus binary")
    ap.add_argument("--seed", type=int, default=12, help="data set and kill-moment seed")
    ap.add_argument("--legacy-config", action="store_true",
                    help="leave metrics.new_series_hold out (a build that does not know it)")
    ap.add_argument("--ids-only", action="store_true",
                    help="configure every tenant by id (diagnosis: a build whose billing_code "
                         "tenants crash then shows what else fails)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders")
    args = ap.parse_args()
    # ctest or a user stopping the run: unwind the `with` blocks so every process is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    started = time.monotonic()
    try:
        failed = run(args, random.Random(args.seed))
    except (ProcessError, PrometheusError) as e:
        print(f"cannot run: {e}", file=sys.stderr)
        return 2
    print(f"\nexactly once as Prometheus stores it: {'FAILED' if failed else 'all checks pass'} "
          f"({time.monotonic() - started:.0f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""The recording rules produce every series on data shaped like the exporter's: a real
Prometheus scrapes opslib.fake_exporter (all contract metrics, prometheus-cpp number format,
growing counters) every second as job voxo, and each recorded name must then have data for
both tenants, with values that follow from the fake data (e.g. ASR 5/10, all calls under MOS
3.6). Also runs every dashboard expression on that data. Catches rules that parse but select
nothing (a label value like le="4.0", a wrong suffix, a join that never matches)."""
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from opslib import expressions  # noqa: E402
from opslib.fake_exporter import TENANTS, FakeExporter  # noqa: E402
from opslib.prometheus import PrometheusError, PrometheusServer  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
RULES = sorted((ROOT / "deploy/prometheus").glob("*_rules.yml"))
# Values implied by the fake data: per direction 5 answered + 1 of each of 5 other outcomes.
EXPECTED = {
    "tenant:voxo_answer_seizure_ratio:rate10m": 0.5,
    "tenant:voxo_answer_seizure_ratio:rate1h": 0.5,
    "tenant:voxo_call_mos_under_3_6_ratio:rate10m": 1.0,   # every call has MOS 3.4
    "tenant:voxo_call_mos_under_3_6_ratio:rate1h": 1.0,
    "tenant:voxo_average_call_duration_seconds:rate10m": 80.0,
}


def main():
    prom_bin = sys.argv[1] if len(sys.argv) > 1 else "prometheus"
    names = sorted(expressions.recorded_names(RULES))
    failures = []
    try:
        with FakeExporter() as fake, PrometheusServer(binary=prom_bin, rule_files=RULES,
                                                      targets=[fake.address],
                                                      scrape_interval="1s") as prom:
            prom.wait_targets_up()
            deadline = time.monotonic() + 60
            missing = names
            while missing and time.monotonic() < deadline:
                time.sleep(1)
                missing = []
                for n in names:
                    result = prom.query(n).get("data", {}).get("result", [])
                    if {s["metric"].get("tenant") for s in result} != set(TENANTS):
                        missing.append(n)
            failures += [f"{n}: no data for every tenant" for n in missing]
            # The worst-tenants table needs 20 calls with a MOS per tenant (10 per scrape).
            enough = "tenant:voxo_call_mos_count:increase1h >= 20"
            while (len(prom.query(enough).get("data", {}).get("result", [])) < len(TENANTS)
                   and time.monotonic() < deadline):
                time.sleep(1)
            for n, want in EXPECTED.items():
                for s in prom.query(n).get("data", {}).get("result", []):
                    got = float(s["value"][1])
                    if abs(got - want) > 1e-6 * max(1.0, abs(want)):
                        failures.append(f"{n}{s['metric']}: {got}, expected {want}")
            dash = [e for p in sorted((ROOT / "dashboards").glob("*.json"))
                    for e in expressions.from_dashboard(p)]
            failures += expressions.check(prom, dash)
            for e in dash:
                reply = prom.query(e.promql())
                if not reply.get("data", {}).get("result"):
                    failures.append(f"{e.source}: no data")
    except PrometheusError as e:
        print(f"cannot run prometheus: {e}", file=sys.stderr)
        return 2
    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    print(f"{len(names)} recorded names on fake exporter data; {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

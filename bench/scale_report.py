#!/usr/bin/python3
"""Prints bench/scale.sh's results (one JSON object per run, smallest run first) as the
README "Sizing" section: the measured runs, the per-tenant slopes between the smallest and
the largest run, and a projection per replica size for a 60 s interval and a 30 s scrape."""
import json
import statistics
import sys

runs = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
if not runs:
    sys.exit("no runs")
runs.sort(key=lambda r: r["tenants"])

SCRAPE_EVERY = 30.0   # seconds, the shipped ServiceMonitor's interval
POLL_EVERY = 60.0     # seconds, the default collector.interval


def interval_seconds(text):
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}
    for u in sorted(units, key=len, reverse=True):
        if text.endswith(u):
            return float(text[: -len(u)]) * units[u]
    return float(text)


def mib(kib):
    return kib / 1024


def fmt_bytes(b):
    return f"{b / 1e6:.1f} MB" if b >= 1e6 else f"{b / 1e3:.0f} kB"


for r in runs:
    chunks = r["requests_total"] / r["polls_total"] if r["polls_total"] else 1.0
    r["requests_per_poll"] = chunks
    polls = r["steady_requests"] / chunks
    r["cpu_per_1000_polls"] = r["steady_cpu_seconds"] / polls * 1000 if polls else float("nan")
    r["requests_per_minute"] = r["steady_requests"] / r["steady_seconds"] * 60
    collector_rate = r["steady_cpu_seconds"] / r["steady_seconds"]
    scrape_cpu = r["scrape_cpu_seconds"] - collector_rate * r["scrape_window_seconds"]
    r["cpu_per_scrape"] = max(scrape_cpu, 0.0) / len(r["scrape_seconds"])
    r["scrape_p50"] = statistics.median(r["scrape_seconds"])
    r["scrape_max"] = max(r["scrape_seconds"])
    r["gzip"] = statistics.median(r["gzip_bytes"])

first, last = runs[0], runs[-1]
settings = (f"collector.interval {first['interval']}, lookback {first['lookback']}, "
            f"{first['calls_per_hour']} calls/hour per tenant, overlap and delay at their defaults"
            + (f", metrics: {first['metrics']!r}" if first["metrics"] else
               ", metrics section at its defaults"))

print("\n### Measured (bench/scale.sh)\n")
print(f"Settings: {settings}; {len(first['scrape_seconds'])} gzip scrapes per run while "
      f"collecting.\n")
print("| tenants | samples (series) | series per tenant, mean / max | exposition plain / gzip | `/metrics` p50 / max | CPU per scrape "
      "| RSS start / all polled / steady / peak | state file | CPU per 1,000 polls | API requests/min |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in runs:
    print(f"| {r['tenants']:,} | {r['samples']:,} | {r['tenant_series_mean']:.0f} / "
          f"{r['tenant_series_max']} | {fmt_bytes(r['plain_bytes'])} / "
          f"{fmt_bytes(r['gzip'])} | {r['scrape_p50'] * 1000:,.0f} / {r['scrape_max'] * 1000:,.0f} ms "
          f"| {r['cpu_per_scrape']:.2f} s | {mib(r['rss_start_kib']):.0f} / {mib(r['rss_ready_kib']):.0f} / "
          f"{mib(r['rss_steady_kib']):.0f} / {mib(r['hwm_kib']):.0f} MiB | {fmt_bytes(r['state_bytes'])} | "
          f"{r['cpu_per_1000_polls']:.2f} s | {r['requests_per_minute']:,.0f} |")

if len(runs) < 2:
    sys.exit(0)

dn = last["tenants"] - first["tenants"]


def slope(key):
    return (last[key] - first[key]) / dn


series_per_tenant = slope("samples")
ready_per_tenant = slope("rss_ready_kib") * 1024
steady_per_tenant = slope("rss_steady_kib") * 1024
hwm_per_tenant = slope("hwm_kib") * 1024
state_per_tenant = slope("state_bytes")
gzip_per_tenant = (last["gzip"] - first["gzip"]) / dn
scrape_per_1000 = (last["scrape_p50"] - first["scrape_p50"]) / dn * 1000
scrape_cpu_per_1000 = (last["cpu_per_scrape"] - first["cpu_per_scrape"]) / dn * 1000
cpu_per_poll = statistics.mean(r["cpu_per_1000_polls"] for r in (first, last)) / 1000
fixed_samples = first["samples"] - series_per_tenant * first["tenants"]
fixed_kib = first["hwm_kib"] - hwm_per_tenant / 1024 * first["tenants"]
chunks = last["requests_per_poll"]
# Tenants that have seen every (direction, disposition) carry the most series; memory and
# scrape cost grow about with series, so the worst case scales the per-tenant figures.
full = max(r["tenant_series_max"] for r in runs) / last["tenant_series_mean"]

print(f"\nPer tenant, from {first['tenants']:,} to {last['tenants']:,} tenants: "
      f"{series_per_tenant:.0f} series, {ready_per_tenant / 1024:.1f} KiB of RSS once polled, "
      f"{steady_per_tenant / 1024:.1f} KiB in steady state with scrapes "
      f"(peak {hwm_per_tenant / 1024:.1f} KiB), {state_per_tenant:.0f} bytes of state file, "
      f"{gzip_per_tenant / 1024:.1f} KiB of gzip exposition, "
      f"{scrape_per_1000 * 1000:.0f} ms of `/metrics` latency and {scrape_cpu_per_1000:.2f} s of CPU "
      f"per scrape per 1,000 tenants; {cpu_per_poll * 1000:.2f} s of CPU per 1,000 polls; "
      f"{chunks:.2f} API requests per poll.")

print(f"\n### Sizing per replica (projected from the slopes; {POLL_EVERY:.0f} s interval, "
      f"a scrape every {SCRAPE_EVERY:.0f} s)\n")
print("| tenants per replica | series | API requests/min | CPU (average) | memory (peak) "
      "| memory, every tenant at the max series | `/metrics` time | gzip scrape | state file |")
print("|---|---|---|---|---|---|---|---|---|")
for n in (250, 500, 1000, 2000, 5000, 10000):
    series = fixed_samples + series_per_tenant * n
    peak_mib = (fixed_kib * 1024 + hwm_per_tenant * n) / 2**20
    worst_mib = (fixed_kib * 1024 + hwm_per_tenant * full * n) / 2**20
    # Below the smallest run: proportional to it (the line's intercept there is mostly noise).
    def per_scrape(key, per_1000):
        if n < first["tenants"]:
            return first[key] * n / first["tenants"]
        return first[key] + per_1000 * (n - first["tenants"]) / 1000
    cpu = (n / POLL_EVERY) * cpu_per_poll + per_scrape("cpu_per_scrape", scrape_cpu_per_1000) / SCRAPE_EVERY
    scrape = per_scrape("scrape_p50", scrape_per_1000)
    print(f"| {n:,} | {series:,.0f} | {n * 60 / POLL_EVERY * chunks:,.0f} | {cpu * 1000:,.0f}m "
          f"| {peak_mib:,.0f} MiB | {worst_mib:,.0f} MiB | {scrape:.1f} s | {gzip_per_tenant * n / 1e6:.1f} MB "
          f"| {state_per_tenant * n / 1e6:.1f} MB |")

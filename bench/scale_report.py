#!/usr/bin/python3
"""Prints bench/scale.sh's results (JSON lines, one object per run; one or more files) as the
"Sizing" section of deploy/SIZING.md: the measured runs per metrics setting, the per-tenant slopes between the
smallest and the largest run of each setting, and a projection per replica size for a 60 s
interval, with the rule of thumb for a given memory limit."""
import json
import math
import statistics
import sys

runs = [json.loads(line) for path in sys.argv[1:] for line in open(path) if line.strip()]
if not runs:
    sys.exit("usage: scale_report.py RESULTS.jsonl...")

POLL_EVERY = 60.0     # seconds, the default collector.interval
RENDER_SHARE = 0.25   # the background renderer's spacing: max(1 s, 4 x its CPU time) (exposition_cache)
HEADROOM = 0.8        # a replica's peak should stay under this share of its memory limit
LIMITS_MIB = (512, 1024, 2048, 4096)
# Series of a tenant with calls in every direction and disposition and every field present
# (README "Cardinality", checked by tests/metrics/cardinality_test.cpp): the worst case.
FULL_TENANT_SERIES = {"": 376, "per_tenant_histograms: false": 66}


def setting_name(r):
    return f"`{r['metrics']}`" if r["metrics"] else "default"


def mib(kib):
    return kib / 1024


def fmt_bytes(b):
    return f"{b / 1e6:.1f} MB" if b >= 1e6 else f"{b / 1e3:.0f} kB"


def ms(seconds):
    return f"{seconds * 1000:,.0f}" if seconds >= 0.0995 else f"{seconds * 1000:.1f}"


def quantile(values, q):  # nearest rank
    v = sorted(values)
    return v[max(0, math.ceil(q * len(v)) - 1)]


for r in runs:
    chunks = r["requests_total"] / r["polls_total"] if r["polls_total"] else 1.0
    r["requests_per_poll"] = chunks
    polls = r["steady_requests"] / chunks
    r["cpu_per_1000_polls"] = r["steady_cpu_seconds"] / polls * 1000 if polls else float("nan")
    r["requests_per_minute"] = r["steady_requests"] / r["steady_seconds"] * 60
    r["collector_cores"] = r["steady_cpu_seconds"] / r["steady_seconds"]
    r["busy_cores"] = r["scrape_cpu_seconds"] / r["scrape_window_seconds"]
    r["scrape_p50"] = statistics.median(r["scrape_seconds"])
    r["scrape_p99"] = quantile(r["scrape_seconds"], 0.99)
    r["scrape_max"] = max(r["scrape_seconds"])
    r["gzip"] = statistics.median(r["gzip_bytes"])
    renders = [x for x in r["render_seconds"] if x is not None]
    ages = [x for x in r["age_seconds"] if x is not None]
    r["render_p50"] = statistics.median(renders) if renders else float("nan")
    r["render_max"] = max(renders, default=float("nan"))
    r["age_p50"] = statistics.median(ages) if ages else float("nan")
    r["age_max"] = max(ages, default=float("nan"))

settings = []
for r in runs:
    if r["metrics"] not in settings:
        settings.append(r["metrics"])
by_setting = {s: sorted((r for r in runs if r["metrics"] == s), key=lambda r: r["tenants"]) for s in settings}

first = runs[0]
loads = [float(x) for r in runs for x in (r["load_start"].split()[0], r["load_end"].split()[0])]
print("\n### Measured (bench/scale.sh)\n")
print(f"collector.interval {first['interval']}, lookback {first['lookback']}, "
      f"{first['calls_per_hour']} calls/hour per tenant, overlap and delay at their defaults; "
      f"{len(first['scrape_seconds'])} gzip scrapes per run, while collecting and rendering in the "
      f"background, after the first one; load average (1 min) {min(loads):.1f}–{max(loads):.1f} "
      f"during the runs.\n")
print("| metrics | tenants | series | series per tenant, mean / max | exposition plain / gzip "
      "| first scrape (renders) | served gzip p50 / p99 / max | plain scrape "
      "| background render p50 / max | data age p50 / max |")
print("|---|---|---|---|---|---|---|---|---|---|")
for s in settings:
    for r in by_setting[s]:
        print(f"| {setting_name(r)} | {r['tenants']:,} | {r['samples']:,} | {r['tenant_series_mean']:.0f} / "
              f"{r['tenant_series_max']} | {fmt_bytes(r['plain_bytes'])} / {fmt_bytes(r['gzip'])} "
              f"| {r['first_scrape_seconds']:.2f} s | {ms(r['scrape_p50'])} / {ms(r['scrape_p99'])} / "
              f"{ms(r['scrape_max'])} ms | {r['plain_scrape_seconds']:.2f} s "
              f"| {r['render_p50']:.2f} / {r['render_max']:.2f} s | {r['age_p50']:.1f} / {r['age_max']:.1f} s |")
print()
print("| metrics | tenants | RSS start / all polled / steady / peak | state file | CPU per 1,000 polls "
      "| CPU, collector only | CPU, collecting + rendering + scrapes | API requests/min | load average |")
print("|---|---|---|---|---|---|---|---|---|")
for s in settings:
    for r in by_setting[s]:
        print(f"| {setting_name(r)} | {r['tenants']:,} | {mib(r['rss_start_kib']):.0f} / "
              f"{mib(r['rss_ready_kib']):.0f} / {mib(r['rss_steady_kib']):.0f} / {mib(r['hwm_kib']):.0f} MiB "
              f"| {fmt_bytes(r['state_bytes'])} | {r['cpu_per_1000_polls']:.2f} s "
              f"| {r['collector_cores'] * 1000:.0f}m | {r['busy_cores'] * 1000:.0f}m "
              f"| {r['requests_per_minute']:,.0f} | {r['load_start'].split()[0]} → {r['load_end'].split()[0]} |")


def model(rs):
    lo, hi = rs[0], rs[-1]
    dn = hi["tenants"] - lo["tenants"]

    def slope(key):
        return (hi[key] - lo[key]) / dn

    m = {
        "lo": lo, "hi": hi,
        "series": slope("samples"),
        "ready": slope("rss_ready_kib") * 1024, "steady": slope("rss_steady_kib") * 1024,
        "hwm": slope("hwm_kib") * 1024, "state": slope("state_bytes"),
        "gzip": slope("gzip"), "plain": slope("plain_bytes"),
        "render": slope("render_p50"), "cores": slope("busy_cores"),
        "cpu_per_poll": statistics.mean(r["cpu_per_1000_polls"] for r in (lo, hi)) / 1000,
        "chunks": hi["requests_per_poll"],
    }
    m["fixed_samples"] = lo["samples"] - m["series"] * lo["tenants"]
    m["fixed_hwm"] = lo["hwm_kib"] * 1024 - m["hwm"] * lo["tenants"]
    # Tenants that have seen every (direction, disposition) carry the most series; memory grows
    # about with series, so the worst case scales the per-tenant figure.
    most = max([r["tenant_series_max"] for r in rs] + [FULL_TENANT_SERIES.get(lo["metrics"], 0)])
    m["full"] = most / hi["tenant_series_mean"]
    m["most"] = most
    return m


def linear(m, key, slope, n):
    """Between and beyond the runs: the line; below the smallest run: proportional to it (the
    line's intercept there is mostly noise)."""
    lo = m["lo"]
    if n < lo["tenants"]:
        return lo[key] * n / lo["tenants"]
    return lo[key] + slope * (n - lo["tenants"])


models = {s: model(rs) for s, rs in by_setting.items() if len(rs) >= 2}
if not models:
    sys.exit(0)

print()
for s, m in models.items():
    print(f"Per tenant, {setting_name(m['lo'])} metrics, from {m['lo']['tenants']:,} to {m['hi']['tenants']:,} "
          f"tenants: {m['series']:.0f} series, {m['ready'] / 1024:.1f} KiB of RSS once polled, "
          f"{m['steady'] / 1024:.1f} KiB in steady state with the rendered exposition "
          f"(peak {m['hwm'] / 1024:.1f} KiB), {m['plain'] / 1e3:.1f} kB of exposition text and "
          f"{m['gzip'] / 1e3:.2f} kB of gzip, {m['state']:.0f} bytes of state file, "
          f"{m['render'] * 1000 * 1000:.0f} ms of background rendering per 1,000 tenants, "
          f"{m['cpu_per_poll'] * 1000:.2f} s of CPU per 1,000 polls, {m['chunks']:.2f} API requests per poll.\n")

print(f"### Sizing per replica (projected from the slopes; {POLL_EVERY:.0f} s interval)\n")
names = list(models)
head = " / ".join(setting_name(models[s]["lo"]) for s in names)
print(f"Where two figures are given: {head}.\n")
print("| tenants per replica | series | API requests/min | CPU (average, rendering included) "
      "| memory (peak) | memory, every tenant at the full series count | background render | gzip scrape | state file |")
print("|---|---|---|---|---|---|---|---|---|")


def cpu_cores(m, n):
    """The collector's CPU per poll, plus the background renderer: while the data keeps changing
    (every poll changes it) it renders every max(1 s, 4 x the rendering's CPU time), so it takes
    min(a quarter of a core, one rendering per second). The rendering's wall time stands in for
    its CPU time (an upper bound on a loaded machine)."""
    render = linear(m, "render_p50", m["render"], n)
    return n / POLL_EVERY * m["cpu_per_poll"] + min(RENDER_SHARE, render / max(1.0, render / RENDER_SHARE))


def both(fn):
    return " / ".join(fn(models[s]) for s in names)


for n in (250, 500, 1000, 2000, 5000, 10000, 20000):
    series = both(lambda m: f"{m['fixed_samples'] + m['series'] * n:,.0f}")
    cpu = both(lambda m: f"{cpu_cores(m, n) * 1000:,.0f}m")
    peak = both(lambda m: f"{(m['fixed_hwm'] + m['hwm'] * n) / 2**20:,.0f}")
    worst = both(lambda m: f"{(m['fixed_hwm'] + m['hwm'] * m['full'] * n) / 2**20:,.0f}")
    render = both(lambda m: f"{linear(m, 'render_p50', m['render'], n):.1f}")
    gz = both(lambda m: f"{m['gzip'] * n / 1e6:.1f}")
    state = both(lambda m: f"{m['state'] * n / 1e6:.1f}")
    requests = n * 60 / POLL_EVERY * models[names[0]]["chunks"]
    print(f"| {n:,} | {series} | {requests:,.0f} | {cpu} | {peak} MiB | {worst} MiB | {render} s "
          f"| {gz} MB | {state} MB |")

print(f"\nThe full series count: {both(lambda m: str(m['most']))} per tenant (README \"Cardinality\").")
print(f"\nTenants per replica for a memory limit (peak at {HEADROOM:.0%} of the limit, every tenant "
      f"at the full series count):\n")
print("| memory limit | " + " | ".join(f"{setting_name(models[s]['lo'])} metrics" for s in names) + " |")
print("|---" * (len(names) + 1) + "|")
for limit in LIMITS_MIB:
    cells = []
    for s in names:
        m = models[s]
        n = (limit * 2**20 * HEADROOM - m["fixed_hwm"]) / (m["hwm"] * m["full"])
        cells.append(f"{max(n, 0):,.0f}")
    print(f"| {limit:,} MiB | " + " | ".join(cells) + " |")

#!/usr/bin/python3
"""Prints bench/run.sh's table from the JSON files the runs left in one folder."""
import json
import os
import sys

work = sys.argv[1]


def load(name):
    path = os.path.join(work, name)
    return json.load(open(path)) if os.path.exists(path) else None


def bench(doc, name):
    for b in (doc or {}).get("benchmarks", []):
        if b["name"].split("/")[0] == name:  # "BM_ingest/min_time:1.000"
            return b
    return None


def ms(b):
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
    return b["cpu_time"] * scale


rows = []


def row(what, value, target="", ok=None):
    verdict = "" if ok is None else ("met" if ok else "MISSED")
    rows.append((what, value, target, verdict))


ingest = load("ingest.json")
full, parse, general, tree = (bench(ingest, n) for n in ("BM_ingest", "BM_parse_only", "BM_parse_general", "BM_tree_parse"))
py = load("python.json")
if full and tree:
    rate = full["items_per_second"]
    ctx = ingest["context"]
    row(f"reply held in memory", f"{int(ctx['reply_records']):,} records, {int(ctx['reply_bytes']) / 1e6:.0f} MB")
    row("ingest: stream parse + validate + dedupe + metrics", f"{rate / 1e6:.2f} M records/s", ">= 1.0 M/s", rate >= 1e6)
    row("parse only (streaming parser, validation included)", f"{parse['items_per_second'] / 1e6:.2f} M records/s")
    if general:
        row("parse only, general path alone (Boost.JSON basic_parser)", f"{general['items_per_second'] / 1e6:.2f} M records/s")
    row("baseline: boost::json::parse + field extraction", f"{tree['items_per_second'] / 1e6:.2f} M records/s")
    ratio = rate / tree["items_per_second"]
    row("ingest / tree parse", f"{ratio:.1f}x", ">= 2x", ratio >= 2)
    if py:
        pr = py["records_per_second"]
        row("Python peer (json + prometheus_client), same reply", f"{pr / 1e6:.3f} M records/s")
        row("ingest / Python peer", f"{rate / pr:.0f}x", ">= 25x", rate / pr >= 25)

def median(values):
    v = sorted(values)
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


e2e = []
for line in open(os.path.join(work, "e2e.jsonl")) if os.path.exists(os.path.join(work, "e2e.jsonl")) else []:
    e2e.append(json.loads(line))
in_process = full["items_per_second"] if full else None
rows_before_e2e = len(rows)
for size in sorted({r["asked_records"] for r in e2e}):
    for tls in (False, True):
        scheme = "HTTPS" if tls else "HTTP"
        runs = {who: [r for r in e2e if r["asked_records"] == size and r["tls"] == tls and r["who"] == who]
                for who in ("exporter", "baseline", "python")}
        mine = runs["exporter"]
        if not mine:
            continue
        n = mine[0]["records"]
        rate = median([r["records"] / r["cpu_seconds"] for r in mine if r["cpu_seconds"] > 0])
        cpu_per_m = median([r["cpu_seconds"] / r["records"] * 1e6 for r in mine])
        target, ok = (("≥ 1.5 M/s", rate >= 1.5e6) if not tls else ("≥ 1.0 M/s", rate >= 1e6))
        row(f"end to end, {scheme}, {n:,} records ({len(mine)} runs): exporter CPU",
            f"{cpu_per_m:.2f} s per M records = {rate / 1e6:.2f} M records/CPU-s", target, ok)
        if in_process and not tls:
            share = rate / in_process
            row(f"  end to end / in-process ingest ({in_process / 1e6:.2f} M/s)", f"{share * 100:.0f} %", ">= 60 %", share >= 0.6)
        first = median([r["first_byte_to_visible"] for r in mine])
        last = median([r["last_byte_to_visible"] for r in mine])
        ok = last <= 1.5 if n <= 300000 else None
        row(f"  first byte -> records in /metrics / last byte -> in /metrics", f"{first:.2f} s / {last:.2f} s",
            "last <= 1.5 s" if ok is not None else "", ok)
        over = median([(r["hwm_kib"] - r["idle_hwm_kib"]) / 1024 for r in mine])
        row(f"  peak RSS over idle", f"{over:.1f} MiB")
        if runs["baseline"]:
            b = median([r["records"] / r["cpu_seconds"] for r in runs["baseline"] if r["cpu_seconds"] > 0])
            bl = median([r["last_byte_to_visible"] for r in runs["baseline"]])
            row(f"  baseline binary, same runs: CPU / last byte -> in /metrics",
                f"{b / 1e6:.3f} M records/CPU-s ({rate / b:.1f}x less CPU now) / {bl:.2f} s")
        if runs["python"]:
            p = median([r["records"] / r["cpu_seconds"] for r in runs["python"]])
            row(f"  Python peer fetching from the same server", f"{p / 1e6:.3f} M records/CPU-s")
            row(f"  exporter / Python peer (CPU per record)", f"{rate / p:.0f}x", ">= 25x", rate / p >= 25)
rows[:] = rows[rows_before_e2e:] + rows[:rows_before_e2e]  # the end-to-end figures come first

mem = {}
for line in open(os.path.join(work, "memory.jsonl")) if os.path.exists(os.path.join(work, "memory.jsonl")) else []:
    m = json.loads(line)
    mem[m["name"]] = m
if "idle" in mem:
    idle = mem["idle"]["hwm_kib"] / 1024
    with_state = " (with state_file)" if mem["idle"].get("state_file") else ""
    row(f"peak RSS, idle exporter (tiny reply){with_state}", f"{idle:.1f} MiB")
    for name in ("10MB", "1GB"):
        if name in mem:
            m = mem[name]
            over = m["hwm_kib"] / 1024 - idle
            target, ok = ("<= 64 MiB", over <= 64) if name == "1GB" else ("", None)
            row(f"peak RSS over idle, {name} reply ({m['records']:,} records in {m['seconds']} s)",
                f"{over:.1f} MiB (peak {m['hwm_kib'] / 1024:.1f} MiB)", target, ok)

state = {}
for line in open(os.path.join(work, "state.jsonl")) if os.path.exists(os.path.join(work, "state.jsonl")) else []:
    m = json.loads(line)
    state[m["mode"]] = m
for mode, what in (("save", "state file save, 1 M ids (streamed)"), ("save-tree", "baseline: save via a JSON tree"),
                   ("load", "state file load, 1 M ids (streamed, set included)"),
                   ("load-tree", "baseline: load via the whole file + a JSON tree")):
    if mode in state:
        m = state[mode]
        row(f"{what}, peak RSS over before", f"{m['peak_over_kib'] / 1024:.1f} MiB in {m['seconds'] * 1e3:.0f} ms")

visibility_path = os.path.join(work, "visibility.jsonl")
for line in open(visibility_path) if os.path.exists(visibility_path) else []:
    v = json.loads(line)
    n = f"{v['tenants']:,} tenants"
    row(f"state save, {n} ({v['file_bytes'] / 1e6:.1f} MB) / baseline: one background rendering",
        f"{v['save_seconds'] * 1e3:.0f} ms / {v['render_seconds'] * 1e3:.0f} ms = {v['save_per_render']:.2f}x")
    row(f"publish pass after a save, {n}", f"{v['publish_seconds'] * 1e3:.1f} ms")
    row(f"a count visible on /metrics after, {n} (mean / max)",
        f"{v['visible_after_mean_seconds']:.1f} / {v['visible_after_max_seconds']:.1f} s, "
        f"saving {v['save_cpu_share'] * 100:.1f}% of a core")

expo = load("exposition.json")
wrk = load("wrk.json")
scrape = load("scrape.json")
render = bench(scrape, "BM_render_per_scrape")
background = bench(scrape, "BM_background_render")
served = bench(scrape, "BM_served_scrape")
if expo:
    row("exposition at 1,000 tenants", f"{expo['samples']:,} samples, {expo['plain_bytes'] / 1e6:.2f} MB plain, "
        f"{expo['gzip_bytes'] / 1e3:.0f} kB gzip")
if wrk:
    row("/metrics p50 (wrk, 4 scrapers, gzip, collecting)", f"{wrk['p50_ms']:.2f} ms")
    row("/metrics p99", f"{wrk['p99_ms']:.2f} ms", "<= 20 ms", wrk["p99_ms"] <= 20)
    row("scrapes served during the run / polls done by the end",
        f"{wrk['requests']:,} ({wrk['errors']} errors) / {expo['polls_total'] if expo else '?':,}")
if expo and expo.get("age_seconds") is not None:
    row("data part at the end of the run: last rendering took / age",
        f"{expo['render_seconds'] * 1000:.0f} ms / {expo['age_seconds'] * 1000:.0f} ms")
if render:
    row("baseline: render per scrape (Collect + TextSerializer + gzip)", f"{ms(render):.1f} ms")
    if background:
        row("background rendering of the data part (after a change, at most 1/s)", f"{ms(background):.1f} ms")
    if served:
        row("served scrape in process (live part + its gzip, data part shared)", f"{ms(served) * 1000:.0f} us")
        ratio = ms(render) / ms(served)
        row("render per scrape / served scrape (in process)", f"{ratio:.0f}x", ">= 10x", ratio >= 10)
    if wrk:
        ratio = ms(render) / wrk["p99_ms"]
        row("render per scrape / served p99 (wrk)", f"{ratio:.0f}x", ">= 10x", ratio >= 10)

load1 = os.getloadavg()
print(f"\nvoxo_exporter benchmarks ({os.cpu_count()} cores, load average {load1[0]:.1f} {load1[1]:.1f} {load1[2]:.1f})\n")
widths = [max(len(str(r[i])) for r in rows + [("what", "result", "target", "")]) for i in range(4)]
header = ("what", "result", "target", "")
print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
for r in rows:
    print("| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |")

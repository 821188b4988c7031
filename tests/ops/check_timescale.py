#!/usr/bin/env python3
"""The time compression used by the end-to-end test (opslib/timescale.py) is the mechanical
transformation it claims to be: durations in range selectors, subqueries, offsets and `for:`
are divided, nothing else changes, and the compressed shipped rules still pass
`promtool check rules`. Usage: check_timescale.py [promtool]"""
import pathlib
import subprocess
import sys
import tempfile

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from opslib import timescale  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parents[2]
RULES = sorted((ROOT / "deploy/prometheus").glob("*_rules.yml"))

EXPRS = [
    ("rate(x[10m])", "rate(x[10s])"),
    ("increase(x[1h]) / (y offset 1w)", "increase(x[1m]) / (y offset 2h48m)"),
    ("max_over_time(x[1h:5m])", "max_over_time(x[1m:5s])"),
    ("max_over_time(x[1h:])", "max_over_time(x[1m:])"),
    ("x[1h30m]", "x[1m30s]"),
    ("x offset -1h", "x offset -1m"),
    ('time() - x > 600 and y{le="3.6"} > 0.2', 'time() - x > 600 and y{le="3.6"} > 0.2'),
    ('x{name="offset 1h [1h]"}', None),   # strings are not touched
]


def main():
    promtool = sys.argv[1] if len(sys.argv) > 1 else "promtool"
    failures = []
    for src, want in EXPRS:
        got = timescale.scale_expr(src, 60)
        if got != (want or src):
            failures.append(f"scale_expr({src!r}) = {got!r}, expected {(want or src)!r}")
    for text, ms in (("1h30m", 5_400_000), ("500ms", 500), ("1w", 604_800_000)):
        if timescale.parse_ms(text) != ms or timescale.format_ms(ms) != text:
            failures.append(f"{text} <-> {ms} ms does not round-trip")
    for bad in ("", "1", "h", "1x", "1h 2m"):
        try:
            timescale.parse_ms(bad)
            failures.append(f"parse_ms({bad!r}) accepted")
        except ValueError:
            pass

    with tempfile.TemporaryDirectory() as tmp:
        scaled = []
        for p in RULES:
            out = pathlib.Path(tmp) / p.name
            out.write_text(timescale.scale_rule_file(p, 60))
            scaled.append(out)
            orig = yaml.safe_load(p.read_text())
            new = yaml.safe_load(out.read_text())
            for g0, g1 in zip(orig["groups"], new["groups"]):
                for r0, r1 in zip(g0["rules"], g1["rules"]):
                    name = r0.get("record") or r0.get("alert")
                    if {k: v for k, v in r0.items() if k not in ("expr", "for")} != \
                            {k: v for k, v in r1.items() if k not in ("expr", "for")}:
                        failures.append(f"{p.name} {name}: more than expr/for changed")
                    if r1["expr"] != timescale.scale_expr(r0["expr"], 60):
                        failures.append(f"{p.name} {name}: expr is not the scaled original")
            if sum(len(g["rules"]) for g in orig["groups"]) != \
                    sum(len(g["rules"]) for g in new["groups"]):
                failures.append(f"{p.name}: rule count changed")
        run = subprocess.run([promtool, "check", "rules", *map(str, scaled)],
                             capture_output=True, text=True)
        if run.returncode != 0:
            failures.append("promtool check rules on the scaled copies:\n" + run.stdout + run.stderr)

    for f in failures:
        print("FAIL " + f, file=sys.stderr)
    print(f"time-scaled rules: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

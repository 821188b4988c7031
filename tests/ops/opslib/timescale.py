"""A time-compressed copy of rule files, for end-to-end tests that cannot wait an hour.

The transformation is mechanical, never a hand edit: every duration in a rule, i.e. each
range selector `[1h]`, subquery `[1h:5m]`, `offset 1w` and the `for:` field, is divided by
`factor` (60: 1h -> 1m, 10m -> 10s, 15m for -> 15s). Nothing else changes: thresholds, label
matchers, recorded names (still called ...:rate1h) and annotations stay as shipped. Plain
numbers that mean seconds, like `time() - x > 600`, are not durations and stay too.

    scaled = scale_rule_file(src, factor=60)   # a YAML string
"""
import re

import yaml

_UNITS_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000,
             "w": 604_800_000, "y": 31_536_000_000}
_TERM = re.compile(r"(\d+)(ms|s|m|h|d|w|y)")
_DURATION = r"(?:\d+(?:ms|s|m|h|d|w|y))+"
_RANGE = re.compile(r"\[\s*(" + _DURATION + r")\s*(?::\s*(" + _DURATION + r")?\s*)?\]")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_OFFSET = re.compile(r"\boffset\s+(-?)(" + _DURATION + r")\b")


def parse_ms(text):
    """'1h30m' -> 5400000; raises ValueError on anything else."""
    pos, total = 0, 0
    for m in _TERM.finditer(text):
        if m.start() != pos:
            break
        total += int(m.group(1)) * _UNITS_MS[m.group(2)]
        pos = m.end()
    if pos != len(text) or not text:
        raise ValueError(f"not a Prometheus duration: {text!r}")
    return total


def format_ms(ms):
    """5400000 -> '1h30m'; 0 -> '0s'."""
    if ms == 0:
        return "0s"
    out = []
    for unit in ("y", "w", "d", "h", "m", "s", "ms"):
        n, ms = divmod(ms, _UNITS_MS[unit])
        if n:
            out.append(f"{n}{unit}")
    return "".join(out)


def scale_duration(text, factor):
    ms = parse_ms(text)
    scaled = ms // factor
    if ms and scaled == 0:
        raise ValueError(f"{text} / {factor} is under a millisecond")
    return format_ms(scaled)


def scale_expr(expr, factor):
    def rng(m):
        out = "[" + scale_duration(m.group(1), factor)
        if ":" in m.group(0):
            out += ":" + (scale_duration(m.group(2), factor) if m.group(2) else "")
        return out + "]"

    def off(m):
        return f"offset {m.group(1)}{scale_duration(m.group(2), factor)}"

    # Only outside string literals: a label value may hold "[1h]" or "offset 1h".
    parts = _STRING.split(expr)
    strings = _STRING.findall(expr)
    out = []
    for i, code in enumerate(parts):
        out.append(_OFFSET.sub(off, _RANGE.sub(rng, code)))
        if i < len(strings):
            out.append(strings[i])
    return "".join(out)


def scale_rules(doc, factor):
    """A scaled deep copy of a parsed rule file ({'groups': [...]})."""
    out = {"groups": []}
    for g in doc.get("groups", []):
        g2 = dict(g)
        if "interval" in g2:
            g2["interval"] = scale_duration(str(g2["interval"]), factor)
        rules = []
        for r in g.get("rules", []):
            r2 = dict(r)
            r2["expr"] = scale_expr(str(r["expr"]), factor)
            if "for" in r2:
                r2["for"] = scale_duration(str(r2["for"]), factor)
            if "keep_firing_for" in r2:
                r2["keep_firing_for"] = scale_duration(str(r2["keep_firing_for"]), factor)
            rules.append(r2)
        g2["rules"] = rules
        out["groups"].append(g2)
    return out


def scale_rule_file(path, factor):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f) or {}
    header = (f"# GENERATED for a test from {path}: every duration divided by {factor} "
              "(tests/ops/opslib/timescale.py). Do not edit or ship.\n")
    return header + yaml.safe_dump(scale_rules(doc, factor), sort_keys=False, width=1000)

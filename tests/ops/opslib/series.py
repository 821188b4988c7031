"""Counter series as Prometheus stores them, and the call series a set of calls must give.

Pure functions, no I/O, for end-to-end checks of exactly-once counting:

    key = series_key("voxo_calls_total", {"tenant": "101", "direction": "in", ...})
    stored = by_key(prom.raw_samples("voxo_calls_total", "10m"))   # {key: [(t, v), ...]}
    decreases(stored[key])           # consecutive samples where the value went down
    reset_aware_total(stored[key])   # first value + every increase; a drop adds the new value
    expected_call_series("101", calls, bounds)   # from GET /_sim/truth, mirrors
                                                 # tests/support/ground_truth.cpp

A key is `name{a="1",b="2"}` with the labels sorted and `job`/`instance` left out, so the
series of one exporter keep their key across its restarts on the same address.
"""
import math
import re

IGNORED_LABELS = {"__name__", "job", "instance"}

# The call histograms: which value of a call each one observes (None = not observed).
# The same rules as tests/support/ground_truth.cpp.


def _answered(c):
    return c["disposition"] == "answered"


def _when_answered(value):
    return lambda c: value(c) if _answered(c) else None


def _ratio(field):
    return lambda c: None if c[field] is None else c[field] / 100


CALL_HISTOGRAMS = {
    "voxo_call_duration_seconds": lambda c: c["duration"],
    "voxo_call_talk_duration_seconds": _when_answered(lambda c: c["afterAnswerDuration"]),
    "voxo_call_mos": _when_answered(lambda c: c["mos"] if c["mos"] and c["mos"] > 0 else None),
    "voxo_call_jitter_ratio": _when_answered(_ratio("percentJitter")),
    "voxo_call_packet_loss_ratio": _when_answered(_ratio("packetLoss")),
}
CALL_COUNTERS = ["voxo_calls_total", "voxo_calls_recorded_total", "voxo_queue_calls_total",
                 "voxo_collector_records_total"]


def call_series_names():
    """Every series name whose value a set of calls decides."""
    names = list(CALL_COUNTERS)
    for h in CALL_HISTOGRAMS:
        names += [h + "_bucket", h + "_count", h + "_sum"]
    return names


def series_key(name, labels):
    inner = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()) if k not in IGNORED_LABELS)
    return f"{name}{{{inner}}}"


def name_of(key):
    return key.split("{", 1)[0]


_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def labels_of(key):
    return dict(_LABEL.findall(key[key.index("{"):]))


def by_key(raw):
    """prom.raw_samples(...) -> {key: [(t, v), ...]}."""
    return {series_key(m["__name__"], m): values for m, values in raw}


def parse_exposition(text):
    """The plain-text exposition format (no timestamps) -> {key: value}."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        head, _, value = line.rpartition(" ")
        name, brace, rest = head.partition("{")
        labels = dict(_LABEL.findall(rest)) if brace else {}
        out[series_key(name, labels)] = float(value)
    return out


def decreases(samples):
    """[(t_before, v_before, t, v)] for every consecutive pair where the value went down."""
    return [(t0, v0, t1, v1) for (t0, v0), (t1, v1) in zip(samples, samples[1:]) if v1 < v0]


def reset_aware_total(samples):
    """What a reader of the stored samples must conclude the counter counted: the first value,
    plus every increase, where a drop is a reset that adds the new value (as increase() does)."""
    if not samples:
        return 0.0
    total = samples[0][1]
    for (_, v0), (_, v1) in zip(samples, samples[1:]):
        total += v1 - v0 if v1 >= v0 else v1
    return total


def histogram_bounds(keys, family):
    """{bound: le text} of the buckets a histogram family shows in `keys`."""
    bounds = {}
    for key in keys:
        if name_of(key) == family + "_bucket":
            le = labels_of(key)["le"]
            bounds[math.inf if le == "+Inf" else float(le)] = le
    return bounds


def expected_call_series(tenant, calls, bounds):
    """{key: value} the calls (dicts from GET /_sim/truth) give for tenant label `tenant`;
    series that stay 0 are left out. `bounds` maps a histogram family to its {bound: le text}."""
    out = {}

    def add(name, labels, value=1):
        key = series_key(name, dict(labels, tenant=tenant))
        out[key] = out.get(key, 0) + value

    for c in calls:
        d = c["direction"]
        add("voxo_calls_total", {"direction": d, "disposition": c["disposition"]})
        add("voxo_collector_records_total", {})
        if c["recorded"]:
            add("voxo_calls_recorded_total", {"direction": d})
        if c["queueCall"]:
            add("voxo_queue_calls_total", {"direction": d})
        for family, observe in CALL_HISTOGRAMS.items():
            v = observe(c)
            if v is None:
                continue
            add(family + "_count", {"direction": d})
            add(family + "_sum", {"direction": d}, v)
            for bound, le in bounds.get(family, {}).items():
                if v <= bound:
                    add(family + "_bucket", {"direction": d, "le": le})
    return out


def same_value(key, expected, got):
    """Counts are exact; a _sum may differ in the last bits with the order of addition."""
    if name_of(key).endswith("_sum"):
        return abs(expected - got) <= 1e-9 * max(1.0, abs(expected))
    return expected == got

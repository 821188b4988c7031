#!/usr/bin/python3
"""The Python peer for bench/run.sh: the exporter's ingest done with json + prometheus_client.

Reads a GET /call-reports reply from a file and does what voxo_exporter does with it: parse,
validate each record (id, zone-aware time, types and ranges of every field the exporter reads,
no repeated key among them, no such string over 4096 bytes, strict JSON), de-duplicate by id, and update
the same metrics (calls by direction/disposition, duration/talk/mos/jitter/loss histograms for
answered calls, recorded and queued counters). Metric children are looked up once per label
set, as a careful Python exporter would. Prints one JSON line with records/s (CPU time).
With --url URL [--ca FILE] it fetches the reply over HTTP(S) first (http.client, as a Python
exporter would) and its CPU time counts the fetch too (bench/ingest_e2e.py).
"""
import http.client
import json
import math
import ssl
import sys
import urllib.parse
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest

DIRECTIONS = {"in": "in", "out": "out", "local": "local", "internal": "internal"}
DISPOSITIONS = {"answered": "answered", "no answer": "no_answer", "busy": "busy", "failed": "failed",
                "congestion": "congestion"}
DURATION = (5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200)
MOS = (1, 2, 2.6, 3.1, 3.6, 4.0, 4.3, 4.5, 5)
RATIO = (0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2)
MAX_DURATION = 31 * 24 * 3600
NUMBER_LIMITS = {"duration": MAX_DURATION, "afterAnswerDuration": MAX_DURATION, "percentJitter": 100,
                 "packetLoss": 100, "mos": 5}
FLAGS = ("recorded", "queueCall", "isTollFree", "isInternational")
LABELS = ("direction", "disposition")
TEXTS = ("jurisdiction", "billingId", "partnerId")  # strings, or numbers read as their text
KNOWN = frozenset(("id", "time") + tuple(NUMBER_LIMITS) + FLAGS + LABELS + TEXTS)
MAX_FIELD_BYTES = 4096
REPEATED = object()  # marks a record where a key the exporter reads appears twice


class Invalid(Exception):
    pass


class Metrics:
    def __init__(self):
        r = self.registry = CollectorRegistry()
        self.calls = Counter("voxo_calls", "Calls.", ["tenant", "direction", "disposition"], registry=r)
        self.recorded = Counter("voxo_calls_recorded", "Recorded calls.", ["tenant", "direction"], registry=r)
        self.queued = Counter("voxo_queue_calls", "Queued calls.", ["tenant", "direction"], registry=r)
        self.hist = {
            name: Histogram(metric, "h", ["tenant", "direction"], buckets=buckets, registry=r)
            for name, metric, buckets in (
                ("duration", "voxo_call_duration_seconds", DURATION),
                ("talk", "voxo_call_talk_duration_seconds", DURATION),
                ("mos", "voxo_call_mos", MOS),
                ("jitter", "voxo_call_jitter_ratio", RATIO),
                ("loss", "voxo_call_packet_loss_ratio", RATIO))}
        self.children = {}

    def child(self, key):
        c = self.children.get(key)
        if c is None:
            kind, tenant, direction, disposition = key
            if kind == "calls":
                c = self.calls.labels(tenant, direction, disposition)
            elif kind == "recorded":
                c = self.recorded.labels(tenant, direction)
            elif kind == "queued":
                c = self.queued.labels(tenant, direction)
            else:
                c = self.hist[kind].labels(tenant, direction)
            self.children[key] = c
        return c


def json_object(pairs):
    # json.loads keeps the last of repeated keys silently; the exporter rejects such a record.
    d = dict(pairs)
    if len(d) != len(pairs):
        seen = set()
        for k, _ in pairs:
            if k in seen and k in KNOWN:
                d[REPEATED] = True
            seen.add(k)
    return d


def no_constants(name):
    raise ValueError(f"{name} is not JSON")  # strict JSON, as the exporter reads it


def too_long(v):
    return len(v) > MAX_FIELD_BYTES // 4 and len(v.encode()) > MAX_FIELD_BYTES


def checked_text(rec, key, numbers_allowed):
    v = rec.get(key)
    if v is None:
        return None
    if isinstance(v, str):
        if too_long(v):
            raise Invalid(key)
        return v
    if numbers_allowed and isinstance(v, (int, float)) and not isinstance(v, bool):
        return str(v)
    raise Invalid(key)


def parse_time(text, zone):
    # MM/DD/YY HH:MM:SS, strict, in the records' zone; ambiguous local times -> earliest (fold 0).
    if not isinstance(text, str) or len(text) != 17 or text[2] != "/" or text[5] != "/" or text[8] != " " \
            or text[11] != ":" or text[14] != ":":
        raise Invalid("time")
    try:
        month, day, year = int(text[0:2]), int(text[3:5]), 2000 + int(text[6:8])
        hour, minute, second = int(text[9:11]), int(text[12:14]), int(text[15:17])
        return int(datetime(year, month, day, hour, minute, second, tzinfo=zone).timestamp())
    except ValueError:
        raise Invalid("time") from None


def number(rec, key):
    v = rec.get(key)
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise Invalid(key)
    v = float(v)
    if not math.isfinite(v) or v < 0 or v > NUMBER_LIMITS[key]:
        raise Invalid(key)
    return v


def flag(rec, key):
    v = rec.get(key)
    if v is None:
        return None
    if isinstance(v, bool):
        return v
    if isinstance(v, (int, float)) and v in (0, 1):
        return v == 1
    raise Invalid(key)


def ingest(body, metrics, seen, tenant, zone, window):
    counts = {"records": 0, "duplicates": 0, "invalid": 0}
    for rec in json.loads(body, object_pairs_hook=json_object, parse_constant=no_constants):
        try:
            if not isinstance(rec, dict):
                raise Invalid("element")
            if REPEATED in rec:
                raise Invalid("repeated key")
            rid = checked_text(rec, "id", False)  # the exporter takes no number as an id
            if not rid:
                raise Invalid("id")
            t = parse_time(rec.get("time"), zone)
            values = {k: number(rec, k) for k in NUMBER_LIMITS}
            flags = {k: flag(rec, k) for k in FLAGS}
            labels = {k: checked_text(rec, k, False) or "" for k in LABELS}
            for k in TEXTS:
                checked_text(rec, k, True)
        except Invalid:
            counts["invalid"] += 1
            continue
        if rid in seen:
            counts["duplicates"] += 1
            continue
        seen[rid] = t if window[0] <= t <= window[1] else window[1]
        direction = DIRECTIONS.get(labels["direction"].lower(), "other")
        disposition = DISPOSITIONS.get(labels["disposition"].lower(), "other")
        counts["records"] += 1
        metrics.child(("calls", tenant, direction, disposition)).inc()
        if flags["recorded"]:
            metrics.child(("recorded", tenant, direction, None)).inc()
        if flags["queueCall"]:
            metrics.child(("queued", tenant, direction, None)).inc()
        if values["duration"] is not None:
            metrics.child(("duration", tenant, direction, None)).observe(values["duration"])
        if disposition != "answered":
            continue
        if values["afterAnswerDuration"] is not None:
            metrics.child(("talk", tenant, direction, None)).observe(values["afterAnswerDuration"])
        if values["mos"]:
            metrics.child(("mos", tenant, direction, None)).observe(values["mos"])
        if values["percentJitter"] is not None:
            metrics.child(("jitter", tenant, direction, None)).observe(values["percentJitter"] / 100)
        if values["packetLoss"] is not None:
            metrics.child(("loss", tenant, direction, None)).observe(values["packetLoss"] / 100)
    return counts


def fetch(url, ca):
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, context=ssl.create_default_context(cafile=ca))
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port)
    conn.request("GET", parts.path + "?" + parts.query, headers={"Authorization": "Bearer bench-token"})
    reply = conn.getresponse()
    if reply.status != 200:
        raise RuntimeError(f"HTTP {reply.status}")
    return reply.read()


def main():
    fetch_seconds = None
    if sys.argv[1] == "--url":
        url, ca = sys.argv[2], sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == "--ca" else None
        start = time.process_time()
        body = fetch(url, ca)
        fetch_seconds = time.process_time() - start
        repeat = 1
    else:
        path = sys.argv[1]
        repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 1
        with open(path, "rb") as f:
            body = f.read()
    zone = ZoneInfo("America/Chicago")
    window = (0, 2**62)
    best = None
    for _ in range(repeat):
        metrics, seen = Metrics(), {}
        start = time.process_time()
        counts = ingest(body, metrics, seen, "101", zone, window)
        elapsed = time.process_time() - start
        best = elapsed if best is None else min(best, elapsed)
    if fetch_seconds is not None:
        best += fetch_seconds
    total = counts["records"] + counts["duplicates"] + counts["invalid"]
    render_start = time.process_time()
    exposition = generate_latest(metrics.registry)
    render = time.process_time() - render_start
    print(json.dumps({**counts, "total": total, "fetch_seconds": fetch_seconds, "seconds": best, "records_per_second": total / best,
                      "exposition_bytes": len(exposition), "render_seconds": render}))


if __name__ == "__main__":
    main()

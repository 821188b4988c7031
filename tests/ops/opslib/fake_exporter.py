"""A stand-in for voxo_exporter's /metrics: every contract metric for two tenants, in the text
format prometheus-cpp writes (le="4" for 4.0), with counters that grow on every scrape so
rates are non-zero. For checking rules and dashboards on data without building the exporter.

    with FakeExporter() as fake:   # fake.address == "127.0.0.1:<port>"
"""
import http.server
import threading
import time

from . import contract

MOS_BOUNDS = (1, 2, 2.6, 3.1, 3.6, 4.0, 4.3, 4.5, 5)
RATIO_BOUNDS = (0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2)
DURATION_BOUNDS = (5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200)
REQUEST_BOUNDS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
TENANTS = {"37": "acme", "XXXX": "globex"}


def fmt(v):
    # prometheus-cpp prints doubles with the shortest round-trip form ("4", "3.6").
    return repr(float(v)).removesuffix(".0") if v != float("inf") else "+Inf"


def render(n):
    """Exposition after n scrapes: every call-derived counter grows by n."""
    out = []

    def family(name, kind, rows):
        out.append(f"# HELP {name} test data\n# TYPE {name} {kind}")
        out.extend(rows)

    def labels(d):
        return "{" + ",".join(f'{k}="{v}"' for k, v in d.items()) + "}"

    calls = []
    for t in TENANTS:
        for d in ("in", "out"):
            for disp in contract.DISPOSITIONS:
                per = 5 if disp == "answered" else 1
                calls.append(f"voxo_calls_total{labels(dict(tenant=t, direction=d, disposition=disp))}"
                             f" {per * n}")
    family("voxo_calls_total", "counter", calls)
    for name in ("voxo_calls_recorded_total", "voxo_queue_calls_total"):
        family(name, "counter", [f"{name}{labels(dict(tenant=t, direction=d))} {n}"
                                 for t in TENANTS for d in ("in", "out")])

    def histogram(name, bounds, value, label_sets, per=5):
        # per = observations per scrape: the 5 answered calls of a direction
        rows = []
        for ls in label_sets:
            for b in tuple(bounds) + (float("inf"),):
                rows.append(f"{name}_bucket{labels(dict(ls, le=fmt(b)))} "
                            f"{per * n if value <= b else 0}")
            rows.append(f"{name}_sum{labels(ls)} {value * per * n}")
            rows.append(f"{name}_count{labels(ls)} {per * n}")
        family(name, "histogram", rows)

    call_labels = [dict(tenant=t, direction=d) for t in TENANTS for d in ("in", "out")]
    histogram("voxo_call_duration_seconds", DURATION_BOUNDS, 95, call_labels)
    histogram("voxo_call_talk_duration_seconds", DURATION_BOUNDS, 80, call_labels)
    histogram("voxo_call_mos", MOS_BOUNDS, 3.4, call_labels)
    histogram("voxo_call_jitter_ratio", RATIO_BOUNDS, 0.004, call_labels)
    histogram("voxo_call_packet_loss_ratio", RATIO_BOUNDS, 0.015, call_labels)
    histogram("voxo_collector_request_duration_seconds", REQUEST_BOUNDS, 0.3,
              [dict(tenant=t) for t in TENANTS], per=3)

    family("voxo_collector_requests_total", "counter",
           [f'voxo_collector_requests_total{labels(dict(tenant=t, code=c))} {n}'
            for t in TENANTS for c in ("200", "500", "error")])
    for name in ("voxo_collector_records_total", "voxo_collector_duplicate_records_total",
                 "voxo_collector_invalid_records_total"):
        family(name, "counter", [f"{name}{labels(dict(tenant=t))} {n}" for t in TENANTS])
    now = int(time.time())
    family("voxo_collector_last_success_timestamp_seconds", "gauge",
           [f"voxo_collector_last_success_timestamp_seconds{labels(dict(tenant=t))} {now}"
            for t in TENANTS])
    family("voxo_collector_watermark_timestamp_seconds", "gauge",
           [f"voxo_collector_watermark_timestamp_seconds{labels(dict(tenant=t))} {now - 180}"
            for t in TENANTS])
    family("voxo_up", "gauge", [f"voxo_up{labels(dict(tenant=t))} 1" for t in TENANTS])
    family("voxo_tenant_info", "gauge",
           [f"voxo_tenant_info{labels(dict(tenant=t, name=nm))} 1" for t, nm in TENANTS.items()])
    family("voxo_exporter_build_info", "gauge",
           ['voxo_exporter_build_info{version="0.0.0",revision="test"} 1'])
    family("process_resident_memory_bytes", "gauge", ["process_resident_memory_bytes 1e7"])
    return "\n".join(out) + "\n"


class FakeExporter:
    def __init__(self):
        self.scrapes = 0
        self.server = None
        self.thread = None

    @property
    def address(self):
        return f"127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path.split("?")[0] != "/metrics":
                    self.send_error(404)
                    return
                fake.scrapes += 1
                body = render(fake.scrapes).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
        return False

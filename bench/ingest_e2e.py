#!/usr/bin/python3
"""End-to-end ingest on the real binary (issue #14): the exporter polls bench_reply_server,
which serves one prepared reply from memory over HTTP or HTTPS (TLS 1.3).

Usage: ingest_e2e.py WORK SERVER EXPORTER[=LABEL]... [--records N]... [--tls both|on|off]
                     [--repeat R] [--python]
Prints one JSON line per run: the exporter's CPU seconds (utime + stime of /proc/<pid>/stat,
read while the server holds the reply back and again once the records are in /metrics), the
wall time from the reply's first byte and from its last byte to the records visible in
/metrics, and peak RSS over the peak while waiting for the reply. With --python, the Python
peer (bench/baseline/exporter.py --url) fetches and ingests the same reply from the same server
(replies up to 300,000 records: its tree of a 1 GB reply would take several GB).
The exporters given alternate run by run, so a baseline binary is measured under the same load.
"""
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request

TICK = os.sysconf("SC_CLK_TCK")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15)


def hwm_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def metric_sum(text, name):
    return sum(float(m.group(1)) for m in re.finditer(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.M))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Server:
    """One bench_reply_server; every request waits for the go file, which each run removes."""

    def __init__(self, work, binary, records, tls):
        self.dir = os.path.join(work, f"srv-{records}-{'tls' if tls else 'plain'}")
        os.makedirs(self.dir, exist_ok=True)
        port_file = os.path.join(self.dir, "port")
        self.go = os.path.join(self.dir, "go")
        self.events_path = os.path.join(self.dir, "events")
        self.ca = os.path.join(self.dir, "ca.pem") if tls else None
        args = [binary, "--records", str(records), "--port-file", port_file, "--go-file", self.go,
                "--events", self.events_path] + (["--tls-ca", self.ca] if tls else [])
        self.proc = subprocess.Popen(args)
        deadline = time.monotonic() + 600
        while not os.path.exists(port_file):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                raise RuntimeError("bench_reply_server did not start")
            time.sleep(0.05)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{int(open(port_file).read())}"

    def events(self):
        out = []
        if os.path.exists(self.events_path):
            out = [(w, float(t)) for w, t in (line.split() for line in open(self.events_path))]
        return out

    def last(self, what, events):
        return [t for w, t in events if w == what][-1]

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def run_exporter(work, srv, exporter, label, tls):
    token = os.path.join(work, "token")
    with open(token, "w") as f:
        f.write("bench-token\n")
    os.chmod(token, 0o600)
    config = os.path.join(srv.dir, "exporter.yml")
    with open(config, "w") as f:
        f.write(f"api:\n  url: {srv.url}\n  token_file: {token}\n  max_response_bytes: 2GiB\n  timeout: 5m\n")
        if srv.ca:
            f.write(f"  ca_file: {srv.ca}\n")
        # The reply's records lie in the hour that ended 2 minutes before the server started.
        f.write("collector:\n  interval: 1h\n  delay: 1m\n  lookback: 65m\n  concurrency: 1\n")
        # Shown at once: the hold (a new series at 0 first, for scrapers) is not ingest time.
        f.write("metrics:\n  new_series_hold: 0s\n")
        f.write("tenants:\n  - id: 101\n")
    if os.path.exists(srv.go):
        os.remove(srv.go)
    requests_before = sum(1 for w, _ in srv.events() if w == "request")
    port = free_port()
    log = open(os.path.join(srv.dir, "exporter.log"), "ab")
    proc = subprocess.Popen([exporter, "--config.file", config, "--web.listen-address", f"127.0.0.1:{port}",
                             "--log.level", "warn"], stderr=log)
    try:
        deadline = time.monotonic() + 60
        while sum(1 for w, _ in srv.events() if w == "request") <= requests_before:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"{label}: no request reached the server")
            time.sleep(0.01)
        time.sleep(0.3)  # start-up is over: the exporter only waits for the reply now
        cpu0, idle_hwm = cpu_seconds(proc.pid), hwm_kib(proc.pid)
        open(srv.go, "w").close()
        url = f"http://127.0.0.1:{port}/metrics"
        deadline = time.monotonic() + 600
        while True:
            text = urllib.request.urlopen(url, timeout=30).read().decode()
            if metric_sum(text, "voxo_collector_records_total") > 0:  # the window is applied at once
                visible = time.monotonic()
                break
            if time.monotonic() > deadline:
                raise RuntimeError(f"{label}: the records never reached /metrics")
            # Coarse while the reply streams (a scrape costs the exporter a little), fine after.
            done = sum(1 for w, _ in srv.events() if w == "last_byte") > requests_before
            time.sleep(0.01 if done else 0.1)
        cpu1, hwm = cpu_seconds(proc.pid), hwm_kib(proc.pid)
        ev = srv.events()
        elements = sum(metric_sum(text, n) for n in ("voxo_collector_records_total",
                                                     "voxo_collector_duplicate_records_total",
                                                     "voxo_collector_invalid_records_total"))
        return {"who": label, "tls": tls, "records": int(elements), "cpu_seconds": cpu1 - cpu0,
                "first_byte_to_visible": visible - srv.last("first_byte", ev),
                "last_byte_to_visible": visible - srv.last("last_byte", ev),
                "idle_hwm_kib": idle_hwm, "hwm_kib": hwm}
    finally:
        proc.terminate()
        proc.wait()
        log.close()


def run_python(srv, tls):
    open(srv.go, "w").close()
    args = ["/usr/bin/python3", os.path.join(ROOT, "bench/baseline/exporter.py"), "--url",
            srv.url + "/call-reports?tenantId=101"] + (["--ca", srv.ca] if srv.ca else [])
    out = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    return {"who": "python", "tls": tls, "records": out["total"], "cpu_seconds": out["seconds"],
            "fetch_cpu_seconds": out["fetch_seconds"]}


def main():
    argv = sys.argv[1:]
    work, server_binary = argv[0], argv[1]
    exporters, sizes, tls_modes, repeat, python = [], [], [False, True], 1, False
    i = 2
    while i < len(argv):
        a = argv[i]
        if a in ("--records", "--tls", "--repeat"):
            v = argv[i + 1]
            i += 2
            if a == "--records":
                sizes.append(int(v))
            elif a == "--tls":
                tls_modes = {"both": [False, True], "on": [True], "off": [False]}[v]
            else:
                repeat = int(v)
        elif a == "--python":
            python = True
            i += 1
        else:
            path, _, label = a.partition("=")
            exporters.append((path, label or "exporter"))
            i += 1
    for n in sizes or [200000]:
        for tls in tls_modes:
            srv = Server(work, server_binary, n, tls)
            try:
                for _ in range(repeat):
                    for path, label in exporters:
                        print(json.dumps({**run_exporter(work, srv, path, label, tls), "asked_records": n}), flush=True)
                if python and n <= 300000:
                    print(json.dumps({**run_python(srv, tls), "asked_records": n}), flush=True)
            finally:
                srv.stop()


if __name__ == "__main__":
    main()

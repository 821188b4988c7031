#!/usr/bin/python3
"""End-to-end ingest on the real binary (issue #14): the exporter polls bench_reply_server,
which serves one prepared reply from memory over HTTP or HTTPS (TLS 1.3).

Usage: ingest_e2e.py WORK SERVER EXPORTER[=LABEL]... --records N [--records M] [--tls both|on|off]
       [--repeat R] [--python]
Prints one JSON line per run: the exporter's CPU seconds (utime + stime from /proc/<pid>/stat,
read while the server holds the reply and again once the records are in /metrics), the wall
time from the reply's first byte to the records visible in /metrics and from its last byte,
peak RSS over the RSS while waiting for the reply. With --python, the Python peer
(bench/baseline/exporter.py --url) fetches and ingests the same reply through the same server.
Runs of the given binaries alternate, so a baseline binary is measured under the same load.
"""
import json
import os
import re
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


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def wait_file(path, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            return
        time.sleep(0.01)
    raise RuntimeError(f"{path} did not appear in {timeout} s")


def events(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            what, t = line.split()
            out.setdefault(what, float(t))  # the first request's
    return out


def metric_sum(text, name):
    return sum(float(m.group(1)) for m in re.finditer(rf"^{name}(?:{{[^}}]*}})? (\S+)$", text, re.M))


class Server:
    def __init__(self, work, binary, records, tls):
        self.dir = os.path.join(work, f"srv-{records}-{'tls' if tls else 'plain'}")
        os.makedirs(self.dir, exist_ok=True)
        self.port_file = os.path.join(self.dir, "port")
        self.ca = os.path.join(self.dir, "ca.pem") if tls else None
        args = [binary, "--records", str(records), "--port-file", self.port_file,
                "--go-file", os.path.join(self.dir, "go"), "--events", os.path.join(self.dir, "events")]
        if tls:
            args += ["--tls-ca", self.ca]
        self.proc = subprocess.Popen(args)
        wait_file(self.port_file, 600)
        self.port = int(open(self.port_file).read())
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait()


def run_exporter(work, server_binary, exporter, label, records, tls):
    srv = Server(work, server_binary, records, tls)
    try:
        token = os.path.join(work, "token")
        with open(token, "w") as f:
            f.write("bench-token\n")
        os.chmod(token, 0o600)
        config = os.path.join(srv.dir, "exporter.yml")
        with open(config, "w") as f:
            f.write(f"api:\n  url: {srv.url}\n  token_file: {token}\n  max_response_bytes: 2GiB\n  timeout: 5m\n")
            if srv.ca:
                f.write(f"  ca_file: {srv.ca}\n")
            f.write("collector:\n  interval: 1h\n  delay: 1m\n  lookback: 65m\n  concurrency: 1\n")
            f.write("tenants:\n  - id: 101\n")
        import socket
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        log = open(os.path.join(srv.dir, "exporter.log"), "ab")
        proc = subprocess.Popen([exporter, "--config.file", config, "--web.listen-address", f"127.0.0.1:{port}",
                                 "--log.level", "warn"], stderr=log)
        try:
            ev_path = os.path.join(srv.dir, "events")
            deadline = time.monotonic() + 60
            while "request" not in events(ev_path):
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError(f"{label}: no request reached the server")
                time.sleep(0.01)
            time.sleep(0.2)  # let start-up settle: the exporter now only waits for the reply
            cpu0 = cpu_seconds(proc.pid)
            rss_idle = status_kib(proc.pid, "VmHWM")
            open(os.path.join(srv.dir, "go"), "w").close()
            url = f"http://127.0.0.1:{port}/metrics"
            deadline = time.monotonic() + 600
            while True:
                text = urllib.request.urlopen(url, timeout=30).read().decode()
                if metric_sum(text, "voxo_collector_records_total") > 0:
                    visible = time.monotonic()
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{label}: records never became visible")
                # Coarse while the reply streams (each scrape costs the exporter a little), fine after.
                time.sleep(0.01 if "last_byte" in events(ev_path) else 0.1)
            cpu1 = cpu_seconds(proc.pid)
            hwm = status_kib(proc.pid, "VmHWM")
            ev = events(ev_path)
            elements = sum(metric_sum(text, n) for n in ("voxo_collector_records_total",
                                                         "voxo_collector_duplicate_records_total",
                                                         "voxo_collector_invalid_records_total"))
            return {"who": label, "tls": tls, "records": int(elements),
                    "cpu_seconds": cpu1 - cpu0, "first_byte_to_visible": visible - ev["first_byte"],
                    "last_byte_to_visible": visible - ev["last_byte"],
                    "transfer_seconds": ev["last_byte"] - ev["first_byte"],
                    "idle_hwm_kib": rss_idle, "hwm_kib": hwm}
        finally:
            proc.terminate()
            proc.wait()
            log.close()
    finally:
        srv.stop()


def run_python(work, server_binary, records, tls):
    srv = Server(work, server_binary, records, tls)
    try:
        open(os.path.join(srv.dir, "go"), "w").close()
        args = ["/usr/bin/python3", os.path.join(ROOT, "bench/baseline/exporter.py"), "--url",
                srv.url + "/api/v2/call-reports"]
        if srv.ca:
            args += ["--ca", srv.ca]
        out = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
        return {"who": "python", "tls": tls, "records": out["total"], "cpu_seconds": out["seconds"],
                "fetch_cpu_seconds": out.get("fetch_seconds")}
    finally:
        srv.stop()


def main():
    argv = sys.argv[1:]
    work, server_binary = argv[0], argv[1]
    exporters, records, tls_modes, repeat, python = [], [], [False, True], 1, False
    i = 2
    while i < len(argv):
        a = argv[i]
        if a == "--records":
            records.append(int(argv[i + 1])); i += 2
        elif a == "--tls":
            tls_modes = {"both": [False, True], "on": [True], "off": [False]}[argv[i + 1]]; i += 2
        elif a == "--repeat":
            repeat = int(argv[i + 1]); i += 2
        elif a == "--python":
            python = True; i += 1
        else:
            path, _, label = a.partition("=")
            exporters.append((path, label or "exporter")); i += 1
    for n in records or [200000]:
        for tls in tls_modes:
            for _ in range(repeat):
                for path, label in exporters:
                    r = run_exporter(work, server_binary, path, label, n, tls)
                    r["asked_records"] = n
                    print(json.dumps(r), flush=True)
            if python and n <= 300000:
                r = run_python(work, server_binary, n, tls)
                r["asked_records"] = n
                print(json.dumps(r), flush=True)


if __name__ == "__main__":
    main()

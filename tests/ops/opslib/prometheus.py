"""Starts a real `prometheus` for a test and talks to its HTTP API.

    with PrometheusServer(rule_files=[...], targets=["127.0.0.1:10368"]) as prom:
        prom.query("up")              # the decoded JSON reply, also for 4xx replies

The server listens on 127.0.0.1 on a free port, keeps its data in a temporary folder, and is
always stopped (SIGTERM, then SIGKILL) when the `with` block ends, even on an exception.
"""
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml

from . import process


class PrometheusError(RuntimeError):
    pass


def free_port():
    # Prometheus cannot report a port it picked itself, so we pick one; start() retries if
    # another process takes it in between.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrometheusServer:
    def __init__(self, binary="prometheus", rule_files=(), targets=(), job="voxo",
                 scrape_interval="5s", evaluation_interval="1s", extra_scrape_configs=(),
                 start_timeout=60.0, keep_dir=False):
        self.binary = binary
        self.rule_files = [str(pathlib.Path(p).resolve()) for p in rule_files]
        self.targets = list(targets)
        self.job = job
        self.scrape_interval = scrape_interval
        self.evaluation_interval = evaluation_interval
        self.extra_scrape_configs = list(extra_scrape_configs)
        self.start_timeout = start_timeout
        self.keep_dir = keep_dir
        self.proc = None
        self.dir = None
        self.port = None
        self.log_path = None

    # --- life cycle ---------------------------------------------------------------------
    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    def config(self):
        scrape = list(self.extra_scrape_configs)
        if self.targets:
            scrape.insert(0, {"job_name": self.job, "scrape_interval": self.scrape_interval,
                              "static_configs": [{"targets": self.targets}]})
        return {"global": {"scrape_interval": self.scrape_interval,
                           "evaluation_interval": self.evaluation_interval},
                "rule_files": self.rule_files,
                "scrape_configs": scrape}

    def start(self):
        if shutil.which(self.binary) is None and not os.path.isfile(self.binary):
            raise PrometheusError(f"{self.binary} not found (Debian package: prometheus)")
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix="voxo-prometheus-"))
        config_path = self.dir / "prometheus.yml"
        config_path.write_text(yaml.safe_dump(self.config(), sort_keys=False))
        self.log_path = self.dir / "prometheus.log"
        last_error = None
        for _ in range(3):
            self.port = free_port()
            try:
                self._spawn(config_path)
                self._wait_ready()
                return
            except PrometheusError as e:
                last_error = e
                self._kill()
        self.stop()
        raise last_error

    def reload(self, rule_files):
        """Swaps the loaded rule files: rewrites the configuration and sends SIGHUP, as an
        operator's reload does. Returns once /api/v1/rules lists exactly the new files."""
        self.rule_files = [str(pathlib.Path(p).resolve()) for p in rule_files]
        (self.dir / "prometheus.yml").write_text(yaml.safe_dump(self.config(), sort_keys=False))
        os.kill(self.proc.pid, signal.SIGHUP)
        want = set(self.rule_files)
        deadline = time.monotonic() + self.start_timeout
        while True:
            if {g["file"] for g in self.rule_groups()} == want:
                return
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise PrometheusError("reload with new rule files failed:\n" + self.log_tail())
            time.sleep(0.2)

    def _spawn(self, config_path):
        data = self.dir / "data"
        data.mkdir(exist_ok=True)
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(
                [self.binary,
                 f"--config.file={config_path}",
                 f"--storage.tsdb.path={data}",
                 f"--web.listen-address=127.0.0.1:{self.port}",
                 "--log.level=warn"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True)
        finally:
            log.close()

    def _wait_ready(self):
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise PrometheusError(f"prometheus exited with {self.proc.returncode}:\n"
                                      + self.log_tail())
            try:
                with urllib.request.urlopen(self.url("/-/ready"), timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, socket.timeout):
                pass
            time.sleep(0.2)
        raise PrometheusError(f"prometheus not ready after {self.start_timeout}s:\n"
                              + self.log_tail())

    def _kill(self):
        if self.proc is None:
            return
        process.stop_group(self.proc)
        self.proc = None

    def stop(self):
        self._kill()
        if self.dir is not None and not self.keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # --- HTTP API -----------------------------------------------------------------------
    def url(self, path, **params):
        q = ("?" + urllib.parse.urlencode(params)) if params else ""
        return f"http://127.0.0.1:{self.port}{path}{q}"

    def api(self, path, **params):
        """GET an API path; returns the decoded JSON also for error replies (4xx/5xx)."""
        try:
            with urllib.request.urlopen(self.url(path, **params), timeout=30) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:
            body = e.read()
            try:
                return json.loads(body)
            except ValueError:
                return {"status": "error", "errorType": f"http {e.code}",
                        "error": body.decode(errors="replace")}

    def query(self, expr, at=None):
        params = {"query": expr}
        if at is not None:
            params["time"] = f"{at:.3f}"
        return self.api("/api/v1/query", **params)

    def raw_samples(self, selector, window, at=None):
        """Every sample stored for the series `selector` picks within `window` (a duration such
        as "10m") before `at` (default now), as scraped, not interpolated:
        [(labels incl. __name__, [(unix time, value), ...] oldest first), ...]."""
        reply = self.query(f"{selector}[{window}]", at=at)
        if reply.get("status") != "success":
            raise PrometheusError(f"{selector}[{window}]: {reply.get('errorType')}: "
                                  f"{reply.get('error')}")
        return [(s["metric"], [(float(t), float(v)) for t, v in s["values"]])
                for s in reply["data"]["result"]]

    def query_range(self, expr, start, end, step="60s"):
        return self.api("/api/v1/query_range", query=expr, start=f"{start:.3f}",
                        end=f"{end:.3f}", step=step)

    def rule_groups(self):
        reply = self.api("/api/v1/rules")
        if reply.get("status") != "success":
            raise PrometheusError(f"/api/v1/rules: {reply}")
        return reply["data"]["groups"]

    def alerts(self):
        """Active alerts (pending or firing): [{labels, state, activeAt, value, ...}]."""
        reply = self.api("/api/v1/alerts")
        if reply.get("status") != "success":
            raise PrometheusError(f"/api/v1/alerts: {reply}")
        return reply["data"]["alerts"]

    def wait_rules_evaluated(self, timeout=30.0):
        """Waits until every loaded rule has been evaluated once; returns the groups."""
        deadline = time.monotonic() + timeout
        while True:
            groups = self.rule_groups()
            pending = [r["name"] for g in groups for r in g["rules"]
                       if r.get("health") == "unknown"]
            if not pending:
                return groups
            if time.monotonic() > deadline:
                raise PrometheusError(f"rules never evaluated: {pending[:5]}")
            time.sleep(0.5)

    def wait_targets_up(self, job=None, timeout=60.0):
        """Waits until every target of `job` (default: the exporter job) was scraped OK."""
        job = job or self.job
        expr = f'up{{job="{job}"}}'
        deadline = time.monotonic() + timeout
        while True:
            reply = self.query(expr)
            result = reply.get("data", {}).get("result", [])
            if result and all(s["value"][1] == "1" for s in result):
                return result
            if time.monotonic() > deadline:
                raise PrometheusError(f"{expr} not all 1 after {timeout}s: {result}")
            time.sleep(0.5)

"""Starts the real voxo_sim and voxo_exporter binaries for end-to-end tests.

    with Simulator(binary, tenants=3, calls_per_hour=7200, token=tok) as sim, \\
         Exporter(binary, api_url=sim.url, token=tok, tenant_ids=sim.tenant_ids) as exp:
        exp.address      # "127.0.0.1:PORT"
        sim.switch_quality(102, "bad")
        sim.truth(102)   # every unique valid call of tenant 102 (GET /_sim/truth)
        exp.kill()       # SIGKILL, as a crash; exp.restart(collector={...}) on the same folder

Each process runs in its own process group with stdout/stderr in files of a temporary folder
(never a pipe nobody reads), and is stopped (SIGTERM, then SIGKILL) when the `with` block ends,
also on an exception. Loopback only, ports picked by the OS.
"""
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

import yaml

from . import process


class ProcessError(RuntimeError):
    pass


class Background:
    """One child process; `name` is used in messages."""

    def __init__(self, name, argv, workdir):
        self.name = name
        # Absolute: the process runs in `workdir`.
        self.argv = [os.path.abspath(str(argv[0]))] + [str(a) for a in argv[1:]]
        self.workdir = pathlib.Path(workdir)
        self.stdout_path = self.workdir / f"{name}.stdout"
        self.stderr_path = self.workdir / f"{name}.stderr"
        self.proc = None

    def start(self):
        """Starts the process; the logs of an earlier run of this object are kept as
        `<name>.stdout.N` / `<name>.stderr.N` (N = 1, 2, ...)."""
        if not os.path.isfile(self.argv[0]):
            raise ProcessError(f"{self.name}: binary {self.argv[0]} not found (build it first)")
        self._set_aside_old_logs()
        with open(self.stdout_path, "wb") as out, open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=err, cwd=self.workdir, start_new_session=True)

    def _set_aside_old_logs(self):
        if not self.stderr_path.exists():
            return
        n = 1
        while self.stderr_path.with_name(f"{self.stderr_path.name}.{n}").exists():
            n += 1
        for p in (self.stdout_path, self.stderr_path):
            if p.exists():
                p.rename(p.with_name(f"{p.name}.{n}"))

    def kill(self, sig=signal.SIGKILL, timeout=10):
        """Sends `sig` to the process group and waits until the process exited; returns its
        returncode (negative: killed by that signal)."""
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:  # exited meanwhile
            pass
        return self.proc.wait(timeout=timeout)

    def wait_for(self, path, pattern, timeout):
        """Waits until `pattern` matches a line of `path`; returns the match."""
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        while True:
            try:
                for line in path.read_text(errors="replace").splitlines():
                    m = rx.search(line)
                    if m:
                        return m
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise ProcessError(f"{self.name} exited with {self.proc.returncode} before "
                                   f"printing /{pattern}/:\n{self.tail()}")
            if time.monotonic() > deadline:
                raise ProcessError(f"{self.name} printed no /{pattern}/ in {timeout}s:\n"
                                   + self.tail())
            time.sleep(0.1)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def returncode(self):
        """None while it runs (or before start), else its exit status (negative: signal)."""
        return None if self.proc is None else self.proc.poll()

    def stop(self):
        if self.proc is None:
            return
        process.stop_group(self.proc)
        self.proc = None

    def tail(self, lines=20):
        out = []
        for p in (self.stdout_path, self.stderr_path):
            try:
                text = p.read_text(errors="replace").splitlines()[-lines:]
            except OSError:
                text = ["(none)"]
            out.append(f"--- {p.name}\n" + "\n".join(text))
        return "\n".join(out)


class _Managed:
    """A context manager around one Background process in its own temporary folder."""

    def __init__(self, keep_dir=False):
        self.dir = None
        self.keep_dir = keep_dir
        self.process = None

    def __enter__(self):
        self.dir = pathlib.Path(tempfile.mkdtemp(prefix=f"voxo-{self.kind}-"))
        try:
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        if self.process is not None:
            self.process.stop()
        if self.dir is not None and not self.keep_dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
        return False

    def tail(self):
        return self.process.tail() if self.process else "(not started)"


def _post(url, timeout=10):
    req = urllib.request.Request(url, data=b"", method="POST")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


class Simulator(_Managed):
    """voxo_sim with live data (no --to) starting `from_ago` ago, tenants 101..100+N."""
    kind = "sim"

    def __init__(self, binary, tenants=3, calls_per_hour=3600, token="e2e-token", seed=7,
                 from_ago="2h", extra_args=(), start_timeout=30, keep_dir=False):
        super().__init__(keep_dir)
        self.binary = binary
        self.tenant_ids = [101 + i for i in range(tenants)]
        self.calls_per_hour = calls_per_hour
        self.token = token
        self.seed = seed
        self.from_ago = from_ago
        self.extra_args = list(extra_args)
        self.start_timeout = start_timeout
        self.url = None

    def start(self):
        argv = [self.binary, "--listen-address", "127.0.0.1:0", "--seed", self.seed,
                "--tenants", len(self.tenant_ids), "--calls-per-hour", self.calls_per_hour,
                "--from", self.from_ago, "--token", self.token, *self.extra_args]
        self.process = Background("voxo_sim", argv, self.dir)
        self.process.start()
        m = self.process.wait_for(self.process.stdout_path,
                                  r"^listening on (https?://127\.0\.0\.1:\d+)\s*$",
                                  self.start_timeout)
        self.url = m.group(1)

    def truth(self, tenant_id, start=None, end=None):
        """GET /_sim/truth: every unique valid call of the tenant in [start, end] (unix seconds;
        default: the whole data set up to now), whether served yet or not; a list of dicts
        with time, direction, disposition, duration, afterAnswerDuration, mos, percentJitter,
        packetLoss, recorded, queueCall."""
        params = f"tenantId={tenant_id}"
        if start is not None:
            params += f"&start={int(start)}"
        if end is not None:
            params += f"&end={int(end)}"
        try:
            with urllib.request.urlopen(f"{self.url}/_sim/truth?{params}", timeout=30) as r:
                return json.load(r)["calls"]
        except urllib.error.HTTPError as e:
            raise ProcessError(f"GET /_sim/truth?{params}: {e.code} {e.read()[:200]!r}") from e

    def switch_quality(self, tenant_id, profile):
        status, body = _post(f"{self.url}/_sim/quality?tenantId={tenant_id}&profile={profile}")
        if status // 100 != 2:
            raise ProcessError(f"POST /_sim/quality for {tenant_id}: {status} {body[:200]}")


class Exporter(_Managed):
    """voxo_exporter polling `api_url` with a token file; `collector` and `metrics` override
    those sections. `tenants` (config entries such as {"billing_code": "B103"}) replaces the
    list made from `tenant_ids`. `port` 0 lets the OS pick; a fixed port keeps the scrape
    target (and so Prometheus' series) the same across restart()."""
    kind = "exporter"

    def __init__(self, binary, api_url, token, tenant_ids=(), collector=None, extra_args=(),
                 start_timeout=30, keep_dir=False, tenants=None, metrics=None, port=0):
        super().__init__(keep_dir)
        self.binary = binary
        self.api_url = api_url
        self.token = token
        self.tenant_ids = list(tenant_ids)
        self.tenants = list(tenants) if tenants is not None else None
        self.collector = dict(collector or {})
        self.metrics = dict(metrics or {})
        self.extra_args = list(extra_args)
        self.start_timeout = start_timeout
        self.listen_port = port
        self.port = None

    @property
    def address(self):
        return f"127.0.0.1:{self.port}"

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def config(self):
        tenants = self.tenants
        if tenants is None:
            tenants = [{"id": t, "name": f"tenant-{t}"} for t in self.tenant_ids]
        cfg = {"api": {"url": self.api_url, "token_file": "token"}, "tenants": tenants}
        if self.collector:
            cfg["collector"] = self.collector
        if self.metrics:
            cfg["metrics"] = self.metrics
        return cfg

    def start(self):
        token_path = self.dir / "token"
        token_path.write_text(self.token + "\n")
        token_path.chmod(0o600)
        config_path = self.dir / "voxo_exporter.yml"
        config_path.write_text(yaml.safe_dump(self.config(), sort_keys=False))
        argv = [self.binary, f"--config.file={config_path}",
                f"--web.listen-address=127.0.0.1:{self.listen_port}", *self.extra_args]
        self.process = Background("voxo_exporter", argv, self.dir)
        self.process.start()
        m = self.process.wait_for(self.process.stderr_path, r"msg=\"?listening\b.*\bport=(\d+)",
                                  self.start_timeout)
        self.port = int(m.group(1))

    def kill(self, sig=signal.SIGKILL):
        """Kills the running exporter (default SIGKILL: a crash, no clean stop); returns its
        returncode."""
        return self.process.kill(sig)

    def restart(self, collector=None):
        """Starts the exporter again in the same folder (state file, logs set aside), with the
        config rewritten first; `collector` updates that section. The previous process must
        have exited."""
        if self.process is not None and self.process.alive():
            raise ProcessError("restart() while the exporter still runs")
        self.collector.update(collector or {})
        self.start()

    def metrics_text(self, timeout=5):
        """The current /metrics page as text."""
        with urllib.request.urlopen(f"{self.url}/metrics", timeout=timeout) as r:
            return r.read().decode(errors="replace")

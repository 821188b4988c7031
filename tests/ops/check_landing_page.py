#!/usr/bin/env python3
"""The exporter's landing page in a real browser: starts voxo_sim (3 live tenants) and
voxo_exporter polling it, waits until every tenant has been polled, then runs
tests/ops/browser/landing_page.mjs (playwright-core driving Debian's /usr/bin/chromium) on the
exporter's `/`, which saves a screenshot (default: ./artifacts/landing.png).

Fails, never skips, when Chromium, node or playwright-core are missing: scripts/setup.sh
installs them. Every process is stopped at the end, also on failure.
"""
import argparse
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from opslib.voxo import Exporter, ProcessError, Simulator  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
BROWSER = HERE / "browser"


def polled_tenants(exporter):
    """Tenants with voxo_up 1 and some counted calls on /metrics."""
    try:
        with urllib.request.urlopen(exporter.url + "/metrics", timeout=5) as r:
            text = r.read().decode(errors="replace")
    except OSError:
        return set()
    up = set(re.findall(r'^voxo_up\{tenant="([^"]+)"\} 1$', text, re.M))
    calls = set(re.findall(r'^voxo_calls_total\{[^}]*tenant="([^"]+)"[^}]*\} [1-9]', text, re.M))
    return up & calls


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--exporter", required=True)
    ap.add_argument("--sim", required=True)
    ap.add_argument("--node", default="node")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--screenshot", default="artifacts/landing.png")
    args = ap.parse_args()
    # ctest or a user stopping the run: unwind the `with` blocks so every process is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))

    problems = []
    if not os.path.isfile(args.chromium):
        problems.append(f"Chromium not found at {args.chromium}: install the Debian package "
                        "chromium (scripts/setup.sh does)")
    node = shutil.which(args.node) or (args.node if os.path.isfile(args.node) else None)
    if node is None:
        problems.append(f"{args.node} not found: install Node.js and npm (scripts/setup.sh)")
    if not (BROWSER / "node_modules" / "playwright-core").is_dir():
        problems.append(f"playwright-core not installed in {BROWSER}/node_modules: "
                        "run scripts/setup.sh (npm ci there)")
    if problems:
        for p in problems:
            print("FAIL " + p, file=sys.stderr)
        return 1

    screenshot = pathlib.Path(args.screenshot).resolve()
    try:
        with Simulator(args.sim, tenants=3, calls_per_hour=7200, token="browser-token") as sim, \
                Exporter(args.exporter, api_url=sim.url, token=sim.token,
                         tenant_ids=sim.tenant_ids,
                         collector={"interval": "1s", "delay": "5s", "overlap": "30s",
                                    "lookback": "10m"}) as exp:
            tenants = [str(t) for t in sim.tenant_ids]
            deadline = time.monotonic() + 60
            while set(tenants) - polled_tenants(exp):
                if time.monotonic() > deadline:
                    print(f"FAIL tenants never polled: {sorted(set(tenants) - polled_tenants(exp))}"
                          f"\n{exp.tail()}\n{sim.tail()}", file=sys.stderr)
                    return 1
                time.sleep(0.5)
            # Its own process group, so a hung run is ended with Chromium's processes too.
            browser = subprocess.Popen([node, str(BROWSER / "landing_page.mjs"), "--url", exp.url,
                                        "--tenants", ",".join(tenants), "--screenshot",
                                        str(screenshot), "--chromium", args.chromium],
                                       cwd=BROWSER, stdin=subprocess.DEVNULL,
                                       start_new_session=True)
            try:
                rc = browser.wait(timeout=150)
            except subprocess.TimeoutExpired:
                print("FAIL the browser check did not finish in 150s", file=sys.stderr)
                os.killpg(browser.pid, signal.SIGKILL)
                browser.wait()
                rc = 1
            if rc != 0:
                print(exp.tail(), file=sys.stderr)
            return 0 if rc == 0 else 1
    except ProcessError as e:
        print(f"FAIL cannot start: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())

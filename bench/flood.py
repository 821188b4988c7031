#!/usr/bin/env python3
"""A legitimate scraper's success and latency while clients flood the exporter's HTTP server.

Starts the exporter binary in demo mode (embedded simulator) with basic auth (bcrypt cost 12 by
default), scrapes /metrics alone, then again while a child process floods it:
  --idle    clients that connect and send nothing,
  --kept    clients that send one request, then keep the connection open and silent,
  --slow    clients that trickle a header, one byte every 100 ms,
  --wrong   clients that request /metrics with a new wrong password each time, without pause,
every one of them reconnecting as soon as it is closed. The scraper behaves like Prometheus:
one kept-alive connection with gzip, and one retry on a new connection when the server closed
the kept one. Prints answered scrapes and p50/p99/max latency for both phases.

Usage: bench/flood.py [--exporter build/voxo_exporter] [--idle 100 --kept 100 --slow 100 --wrong 60]
Loopback only; needs about 2 × (clients + 64) file descriptors (raised to the hard limit).
"""

import argparse
import asyncio
import base64
import ctypes
import ctypes.util
import http.client
import multiprocessing
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time


def bcrypt_hash(password: bytes, cost: int) -> str:
    lib = ctypes.CDLL(ctypes.util.find_library("crypt"))
    lib.crypt_gensalt.restype = ctypes.c_char_p
    lib.crypt_gensalt.argtypes = [ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p, ctypes.c_int]
    lib.crypt.restype = ctypes.c_char_p
    lib.crypt.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    salt = lib.crypt_gensalt(b"$2b$", cost, None, 0)
    return lib.crypt(password, salt).decode()


def authorization(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the flood (child process) ---------------------------------------------------------------

async def flooder(kind, port, stats):
    attempt = 0
    while True:
        attempt += 1
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.01)
            continue
        stats["connects"] += 1
        try:
            if kind == "slow":
                header = b"GET /metrics HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"z" * 100000
                for i in range(len(header)):
                    writer.write(header[i:i + 1])
                    await writer.drain()
                    await asyncio.sleep(0.1)
            elif kind in ("kept", "wrong"):
                n = 0
                while True:
                    n += 1
                    auth = authorization("prometheus", f"wrong-{attempt}-{n}")
                    writer.write(f"GET /metrics HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\n\r\n".encode())
                    await writer.drain()
                    status_line = await reader.readline()
                    if not status_line:
                        break
                    length = 0
                    while True:
                        line = await reader.readline()
                        if line in (b"\r\n", b""):
                            break
                        if line.lower().startswith(b"content-length:"):
                            length = int(line.split(b":")[1])
                    await reader.readexactly(length)
                    if kind == "kept":
                        break
                    status = status_line.split()[1].decode()
                    stats["wrong_" + status] = stats.get("wrong_" + status, 0) + 1
            if kind in ("idle", "kept"):
                while await reader.read(256):
                    pass
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


async def flood_main(port, mix, report):
    stats = {"connects": 0}
    tasks = [asyncio.create_task(flooder(kind, port, stats)) for kind, count in mix.items() for _ in range(count)]
    while True:
        await asyncio.sleep(0.5)
        with open(report + ".tmp", "w") as f:
            f.write(", ".join(f"{k} {v}" for k, v in sorted(stats.items())))
        os.replace(report + ".tmp", report)
    del tasks


def run_flood(port, mix, report):
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    asyncio.run(flood_main(port, mix, report))


# --- the scraper -----------------------------------------------------------------------------

def scrape(port, auth, count, every):
    latencies, answered, conn = [], 0, None
    for _ in range(count):
        start = time.monotonic()
        ok = False
        for _attempt in range(2):
            try:
                if conn is None:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/metrics", headers={"Authorization": auth, "Accept-Encoding": "gzip"})
                res = conn.getresponse()
                res.read()
                ok = res.status == 200
                if ok:
                    break
            except (OSError, http.client.HTTPException):
                pass
            conn.close()
            conn = None
        if ok:
            answered += 1
            latencies.append((time.monotonic() - start) * 1000)
        time.sleep(every)
    return answered, sorted(latencies)


def pct(values, p):
    if not values:
        return float("nan")
    return values[min(len(values) - 1, round(p * (len(values) - 1)))]


def summary(name, count, answered, lat):
    return (f"{name}: {answered} of {count} scrapes answered; p50 {pct(lat, 0.5):.1f} ms, "
            f"p99 {pct(lat, 0.99):.1f} ms, max {pct(lat, 1.0):.1f} ms")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--exporter", default=os.path.join(os.path.dirname(__file__), "..", "build", "voxo_exporter"))
    ap.add_argument("--idle", type=int, default=100)
    ap.add_argument("--kept", type=int, default=100)
    ap.add_argument("--slow", type=int, default=100)
    ap.add_argument("--wrong", type=int, default=60)
    ap.add_argument("--cost", type=int, default=12, help="bcrypt cost of the scraper's password")
    ap.add_argument("--scrapes", type=int, default=200)
    ap.add_argument("--every", type=float, default=0.05, help="seconds between scrapes")
    args = ap.parse_args()

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

    work = tempfile.mkdtemp(prefix="voxo-flood-")
    web = os.path.join(work, "web.yml")
    with open(web, "w") as f:
        f.write(f"basic_auth_users:\n  prometheus: {bcrypt_hash(b'right', args.cost)}\n")
    port = free_port()
    log = open(os.path.join(work, "exporter.log"), "w")
    exporter = subprocess.Popen([args.exporter, f"--web.listen-address=127.0.0.1:{port}",
                                 f"--web.config.file={web}", "--log.level=warn"], stderr=log, stdout=log)
    auth = authorization("prometheus", "right")
    try:
        for _ in range(200):
            answered, _lat = scrape(port, auth, 1, 0)
            if answered:
                break
            time.sleep(0.1)
        else:
            sys.exit("the exporter did not answer /metrics (log: %s)" % log.name)

        answered, lat = scrape(port, auth, args.scrapes, args.every)
        print(summary("alone", args.scrapes, answered, lat))

        mix = {"idle": args.idle, "kept": args.kept, "slow": args.slow, "wrong": args.wrong}
        report = os.path.join(work, "flood.stats")
        child = multiprocessing.Process(target=run_flood, args=(port, mix, report), daemon=True)
        child.start()
        time.sleep(3)  # every flooder connected and the wrong-password queue full
        answered, lat = scrape(port, auth, args.scrapes, args.every)
        child.terminate()
        child.join()
        flood = ", ".join(f"{k} {v}" for k, v in mix.items())
        print(summary(f"flood ({flood})", args.scrapes, answered, lat))
        with open(report) as f:
            print("flood:", f.read())
    finally:
        exporter.terminate()
        exporter.wait()


if __name__ == "__main__":
    main()

"""Serving the site with gunicorn and loading it: sequential latency, then requests/s with wrk
(or threads of http.client when wrk is missing)."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from bench.measures import HOST, ROOT, WARMUP_REQUESTS, Row, Settings

# --- Serving -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(environment: dict[str, str], port: int, log_file, workers: int = 2) -> subprocess.Popen:
    """gunicorn with `workers` sync workers, in its own process group so that it stops cleanly."""
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "commons.wsgi",
        f"--workers={workers}",
        "--worker-class=sync",
        f"--bind={HOST}:{port}",
        "--log-level=warning",
    ]
    return subprocess.Popen(  # noqa: S603 - a fixed command line
        command,
        cwd=ROOT,
        env={**os.environ, **environment},
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_serving(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn s'est arrêté au démarrage")
        try:
            if get(port, "/robots.txt")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn ne répond pas")


def stop_gunicorn(server: subprocess.Popen) -> None:
    """Stop the gunicorn we started (its master and workers: its own process group)."""
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def get(port: int, url: str, cookie: str | None = None) -> tuple[int, int]:
    """One GET on a new connection: the status and the size of the body."""
    return fetch(port, url, cookie)[:2]


def fetch(port: int, url: str, cookie: str | None = None) -> tuple[int, int, str | None]:
    """One GET on a new connection: the status, the size of the body, the `X-Page-Cache` header."""
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request("GET", url, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, len(response.read()), response.getheader("X-Page-Cache")
    finally:
        connection.close()


# --- Latency and throughput -------------------------------------------------------------------


def measure_latency(row: Row, port: int, requests: int) -> None:
    """p50 and p95 of sequential requests from a single client, after a warm-up."""
    for _ in range(min(WARMUP_REQUESTS, requests)):
        get(port, row.url, row.cookie)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        status, _size = get(port, row.url, row.cookie)
        timings.append((time.perf_counter() - started) * 1000)
        row.errors += status != 200
    row.p50_ms = round(statistics.median(timings), 1)
    row.p95_ms = round(statistics.quantiles(timings, n=100)[94], 1)


def measure(row: Row, port: int, settings: Settings, tool: str, expect_cache: bool = False) -> None:
    measure_latency(row, port, row.requests or settings.requests)
    if expect_cache:  # after the warm-up: a cached row must come from the cache, the reference not
        cache_status = fetch(port, row.url, row.cookie)[2]
        wanted = None if row.cookie else "hit"
        if cache_status != wanted:
            row.status = f"X-Page-Cache: {cache_status} (attendu : {wanted})"
    measure_throughput(row, port, settings, tool)


def measure_throughput(row: Row, port: int, settings: Settings, tool: str) -> None:
    if tool == "wrk":
        row.requests_per_s, errors = wrk_throughput(port, row.url, settings, row.cookie)
    else:
        row.requests_per_s, errors = python_throughput(port, row.url, settings, row.cookie)
    row.errors += errors


def wrk_throughput(port: int, url: str, settings: Settings, cookie: str | None = None) -> tuple[float, int]:
    """Requests/s and failed requests (non-2xx/3xx, socket errors) according to wrk."""
    command = [
        shutil.which("wrk"),
        "-t2",
        f"-c{settings.connections}",
        f"-d{settings.duration}s",
        "--timeout=30s",
        *(["-H", f"Cookie: {cookie}"] if cookie else []),
        f"http://{HOST}:{port}{url}",
    ]
    output = subprocess.run(  # noqa: S603 - a fixed command line
        command,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(failed.group(1)) if failed else 0
    # wrk counts a read error each time a sync worker closes a connection it reused: not a failure.
    errors += sum(int(socket_errors.group(n)) for n in (1, 3, 4)) if socket_errors else 0
    return round(rate, 1), errors


def python_throughput(
    port: int, url: str, settings: Settings, cookie: str | None = None
) -> tuple[float, int]:
    """Requests/s with `connections` threads looping on http.client (fallback without wrk)."""
    deadline = time.monotonic() + settings.duration
    done, failed, lock = [0], [0], threading.Lock()

    def client():
        while time.monotonic() < deadline:
            try:
                ok = get(port, url, cookie)[0] == 200
            except OSError:
                ok = False
            with lock:
                done[0] += ok
                failed[0] += not ok

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(settings.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return round(done[0] / (time.monotonic() - started), 1), failed[0]

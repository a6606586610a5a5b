"""The fault scenarios of `make loadtest`: PostgreSQL restarted and Redis stopped under reads.

A probe (threads of http.client, a new connection per request as gunicorn's sync workers close
them) reads the site before, during and after the fault, and every answer is kept with its time.
The figures: requests during the outage and how many failed (by status; a 503 must be the French
page), and the seconds from the fault until the site answers again without failure.

The services are shared with everyone on the machine: `restore_services` starts both again, as
they were started, whatever happened (called in a `finally`).
"""

from __future__ import annotations

import http.client
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from bench.measures import BYPASS_COOKIE, HOST

FRENCH_503 = "Site momentanément indisponible".encode()
REDIS_SETTINGS = ("port", "bind", "dir", "logfile", "pidfile", "save", "appendonly", "protected-mode")


@dataclass
class Answer:
    started: float  # time.monotonic()
    ended: float
    status: int  # 0: no HTTP answer (connection refused, reset, timeout)
    cached: bool  # served from the page cache (X-Page-Cache: hit)
    french_503: bool = False


def probe_once(port: int, url: str, cookie: str | None) -> Answer:
    started = time.monotonic()
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", url, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        body = response.read()
        hit = response.getheader("X-Page-Cache") == "hit"
        return Answer(started, time.monotonic(), response.status, hit, FRENCH_503 in body)
    except OSError:
        return Answer(started, time.monotonic(), 0, False)
    finally:
        connection.close()


class Probe:
    """`threads` readers looping over `urls` until stopped; `cookie` keeps them out of the page cache."""

    def __init__(self, port: int, urls: list[str], threads: int = 4, cookie: str | None = None):
        self.port, self.urls, self.cookie = port, urls, cookie
        self.answers: list[Answer] = []
        self._lock, self._stop = threading.Lock(), threading.Event()
        self._threads = [threading.Thread(target=self._read, args=(n,)) for n in range(threads)]

    def _read(self, offset: int) -> None:
        index = offset
        while not self._stop.is_set():
            answer = probe_once(self.port, self.urls[index % len(self.urls)], self.cookie)
            index += 1
            with self._lock:
                self.answers.append(answer)

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join()


def outage_figures(answers: list[Answer], fault_at: float, back_at: float) -> dict:
    """What the readers saw from the fault on: failures, and when the site answered again.

    `recovered_s`: from the fault to the start of the first request after the last failure (0 when
    nothing failed); `window_s`: from the fault until the service was back, plus the same delay.
    """
    during = [a for a in answers if a.ended >= fault_at]
    failed = [a for a in during if a.status != 200]
    statuses: dict[str, int] = {}
    for answer in failed:
        key = str(answer.status) if answer.status else "sans réponse"
        statuses[key] = statuses.get(key, 0) + 1
    last_failure = max((a.ended for a in failed), default=None)
    recovered = 0.0
    if last_failure is not None:
        after = [a.started for a in during if a.started >= last_failure and a.status == 200]
        recovered = (min(after) if after else float("nan")) - fault_at
    before = [a for a in answers if a.ended < fault_at]
    down = [a for a in answers if fault_at <= a.started < back_at]
    after = [a for a in answers if a.started >= back_at]
    return {
        "p50_ms_before": median_ms(before),
        "p50_ms_while_down": median_ms(down),
        "p50_ms_after": median_ms(after),
        "requests_before": len(before),
        "failed_before": sum(a.status != 200 for a in before),
        "requests_from_fault": len(during),
        "failed": len(failed),
        "failed_by_status": statuses,
        "french_503": sum(a.status == 503 and a.french_503 for a in failed),
        "service_down_s": round(back_at - fault_at, 2),
        "recovered_s": round(recovered, 2),
        "requests_after_recovery": sum(a.started >= fault_at + recovered for a in during),
    }


def median_ms(answers: list[Answer]) -> float | None:
    return round(statistics.median(a.ended - a.started for a in answers) * 1000, 1) if answers else None


# --- PostgreSQL ----------------------------------------------------------------------------------


def postgres_cluster() -> str:
    """The cluster version (the one under /etc/postgresql), for pg_ctlcluster."""
    return sorted(p.name for p in Path("/etc/postgresql").iterdir())[0]


def pg_ctlcluster(action: str) -> subprocess.CompletedProcess:
    command = ["pg_ctlcluster", "--skip-systemctl-redirect", postgres_cluster(), "main", action]
    return subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603


def postgres_restart(port: int, rendered: list[str], cached: list[str], settle: float) -> dict:
    """Restart PostgreSQL while rendered pages (which read the database) and cached pages are read."""
    with Probe(port, rendered, cookie=BYPASS_COOKIE) as reads, Probe(port, cached, threads=2) as hits:
        time.sleep(settle)
        fault_at = time.monotonic()
        restart = pg_ctlcluster("restart")
        back_at = time.monotonic()
        time.sleep(settle * 2)
    if restart.returncode != 0:
        raise RuntimeError(f"pg_ctlcluster restart : {restart.stderr.strip()}")
    return {
        "rendered": outage_figures(reads.answers, fault_at, back_at),
        "cached": outage_figures(hits.answers, fault_at, back_at),
    }


# --- Redis ---------------------------------------------------------------------------------------


def redis_cli(*arguments: str) -> subprocess.CompletedProcess:
    command = [shutil.which("redis-cli") or "redis-cli", *arguments]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=10)  # noqa: S603


def redis_start_command() -> list[str]:
    """How to start this Redis again as it runs now: its config file, or its live settings."""
    config_file = next(
        (
            line.split(":", 1)[1].strip()
            for line in redis_cli("INFO", "server").stdout.splitlines()
            if line.startswith("config_file:")
        ),
        "",
    )
    if config_file:
        return ["redis-server", config_file]
    command = ["redis-server", "--daemonize", "yes"]
    for name in REDIS_SETTINGS:
        lines = redis_cli("CONFIG", "GET", name).stdout.splitlines()
        if len(lines) == 2:
            command += [f"--{name}", *(lines[1].split() or [""])]
    return command


def redis_answers() -> bool:
    return redis_cli("PING").stdout.strip() == "PONG"


def start_redis(command: list[str]) -> None:
    subprocess.run(command, cwd="/var/lib/redis", check=True, capture_output=True)  # noqa: S603
    deadline = time.monotonic() + 10
    while not redis_answers():
        if time.monotonic() > deadline:
            raise RuntimeError("Redis ne redémarre pas : " + " ".join(command))
        time.sleep(0.05)


def redis_stop(port: int, urls: list[str], settle: float, outage: float) -> dict:
    """Stop Redis for `outage` seconds while anonymous readers (page cache on) read, then start it."""
    command = redis_start_command()
    with Probe(port, urls) as reads:
        time.sleep(settle)
        fault_at = time.monotonic()
        redis_cli("SHUTDOWN", "NOSAVE")
        time.sleep(outage)
        start_redis(command)
        back_at = time.monotonic()
        time.sleep(settle * 2)
    figures = outage_figures(reads.answers, fault_at, back_at)
    down = [a for a in reads.answers if fault_at <= a.started < back_at]  # while Redis was stopped
    figures["requests_while_down"] = len(down)
    figures["cached_while_down"] = sum(a.cached for a in down)
    first_hit = min((a.started for a in reads.answers if a.started >= back_at and a.cached), default=None)
    figures["cache_hits_again_after_s"] = round(first_hit - back_at, 2) if first_hit else None
    figures["start_command"] = " ".join(command)
    return figures


def restore_services(redis_command: list[str] | None) -> list[str]:
    """Start PostgreSQL and Redis again if either is down; what was done."""
    done = []
    if pg_ctlcluster("status").returncode != 0:
        pg_ctlcluster("start")
        done.append("PostgreSQL redémarré")
    if not redis_answers():
        start_redis(
            redis_command or ["redis-server", "--daemonize", "yes", "--bind", "127.0.0.1", "--save", ""]
        )
        done.append("Redis redémarré")
    return done

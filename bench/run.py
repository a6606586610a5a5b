"""Benchmark the public site at scale: `make bench` (not a test; pytest never collects it).

What it does, in order:

1. Database: `DATABASE_URL` when set (PostgreSQL), else the dedicated SQLite file
   `bench/bench.sqlite3`. Migrates, collects the static files (production settings use a manifest),
   loads the demo (`load_commons`) and adds synthetic content (`populate_synthetic`) up to
   `BENCH_METHODS` methods (default 10,000, plus one tool per ten methods) and `BENCH_TERRITORIES`
   territories (default 2,000). What is already there is kept: a second run populates nothing.
2. SQL queries per page, in-process with Django's test client and `CaptureQueriesContext`, on the
   second request (the first one warms the caches every request then finds warm).
3. gunicorn, 2 sync workers, production settings (`DEBUG` off, a throwaway `SECRET_KEY`,
   `ALLOWED_HOSTS=127.0.0.1`, `SECURE_SSL_REDIRECT=false`) on a free port of 127.0.0.1.
4. Per page: p50/p95 latency of `BENCH_REQUESTS` (200) sequential requests from one client (a new
   connection each time, as sync workers close it), after 10 warm-up requests; then requests/s at
   `BENCH_CONNECTIONS` (16) concurrent clients for `BENCH_DURATION` (10) seconds with
   `wrk -t2 -c16 -d10s`. Without wrk (`apt-get install -y wrk`), a Python load generator (threads
   and http.client) stands in, and the output says so: it is slower than wrk, so its numbers are
   lower bounds, not comparable with wrk's.
5. Steps 2 to 4 run with the page cache off (`PAGE_CACHE_SECONDS=0`): every page is rendered.
6. Then the page cache on: a second gunicorn, same settings plus `PAGE_CACHE_SECONDS=600` and
   `REDIS_URL=$BENCH_REDIS_URL` (default `redis://127.0.0.1:6379/1`; the content generation is
   bumped first, so nothing a previous run cached is served), measures a fiche and the faceted
   listing served from the cache (checked: `X-Page-Cache: hit`), and `/robots.txt` rendered by its
   view (a `messages` cookie keeps it out of the cache). It prints each cached page's requests/s as
   a share of `/robots.txt`'s (target: at least 60 %). Skipped, with a message, when Redis does
   not answer.
7. Prints the Markdown tables and writes `bench/results/<timestamp>.json` and
   `bench/results/latest.json`.

The reference row is `/robots.txt`, a constant Django view that goes through the whole middleware
stack but reads no database: the floor under every other page. `/recherche/` is reported
"absent" while the search page does not exist (404). The load generator runs on the same machine
as gunicorn and the database, so all three share its cores.
"""

from __future__ import annotations

import http.client
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SQLITE_FILE = ROOT / "bench" / "bench.sqlite3"
HOST = "127.0.0.1"
WARMUP_REQUESTS = 10
SEARCH_WORD = "atelier"
PAGE_CACHE_SECONDS = "600"
CACHE_TARGET = 0.6  # a cached page should serve at least 60 % of the requests/s of /robots.txt
BYPASS_COOKIE = "messages=bench"  # a pending message keeps a request out of the page cache


@dataclass
class Settings:
    """What the run measures, from the environment."""

    methods: int = int(os.environ.get("BENCH_METHODS", "10000"))
    territories: int = int(os.environ.get("BENCH_TERRITORIES", "2000"))
    requests: int = int(os.environ.get("BENCH_REQUESTS", "200"))
    connections: int = int(os.environ.get("BENCH_CONNECTIONS", "16"))
    duration: int = int(os.environ.get("BENCH_DURATION", "10"))
    redis_url: str = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")


@dataclass
class Row:
    """The measures of one page; `None` where the page is absent."""

    name: str
    url: str
    status: str = "ok"
    queries: int | None = None
    size_kb: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    requests_per_s: float | None = None
    errors: int = 0
    cookie: str | None = None  # sent with every request of the row
    notes: list[str] = field(default_factory=list)


# --- Environment and database ------------------------------------------------------------------


def server_environment() -> dict[str, str]:
    """The environment of the production-like run, shared by this process and gunicorn."""
    database_url = os.environ.get("DATABASE_URL", "").strip() or f"sqlite:///{SQLITE_FILE}"
    return {
        "DJANGO_SETTINGS_MODULE": "commons.settings.production",
        "DATABASE_URL": database_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "false",
        "PAGE_CACHE_SECONDS": "0",
    }


def cached_environment(environment: dict[str, str], redis_url: str) -> dict[str, str]:
    """The same server with the page cache on, in Redis as in production."""
    return {**environment, "PAGE_CACHE_SECONDS": PAGE_CACHE_SECONDS, "REDIS_URL": redis_url}


def fresh_redis_generation(redis_url: str) -> str | None:
    """Bump the content generation in the bench's Redis; the error when Redis does not answer."""
    from django.core.cache.backends.redis import RedisCache

    from commons.speed.freshness import GENERATION_KEY, fresh_start

    redis = RedisCache(redis_url, {})
    try:
        try:
            redis.incr(GENERATION_KEY)
        except ValueError:
            redis.set(GENERATION_KEY, fresh_start(), timeout=None)
    except Exception as error:  # noqa: BLE001 - any connection error means "no Redis here"
        return f"{type(error).__name__}: {error}"
    return None


def setup_django(environment: dict[str, str]) -> None:
    os.environ.update(environment)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_database(settings: Settings) -> dict[str, int]:
    """Migrate, collect static files, load the demo and top up the synthetic content."""
    from django.core.management import call_command

    from commons import synthetic
    from methods.models import MethodPage, ToolPage
    from territories.models import TerritoryPage

    step("migrations", lambda: call_command("migrate", interactive=False, verbosity=0))
    step("fichiers statiques", lambda: call_command("collectstatic", interactive=False, verbosity=0))
    step("contenu de démonstration", lambda: call_command("load_commons", verbosity=0))
    kinds = {"methods": MethodPage, "tools": ToolPage, "territories": TerritoryPage}
    have = {kind: synthetic.synthetic_pages(model).count() for kind, model in kinds.items()}
    missing = {
        "methods": max(0, settings.methods - have["methods"]),
        "tools": max(0, settings.methods // 10 - have["tools"]),
        "territories": max(0, settings.territories - have["territories"]),
    }
    if any(missing.values()):
        step(f"contenu synthétique {missing}", lambda: synthetic.populate(**missing, log=indent))
    else:
        print(f"contenu synthétique déjà présent : {have}")
    return {kind: model.objects.live().count() for kind, model in kinds.items()}


def step(label: str, action) -> None:
    started = time.monotonic()
    print(f"{label}…", flush=True)
    action()
    print(f"  {label} : {time.monotonic() - started:.1f} s", flush=True)


def indent(message: str) -> None:
    print(f"  {message}", flush=True)


def database_description() -> str:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


# --- Pages and SQL queries ---------------------------------------------------------------------


def pages_to_measure() -> list[Row]:
    """The pages of the table, with filters and fiches taken from the database."""
    from commons.models import Phase, Question, Theme
    from methods.models import MethodPage
    from territories.models import TerritoryPage

    question = Question.objects.order_by("sort_order", "name").first()
    phase = Phase.objects.order_by("sort_order", "name").first()
    theme = Theme.objects.filter(parent__isnull=True).order_by("sort_order", "name").first()
    method = fiche_url(MethodPage, "forum-ouvert")
    territory = fiche_url(TerritoryPage, "leaz")
    return [
        Row("Accueil", "/"),
        Row("Méthodes, sans filtre", "/methodes/"),
        Row("Méthodes, 1 filtre", f"/methodes/?question={question.slug}"),
        Row(
            "Méthodes, 3 filtres",
            f"/methodes/?question={question.slug}&phase={phase.slug}&theme={theme.slug}",
        ),
        Row("Fiche méthode", method),
        Row("Fiche territoire", territory),
        Row("Recherche", f"/recherche/?q={SEARCH_WORD}"),
        Row("Référence : /robots.txt (vue constante)", "/robots.txt"),
    ]


def cached_pages_to_measure(rows: list[Row]) -> list[Row]:
    """Pages served from the page cache, and the reference view kept out of it."""
    by_name = {row.name: row for row in rows}
    return [
        Row("Fiche méthode, en cache", by_name["Fiche méthode"].url),
        Row("Méthodes, 1 filtre, en cache", by_name["Méthodes, 1 filtre"].url),
        Row("Méthodes, 3 filtres, en cache", by_name["Méthodes, 3 filtres"].url),
        Row("Référence : /robots.txt (vue constante, hors cache)", "/robots.txt", cookie=BYPASS_COOKIE),
    ]


def fiche_url(model, demo_slug: str) -> str:
    """A demo fiche (it has revisions, like real ones), else any live fiche of the kind."""
    page = model.objects.live().filter(slug=demo_slug).first() or model.objects.live().first()
    return page.url


def count_queries(rows: list[Row], page_cache_seconds: int = 0) -> None:
    """SQL queries of each page on a warm process; a 404 marks the page absent."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST=HOST)
    for row in rows:
        if row.cookie:
            client.cookies.load(row.cookie)
        with override_settings(PAGE_CACHE_SECONDS=page_cache_seconds):
            first = client.get(row.url)
            with CaptureQueriesContext(connection) as context:
                response = client.get(row.url)
        client.cookies.clear()
        if first.status_code == 404:
            row.status = "absent"
            continue
        if response.status_code != 200:
            row.status = f"HTTP {response.status_code}"
        row.queries = len(context.captured_queries)
        row.size_kb = round(len(response.content) / 1024, 1)


# --- Serving -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def start_gunicorn(environment: dict[str, str], port: int, log_file) -> subprocess.Popen:
    """gunicorn with 2 sync workers, in its own process group so that it stops cleanly."""
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "commons.wsgi",
        "--workers=2",
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
    for _ in range(WARMUP_REQUESTS):
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
    measure_latency(row, port, settings.requests)
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


# --- Reporting -------------------------------------------------------------------------------


def table(rows: list[Row], connections: int) -> str:
    """The results as a Markdown table."""
    lines = [
        f"| page | requêtes SQL | taille (Ko) | p50 (ms) | p95 (ms) | req/s ({connections} clients) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if row.status == "absent":
            lines.append(f"| {row.name} (`{row.url}`) | absent | absent | absent | absent | absent |")
            continue
        cells = [row.queries, row.size_kb, row.p50_ms, row.p95_ms, row.requests_per_s]
        note = f" — {row.status}" if row.status != "ok" else ""
        note += f" — {row.errors} erreur(s)" if row.errors else ""
        lines.append(f"| {row.name} (`{row.url}`){note} | " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)


def write_results(report: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{report['timestamp']}.json"
    text = json.dumps(report, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    (RESULTS / "latest.json").write_text(text, encoding="utf-8")
    return path


def machine_description() -> dict:
    return {
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def load_description(tool: str, settings: Settings) -> str:
    if tool == "wrk":
        return f"wrk -t2 -c{settings.connections} -d{settings.duration}s"
    return (
        f"générateur Python (threads + http.client, wrk absent), {settings.connections} clients, "
        f"{settings.duration} s"
    )


def serve_and_measure(environment: dict[str, str], rows: list[Row], settings: Settings, tool: str) -> None:
    """Start gunicorn with `environment`, measure each present row, stop it."""
    from django.db import connections

    connections.close_all()  # the server opens its own connections; hold none while it runs
    port = free_port()
    expect_cache = environment.get("PAGE_CACHE_SECONDS", "0") != "0"
    with tempfile.NamedTemporaryFile("w+", prefix="gunicorn-", suffix=".log") as log_file:
        server = start_gunicorn(environment, port, log_file)
        try:
            wait_until_serving(port, server)
            for row in rows:
                if row.status == "absent":
                    continue
                step(row.name, lambda row=row: measure(row, port, settings, tool, expect_cache))
        except Exception:
            log_file.seek(0)
            print(log_file.read()[-4000:], file=sys.stderr)
            raise
        finally:
            stop_gunicorn(server)


def cache_ratios(cached_rows: list[Row]) -> dict[str, float]:
    """Requests/s of each cached page as a share of the reference view's, under the same server."""
    *pages, reference = cached_rows
    if not reference.requests_per_s:
        return {}
    rate = reference.requests_per_s
    return {row.url: round(row.requests_per_s / rate, 3) for row in pages if row.requests_per_s}


def main() -> int:
    settings = Settings()
    environment = server_environment()
    setup_django(environment)
    pages = prepare_database(settings)
    database = database_description()
    tool = "wrk" if shutil.which("wrk") else "python"
    if tool == "python":
        print("wrk introuvable (apt-get install -y wrk) : générateur de charge Python, moins rapide que wrk.")
    rows = pages_to_measure()
    step("requêtes SQL par page (sans cache de pages)", lambda: count_queries(rows))
    cached_rows = cached_pages_to_measure(rows)
    seconds = int(PAGE_CACHE_SECONDS)
    step("requêtes SQL par page (cache de pages)", lambda: count_queries(cached_rows, seconds))
    serve_and_measure(environment, rows, settings, tool)
    redis_error = fresh_redis_generation(settings.redis_url)
    if redis_error:
        print(f"Redis ({settings.redis_url}) ne répond pas, cache de pages non mesuré : {redis_error}")
        cached_rows = []
    else:
        serve_and_measure(cached_environment(environment, settings.redis_url), cached_rows, settings, tool)
    ratios = cache_ratios(cached_rows) if cached_rows else {}
    load = load_description(tool, settings)
    server = "gunicorn, 2 sync workers, commons.settings.production, DEBUG off"
    report = {
        "timestamp": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"),
        "machine": machine_description(),
        "database": database,
        "live_pages": pages,
        "server": f"{server}, PAGE_CACHE_SECONDS=0",
        "load_generator": load,
        "sequential_requests": settings.requests,
        "rows": [asdict(row) for row in rows],
        "cached_server": f"{server}, PAGE_CACHE_SECONDS={PAGE_CACHE_SECONDS}, REDIS_URL={settings.redis_url}",
        "cached_rows": [asdict(row) for row in cached_rows],
        "cached_to_reference_ratio": ratios,
        "cached_target_ratio": CACHE_TARGET,
    }
    path = write_results(report)
    print()
    print(f"{database}, {pages}, {os.cpu_count()} cœurs ; charge : {load}")
    print("\nSans cache de pages (PAGE_CACHE_SECONDS=0) :\n")
    print(table(rows, settings.connections))
    if cached_rows:
        print(f"\nCache de pages (PAGE_CACHE_SECONDS={PAGE_CACHE_SECONDS}, Redis {settings.redis_url}) :\n")
        print(table(cached_rows, settings.connections))
        print()
        for url, ratio in ratios.items():
            verdict = "atteint" if ratio >= CACHE_TARGET else "NON atteint"
            goal = f"objectif {CACHE_TARGET:.0%} {verdict}"
            print(f"{url} en cache : {ratio:.0%} des req/s de /robots.txt ({goal})")
    print(f"\nRésultats : {path.relative_to(ROOT)} (et bench/results/latest.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

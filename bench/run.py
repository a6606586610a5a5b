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

import os
import secrets
import shutil
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import UTC, datetime
from urllib.parse import urlencode

from bench.load import free_port, measure, start_gunicorn, stop_gunicorn, wait_until_serving
from bench.measures import (
    BYPASS_COOKIE,
    CACHE_TARGET,
    HOST,
    PAGE_CACHE_SECONDS,
    ROOT,
    SEARCH_WORD,
    SQLITE_FILE,
    Row,
    Settings,
)
from bench.report import cache_ratios, load_description, machine_description, table, write_results
from bench.reuse import memory_lines, memory_report, reuse_pages

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

    from bench import synthetic
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
        Row("Territoires, 2 filtres", f"/territoires/?{territory_filters()}"),
        Row("Territoires, GeoJSON (tous)", "/territoires.geojson"),
        Row("Autodiagnostic, résultat", f"/autodiagnostic/resultat/?{assessment_answers()}"),
        Row("Feuille de route", "/feuille-de-route/"),
        *reuse_pages(method),
        Row("Référence : /robots.txt (vue constante)", "/robots.txt"),
    ]


def territory_filters() -> str:
    """The region with the most territories, and the population band 1,000 to 5,000."""
    from django.db.models import Count

    from territories.models import TerritoryPage

    region = (
        TerritoryPage.objects.live().values("region").annotate(n=Count("pk")).order_by("-n").first() or {}
    )
    return urlencode({"region": region.get("region", ""), "population": "1000-5000"})


def assessment_answers() -> str:
    """Every criterion of the grid at a level, the population band of a village."""
    from territories.models import Criterion

    slugs = Criterion.objects.filter(live=True).values_list("slug", flat=True)
    return urlencode(
        {**{slug: position % 4 for position, slug in enumerate(slugs)}, "population": "moins-de-1000"}
    )


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
                # A streamed export reads the database while it is consumed.
                body = b"".join(response.streaming_content) if response.streaming else response.content
        client.cookies.clear()
        if first.status_code == 404:
            row.status = "absent"
            continue
        if response.status_code != 200:
            row.status = f"HTTP {response.status_code}"
        row.queries = len(context.captured_queries)
        row.size_kb = round(len(body) / 1024, 1)


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
    memory = []
    step("mémoire de pointe des exports", lambda: memory.extend(memory_report()))
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
        "export_memory": memory,
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
    print("\nExports en flux, mémoire de pointe (tracemalloc) :")
    print("\n".join(f"- {line}" for line in memory_lines(memory)))
    print(f"\nRésultats : {path.relative_to(ROOT)} (et bench/results/latest.json)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

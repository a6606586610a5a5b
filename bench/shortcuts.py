"""What each shortcut of the speed layer pays: `make bench-shortcuts` (not a test).

On the benchmark's database (the same as `make bench`: `DATABASE_URL`, else
`bench/bench.sqlite3`, topped up to `BENCH_METHODS` methods and `BENCH_TERRITORIES` territories),
in one process with Django's test client and production settings, each page of `make bench` is
rendered `BENCH_SHORTCUT_REQUESTS` times (default 25, after 5 warm-up requests), the median kept,
for each shortcut in turn, with every shortcut on (the site as it runs) and with that one turned
off (`COMMONS_FALLBACKS=<name>`); last, every shortcut off (`COMMONS_FALLBACKS=all`). Each pair
is measured on, off, off, on, and each side is the mean of its two runs, so that the order does not
weigh: measured on then off only, the pages a shortcut does not touch came out 15 to 40 % faster
with it "off" (the first run of a pair was the slower:
`bench/results/shortcuts-20261203T082803Z-on-then-off.json`).

For each it prints the median milliseconds per request and the SQL queries of each page, on and
off, and the cost of turning the shortcut off as a share of the time with it on. `page_cache` is
measured with the page cache on (`PAGE_CACHE_SECONDS=600`, local memory) in both cases; every other one
with it off, as `make bench` measures rendered pages. Times are in-process (no HTTP, no
gunicorn): they compare paths through the same code, not the latency a visitor sees. Results go to
`bench/results/shortcuts-<timestamp>.json`.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import UTC, datetime

from bench.measures import HOST, RESULTS, Row, Settings
from bench.run import pages_to_measure, prepare_database, server_environment, setup_django

REQUESTS = int(os.environ.get("BENCH_SHORTCUT_REQUESTS", "25"))
WARMUP = 5
ALL_OFF = "all"


def timed(client, url: str) -> tuple[float, int]:
    """Median milliseconds of `REQUESTS` GETs of `url`, and the queries of the last one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        client.get(url)
    timings = []
    for _ in range(REQUESTS):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
    if response.status_code != 200:
        raise RuntimeError(f"{url} : HTTP {response.status_code}")
    return round(statistics.median(timings), 2), len(context.captured_queries)


def measure(rows: list[Row], fallbacks: frozenset[str], page_cache_seconds: int) -> dict[str, dict]:
    """Each page's median time and queries with `fallbacks` off."""
    from django.core.cache import caches
    from django.test import Client
    from django.test.utils import override_settings

    from commons.speed.freshness import bump_content_generation

    results = {}
    with override_settings(COMMONS_FALLBACKS=fallbacks, PAGE_CACHE_SECONDS=page_cache_seconds):
        for cache in caches.all():
            cache.clear()
        bump_content_generation()  # nothing memoised under another configuration is reused
        client = Client(HTTP_HOST=HOST)
        for row in rows:
            median_ms, queries = timed(client, row.url)
            results[row.url] = {"ms": median_ms, "queries": queries}
    return results


def configurations() -> list[tuple[str, frozenset[str], int]]:
    """(name, shortcuts off, PAGE_CACHE_SECONDS) for every measured configuration."""
    from commons.speed.shortcuts import SHORTCUTS

    configs = [(name, frozenset({name}), 600 if name == "page_cache" else 0) for name in SHORTCUTS]
    return [*configs, (ALL_OFF, frozenset(SHORTCUTS), 0)]


def compared(rows: list[Row], fallbacks: frozenset[str], seconds: int) -> dict[str, dict]:
    """The pages with every shortcut on and with `fallbacks` off, measured on, off, off, on: a
    drift of the machine over the four runs weighs the same on both sides (ABBA)."""
    first_on = measure(rows, frozenset(), seconds)
    first_off, second_off = measure(rows, fallbacks, seconds), measure(rows, fallbacks, seconds)
    second_on = measure(rows, frozenset(), seconds)
    return {"on": mean_of(first_on, second_on), "off": mean_of(first_off, second_off)}


def mean_of(first: dict, second: dict) -> dict:
    return {
        url: {"ms": round((first[url]["ms"] + second[url]["ms"]) / 2, 2), "queries": second[url]["queries"]}
        for url in first
    }


def table(rows: list[Row], results: dict) -> str:
    """One line per shortcut turned off: per page, ms (queries) and the cost of the fallback."""
    header = "| raccourci coupé | " + " | ".join(row.name for row in rows) + " |"
    lines = [header, "|---|" + "---:|" * len(rows)]
    for name, pair in results.items():
        cells = []
        for row in rows:
            on, off = pair["on"][row.url], pair["off"][row.url]
            cost = off["ms"] / on["ms"] - 1
            queries = f"{on['queries']} → {off['queries']} req."
            cells.append(f"{on['ms']} → {off['ms']} ms ({queries}, {cost:+.0%})")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    environment = server_environment()
    setup_django(environment)
    pages = prepare_database(Settings())
    rows = [row for row in pages_to_measure() if not row.url.startswith("/robots")]
    results = {}
    for name, fallbacks, seconds in configurations():
        print(f"{name}…", flush=True)
        results[name] = compared(rows, fallbacks, seconds)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"shortcuts-{stamp}.json"
    report = {"timestamp": stamp, "live_pages": pages, "requests": REQUESTS, "results": results}
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\n{pages}, médiane de {REQUESTS} requêtes en processus, avec → sans le raccourci :\n")
    print(table(rows, results))
    print(f"\nRésultats : {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

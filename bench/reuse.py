"""The reuse side of the benchmark: exports, API, feed, fiche file and PDF at full size, and the
peak memory of the exports (they stream: it must not grow with the number of fiches).

Memory is read with `tracemalloc` in this process while a streamed response is consumed: the
peak after the first tenth of the stream and at its end. Were the export to hold every fiche in
memory, the second would be about ten times the first; streaming keeps them close. `export_commons`
is measured the same way, writing to a temporary directory.
"""

from __future__ import annotations

import io
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench.measures import HOST, Row

HEAVY_REQUESTS = 10  # the full exports weigh megabytes: fewer sequential requests for p50/p95


def reuse_pages(method_url: str) -> list[Row]:
    return [
        Row("Export JSON, toutes les fiches", "/export/commons.json", requests=HEAVY_REQUESTS),
        Row("Export CSV des méthodes", "/export/methodes.csv", requests=HEAVY_REQUESTS),
        Row("API v2, 20 méthodes", "/api/v2/pages/?type=methods.MethodPage&limit=20"),
        Row("Flux Atom", "/flux.xml"),
        Row("Fiche méthode, fiche.md", f"{method_url}fiche.md"),
        Row("Fiche méthode, PDF (en cache par version)", f"{method_url}pdf/"),
    ]


def megabytes(size: int) -> float:
    return round(size / 1024 / 1024, 1)


def stream_peaks(url: str) -> dict:
    """Peak traced memory after a tenth of the stream at `url` and at its end, and its size."""
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    chunks = sum(1 for _chunk in client.get(url).streaming_content)  # first pass: how many chunks
    tracemalloc.start()
    try:
        size, early, started = 0, 0, time.perf_counter()
        for number, chunk in enumerate(client.get(url).streaming_content, start=1):
            size += len(chunk)
            if number == max(1, chunks // 10):
                early = tracemalloc.get_traced_memory()[1]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return {
        "url": url,
        "size_mb": megabytes(size),
        "seconds": round(time.perf_counter() - started, 2),
        "peak_after_first_tenth_mb": megabytes(early),
        "peak_at_end_mb": megabytes(peak),
    }


def export_commons_peak() -> dict:
    from django.core.management import call_command

    with tempfile.TemporaryDirectory(prefix="export-") as directory:
        tracemalloc.start()
        started = time.perf_counter()
        try:
            call_command("export_commons", str(Path(directory) / "commons"), stdout=io.StringIO())
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        files = sum(1 for path in Path(directory).rglob("*") if path.is_file())
    return {
        "command": "export_commons",
        "files": files,
        "seconds": round(time.perf_counter() - started, 2),
        "peak_mb": megabytes(peak),
    }


def memory_report() -> list[dict]:
    return [stream_peaks("/export/commons.json"), stream_peaks("/export/methodes.csv"), export_commons_peak()]


def memory_lines(report: list[dict]) -> list[str]:
    lines = []
    for entry in report:
        if "url" in entry:
            lines.append(
                f"{entry['url']} : {entry['size_mb']} Mo en {entry['seconds']} s ; mémoire de pointe "
                f"{entry['peak_after_first_tenth_mb']} Mo après 1/10 du flux, "
                f"{entry['peak_at_end_mb']} Mo à la fin"
            )
        else:
            lines.append(
                f"export_commons : {entry['files']} fichiers en {entry['seconds']} s ; "
                f"mémoire de pointe {entry['peak_mb']} Mo"
            )
    return lines

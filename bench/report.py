"""The benchmark's report: Markdown tables on the terminal, JSON files in bench/results/."""

from __future__ import annotations

import json
import os
import platform
from pathlib import Path

from bench.measures import RESULTS, Row, Settings

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


def cache_ratios(cached_rows: list[Row]) -> dict[str, float]:
    """Requests/s of each cached page as a share of the reference view's, under the same server."""
    *pages, reference = cached_rows
    if not reference.requests_per_s:
        return {}
    rate = reference.requests_per_s
    return {row.url: round(row.requests_per_s / rate, 3) for row in pages if row.requests_per_s}

"""What the benchmark measures: its settings (from the environment) and one row per page."""

import os
from dataclasses import dataclass, field
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
    requests: int | None = None  # sequential requests for p50/p95 when not `Settings.requests`
    notes: list[str] = field(default_factory=list)

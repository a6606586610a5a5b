"""`make loadtest`: the site under readers and editors together, then under faults. Prints figures;
not a timed test (pytest never collects it).

1. Database `DATABASE_URL` (default `postgres://postgres@127.0.0.1:5432/commons_loadtest`, created
   when missing) prepared as `make bench` does (`bench.run.prepare_database`: migrations, static
   files, demo content, synthetic content up to `LOADTEST_METHODS` methods, default 1,000, and
   `LOADTEST_TERRITORIES` territories, default 200), and Redis `LOADTEST_REDIS_URL` (default
   `redis://127.0.0.1:6379/2`) for the cache and the sessions.
2. gunicorn (`LOADTEST_WORKERS` sync workers, default two a core plus one as in
   `deploy/gunicorn.conf.py`), `commons.settings.production` as
   `make bench` runs it, with the page cache on (600 s) as in production; review e-mails go by SMTP
   to a counting sink (`bench.editors.MailSink`).
3. For `LOADTEST_SECONDS` (60): `LOADTEST_READERS` (50) readers with wrk and a Lua script that
   walks a list of public URLs (home, listings with filters, fiches, search, territories,
   autodiagnostic, feeds, API, fiche.md, PDF), and 5 editors (`bench.editors`), the demo
   accounts `editeur-<association>`, each on its own demo method, saving drafts and submitting
   them to "Relecture croisée" through the admin over HTTP.
4. Figures: readers' requests, p50/p95/p99, 5xx and other errors; editors' saves told and
   revisions found in the database, p50/p95/p99 of their requests, e-mails received.
5. Faults (`bench.faults`; `LOADTEST_FAULTS=0` skips them): PostgreSQL restarted under reads
   (pages rendered from the database, and pages from the cache), then Redis stopped for
   `LOADTEST_REDIS_OUTAGE` (5) seconds under anonymous reads. Both are always started again.
6. Exit status 1 when a 5xx was served outside the faults or a told save is missing.
"""

from __future__ import annotations

import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from bench import faults
from bench.editors import MailSink, count_revisions, run_editors
from bench.load import free_port, start_gunicorn, stop_gunicorn, wait_until_serving
from bench.measures import HOST, ROOT, Settings

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/commons_loadtest"
SECONDS = int(os.environ.get("LOADTEST_SECONDS", "60"))
READERS = int(os.environ.get("LOADTEST_READERS", "50"))
EDITORS = 5
PAGES_PER_EDITOR = 40  # more than an editor gets through in the run (each ends in review)
# As deploy/gunicorn.conf.py: two sync workers a core, plus one.
WORKERS = int(os.environ.get("LOADTEST_WORKERS", str((os.cpu_count() or 1) * 2 + 1)))
REDIS_URL = os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/2")
REDIS_OUTAGE_SECONDS = float(os.environ.get("LOADTEST_REDIS_OUTAGE", "5"))
FAULT_SETTLE_SECONDS = 3.0
HEAVY_URLS = ("/export/commons.json", "/export/methodes.csv")  # megabytes each: not a reader's page


def loadtest_environment(mail_port: int) -> dict[str, str]:
    from bench.run import server_environment

    os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE)
    return {
        **server_environment(),
        "PAGE_CACHE_SECONDS": "600",
        "REDIS_URL": REDIS_URL,
        "EMAIL_HOST": HOST,
        "EMAIL_PORT": str(mail_port),
    }


def create_database(url: str) -> None:
    """CREATE DATABASE when the PostgreSQL database of the URL does not exist yet."""
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"base {name} créée")


def editor_accounts() -> list[tuple[str, str, list[int]]]:
    """The demo editors (created if missing) with a fresh password each, and methods of their own
    to edit, out of review (a previous run's submissions are cancelled)."""
    from django.contrib.auth import get_user_model

    from commons.editing.demo_users import create_demo_users
    from methods.models import MethodPage

    create_demo_users()
    users = list(
        get_user_model().objects.filter(username__startswith="editeur-").order_by("username")[:EDITORS]
    )
    methods = list(MethodPage.objects.live().order_by("slug")[: PAGES_PER_EDITOR * len(users)])
    accounts = []
    for number, user in enumerate(users):
        password = secrets.token_urlsafe(16)
        user.set_password(password)
        user.save(update_fields=["password"])
        pages = methods[number :: len(users)]
        for page in pages:
            if page.current_workflow_state:
                page.current_workflow_state.cancel(user=page.current_workflow_state.requested_by)
        accounts.append((user.username, password, [page.pk for page in pages]))
    return accounts


def reader_urls() -> list[str]:
    """The pages of `make bench`, and more fiches of each kind, so that readers spread out."""
    from bench.run import pages_to_measure
    from methods.models import MethodPage, ToolPage
    from territories.models import TerritoryPage

    urls = [row.url for row in pages_to_measure() if row.url not in HEAVY_URLS]
    for model, count in ((MethodPage, 30), (ToolPage, 10), (TerritoryPage, 10)):
        urls += [page.url for page in model.objects.live().order_by("?")[:count]]
    urls += ["/methodes/?page=2", "/associations/", "/autodiagnostic/", "/export/", "/sitemap.xml"]
    return list(dict.fromkeys(urls))


def lua_script(urls: list[str]) -> str:
    """wrk walks `urls` in turn (each thread from its own offset) and counts statuses per class."""
    listed = ",\n  ".join(lua_string(url) for url in urls)
    return f"""
local urls = {{
  {listed}
}}
local threads = {{}}
function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads * 7)
end
function init(args)
  index = offset or 0
  server_errors, client_errors = 0, 0
end
function request()
  index = index % #urls + 1
  return wrk.format("GET", urls[index])
end
function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1
  elseif status >= 400 then client_errors = client_errors + 1 end
end
function done(summary, latency, requests)
  local s5, s4 = 0, 0
  for _, thread in ipairs(threads) do
    s5 = s5 + thread:get("server_errors")
    s4 = s4 + thread:get("client_errors")
  end
  local e = summary.errors
  io.write(string.format(
    "LOADTEST requests=%d duration_us=%d errors_5xx=%d errors_4xx=%d connect=%d write=%d timeout=%d " ..
    "p50=%.2f p95=%.2f p99=%.2f max=%.2f\\n",
    summary.requests, summary.duration, s5, s4, e.connect, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000))
end
"""


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def start_readers(port: int, urls: list[str], script_dir: Path) -> subprocess.Popen:
    script = script_dir / "readers.lua"
    script.write_text(lua_script(urls), encoding="utf-8")
    command = [
        shutil.which("wrk"),
        "-t2",
        f"-c{READERS}",
        f"-d{SECONDS}s",
        "--timeout=30s",
        f"-s{script}",
        f"http://{HOST}:{port}",
    ]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603


def readers_figures(output: str) -> dict:
    line = next(line for line in output.splitlines() if line.startswith("LOADTEST "))
    values = dict(pair.split("=") for pair in line.split()[1:])
    figures = {key: float(value) if "." in value else int(value) for key, value in values.items()}
    figures["requests_per_s"] = round(figures["requests"] / (figures.pop("duration_us") / 1e6), 1)
    return figures


def percentiles(timings: list[float]) -> dict[str, float]:
    if len(timings) < 2:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0}
    cuts = statistics.quantiles(timings, n=100)
    return {"p50": round(statistics.median(timings), 1), "p95": round(cuts[94], 1), "p99": round(cuts[98], 1)}


def warm_up(port: int, urls: list[str]) -> tuple[list[str], list[str]]:
    """Each URL twice (fills the caches): the URLs that did not answer 200, those not served from
    the page cache the second time (streamed, personal or uncacheable answers)."""
    failures, uncached = [], []
    for url in urls:
        faults.probe_once(port, url, None)
        answer = faults.probe_once(port, url, None)
        if answer.status != 200:
            failures.append(f"{url} : HTTP {answer.status}")
        elif not answer.cached:
            uncached.append(url)
    return failures, uncached


def readers_and_editors(port: int, urls: list[str], accounts, workdir: Path) -> dict:
    """The readers (wrk) and the editors (threads) for SECONDS together; then what the database holds."""
    from django.db import connections
    from django.utils import timezone

    since = timezone.now()
    readers = start_readers(port, urls, workdir)
    editors = run_editors(f"http://{HOST}:{port}", accounts, SECONDS)
    output, errors = readers.communicate(timeout=SECONDS + 120)
    if readers.returncode != 0:
        raise RuntimeError(f"wrk : {errors.strip()}")
    connections.close_all()
    timings = [t for stats in editors for t in stats.timings_ms]
    return {
        "readers": readers_figures(output),
        "editors": {
            "requests": len(timings),
            **percentiles(timings),
            "server_errors": sum(stats.server_errors for stats in editors),
            "drafts_saved": sum(stats.drafts_saved for stats in editors),
            "submitted": sum(stats.submitted for stats in editors),
            "errors": [error for stats in editors for error in stats.errors][:20],
            "revisions": count_revisions(editors, since),
        },
    }


def run_faults(port: int, urls: list[str], redis_command: list[str]) -> dict:
    from methods.models import MethodPage

    rendered = [page.url for page in MethodPage.objects.live().order_by("?")[:20]] + ["/methodes/"]
    results = {}
    try:
        print("panne : redémarrage de PostgreSQL…", flush=True)
        results["postgresql_restart"] = faults.postgres_restart(port, rendered, urls, FAULT_SETTLE_SECONDS)
        print("panne : arrêt de Redis…", flush=True)
        # A dozen pages, so that the readers come back to each: the cache's return shows as hits.
        results["redis_stop"] = faults.redis_stop(port, urls[:12], FAULT_SETTLE_SECONDS, REDIS_OUTAGE_SECONDS)
    finally:
        restored = faults.restore_services(redis_command)
        if restored:
            print("services rétablis : " + ", ".join(restored))
    return results


def main() -> int:
    from bench import loadtest_report
    from bench.run import prepare_database, setup_django

    if not shutil.which("wrk"):
        print("wrk introuvable : apt-get install -y wrk")
        return 2
    redis_command = faults.redis_start_command() if faults.redis_answers() else None
    mail = MailSink()
    environment = loadtest_environment(mail.port)
    if environment["DATABASE_URL"].startswith("postgres"):
        create_database(environment["DATABASE_URL"])
    setup_django(environment)
    methods = int(os.environ.get("LOADTEST_METHODS", "1000"))
    territories = int(os.environ.get("LOADTEST_TERRITORIES", "200"))
    pages = prepare_database(Settings(methods=methods, territories=territories))
    accounts = editor_accounts()
    urls = reader_urls()
    from django.db import connections

    connections.close_all()
    port = free_port()
    report = {"timestamp": datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ"), "live_pages": pages}
    with tempfile.TemporaryDirectory(prefix="loadtest-") as workdir:
        log_path = Path(workdir) / "gunicorn.log"
        with log_path.open("w+") as log_file:
            server = start_gunicorn(environment, port, log_file, workers=WORKERS)
            try:
                wait_until_serving(port, server)
                report["warm_up_failures"], report["uncached_urls"] = warm_up(port, urls)
                who = f"{READERS} lecteurs (wrk, {len(urls)} adresses) et {len(accounts)} éditeurs"
                print(f"charge : {who}, {SECONDS} s…", flush=True)
                report["load"] = readers_and_editors(port, urls, accounts, Path(workdir))
                report["mail_messages"] = mail.messages
                if os.environ.get("LOADTEST_FAULTS", "1") != "0":
                    report["faults"] = run_faults(port, urls, redis_command)
            finally:
                stop_gunicorn(server)
                log_file.seek(0)
                report["server_log_errors"] = loadtest_report.log_errors(log_file.read())
    report["setup"] = {
        "database": environment["DATABASE_URL"].rsplit("@", 1)[-1],
        "redis": REDIS_URL,
        "server": f"gunicorn, {WORKERS} sync workers, commons.settings.production, PAGE_CACHE_SECONDS=600",
        "readers": READERS,
        "editors": len(accounts),
        "seconds": SECONDS,
        "urls": urls,
        "cpus": os.cpu_count(),
        "load_average": " ".join(f"{load:.1f}" for load in os.getloadavg()),  # a machine shared with others?
    }
    path = loadtest_report.write(report)
    print(loadtest_report.text(report))
    print(f"\nRésultats : {path.relative_to(ROOT)}")
    return loadtest_report.exit_status(report)


if __name__ == "__main__":
    sys.exit(main())

"""The figures of `make loadtest`, as printed and as saved (`bench/results/loadtest-<timestamp>.json`)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bench.measures import RESULTS

LOG_ERROR = re.compile(
    r"Traceback|Internal Server Error|\[ERROR\]|\"level(name)?\": \"ERROR\"", re.IGNORECASE
)
# What commons.resilience logs while PostgreSQL or Redis is away, and Django's line for each 503:
# expected during the faults.
EXPECTED_DURING_FAULTS = ("Base de données indisponible", "Redis injoignable", "Service Unavailable: /")


def write(report: dict) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"loadtest-{report['timestamp']}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def log_errors(log: str) -> dict:
    """The server's error lines (tracebacks, errors logged): those the faults explain are counted,
    the others kept (the first 30)."""
    errors = [line[:300] for line in log.splitlines() if LOG_ERROR.search(line)]
    expected = [line for line in errors if any(text in line for text in EXPECTED_DURING_FAULTS)]
    return {"outage_lines": len(expected), "other": [line for line in errors if line not in expected][:30]}


def revisions_missing(report: dict) -> int:
    return sum(max(0, row["told"] - row["found"]) for row in report["load"]["editors"]["revisions"])


def exit_status(report: dict) -> int:
    load = report["load"]
    bad = load["readers"]["errors_5xx"] or load["editors"]["server_errors"] or revisions_missing(report)
    return 1 if bad or report["warm_up_failures"] else 0


def text(report: dict) -> str:
    setup, load = report["setup"], report["load"]
    readers, editors = load["readers"], load["editors"]
    told = sum(row["told"] for row in editors["revisions"])
    found = sum(row["found"] for row in editors["revisions"])
    missing = revisions_missing(report)
    r = readers
    lines = [
        "",
        f"{setup['server']} ; {setup['database']} ; Redis {setup['redis']} ; {setup['cpus']} cœurs"
        f" (charge moyenne de la machine : {setup['load_average']}) ; {report['live_pages']}",
        f"{setup['readers']} lecteurs (wrk, {len(setup['urls'])} adresses) et {setup['editors']} éditeurs"
        f" pendant {setup['seconds']} s",
        "",
        "| qui | requêtes | req/s | p50 (ms) | p95 (ms) | p99 (ms) | 5xx | autres erreurs |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        f"| lecteurs | {r['requests']} | {r['requests_per_s']} | {r['p50']} | {r['p95']} | {r['p99']}"
        f" | {r['errors_5xx']} | {reader_errors(r)} |",
        f"| éditeurs | {editors['requests']} | — | {editors['p50']} | {editors['p95']} | {editors['p99']}"
        f" | {editors['server_errors']} | {len(editors['errors']) - editors['server_errors']} |",
        "",
        f"Éditeurs : {editors['drafts_saved']} brouillons enregistrés et {editors['submitted']} soumissions à"
        f" « Relecture croisée » annoncés ; révisions attendues {told}, trouvées {found}"
        f" ({f'{missing} MANQUANTES' if missing else 'aucune perdue'}) ;"
        f" courriels de relecture reçus : {report['mail_messages']}.",
    ]
    lines += [
        f"- {row['editor']} : {row['told']} annoncées, {row['found']} trouvées, sur {row['fiches']} fiches"
        f" dont {row['fiches_whose_latest_is_the_last_save']} ont pour dernière version son dernier"
        f" enregistrement ; {row['in_review']} en relecture"
        for row in editors["revisions"]
    ]
    lines += [f"- erreur : {error}" for error in editors["errors"]]
    lines += [f"- échauffement : {failure}" for failure in report["warm_up_failures"]]
    if report["uncached_urls"]:
        uncached = report["uncached_urls"]
        lines.append(f"- adresses lues hors cache de pages ({len(uncached)}) : {', '.join(uncached)}")
    if "faults" in report:
        lines += faults_text(report["faults"])
    log = report["server_log_errors"]
    lines += [
        "",
        f"Journal de gunicorn : {log['outage_lines']} lignes d'erreur dues aux pannes (« Base de données"
        f" indisponible », « Redis injoignable », 503), {len(log['other'])} autres.",
    ]
    lines += [f"    {line}" for line in log["other"][:10]]
    return "\n".join(lines)


def reader_errors(readers: dict) -> int:
    return readers["errors_4xx"] + readers["connect"] + readers["write"] + readers["timeout"]


def faults_text(results: dict) -> list[str]:
    lines = [
        "",
        "| panne | lecture | requêtes depuis la panne | en échec | dont 503 en français | par statut"
        " | durée de la panne (s) | rétabli après (s) | p50 avant / pendant / après (ms) |",
        "|---|---|---:|---:|---:|---|---:|---:|---|",
    ]
    rows = []
    if "postgresql_restart" in results:
        restart = results["postgresql_restart"]
        rows += [("PostgreSQL redémarré", "pages rendues (hors cache)", restart["rendered"])]
        rows += [("PostgreSQL redémarré", "pages en cache", restart["cached"])]
    if "redis_stop" in results:
        rows += [("Redis arrêté", "visiteurs anonymes", results["redis_stop"])]
    for fault, reading, figures in rows:
        statuses = ", ".join(f"{k} : {v}" for k, v in figures["failed_by_status"].items()) or "—"
        counts = f"{figures['requests_from_fault']} | {figures['failed']} | {figures['french_503']}"
        times = f"{figures['service_down_s']} | {figures['recovered_s']}"
        p50 = " / ".join(str(figures[f"p50_ms_{when}"]) for when in ("before", "while_down", "after"))
        lines.append(f"| {fault} | {reading} | {counts} | {statuses} | {times} | {p50} |")
    if "redis_stop" in results:
        redis = results["redis_stop"]
        lines += [
            "",
            f"Redis arrêté : {redis['requests_while_down']} requêtes servies pendant la coupure"
            f" ({redis['cached_while_down']} depuis la mémoire du processus), cache de pages de nouveau"
            f" utilisé {redis['cache_hits_again_after_s']} s après le redémarrage"
            f" (`{redis['start_command']}`).",
        ]
    return lines

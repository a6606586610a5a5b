"""`manage.py backup_site [DIR]` and `manage.py backup_site --restore DIR` (`make backup`, `make restore`).

One dated directory holds the whole site:
- `database.pgdump`: the PostgreSQL database (`pg_dump --format=custom`), or `database.sqlite3`,
  a copy of an SQLite file (SQLite's online backup); nothing for an in-memory database;
- `media/`: every uploaded file of the default storage (local folder or S3 bucket alike);
- `commons/`: the exchange export (`export_commons`), readable and portable to another engine;
- `MANIFEST.json`: when, what, and how many.

Restore puts the database back from its dump (PostgreSQL into PostgreSQL, SQLite into SQLite), or
with `--from-export`, or when no dump fits the database, imports `commons/` into a migrated
database; then it writes every media file back and orphans the cached pages.
"""

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.utils import timezone

from commons.exchange.backup import export_commons
from commons.speed.freshness import bump_content_generation

PG_DUMP = "database.pgdump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"
EXPORT = "commons"
MANIFEST = "MANIFEST.json"


def database_kind(settings_dict: dict) -> str | None:
    """'postgresql', 'sqlite' (a file) or None (an in-memory SQLite database has nothing to copy)."""
    engine = settings_dict["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    name = str(settings_dict["NAME"])
    if engine.endswith("sqlite3") and name != ":memory:" and "mode=memory" not in name:
        return "sqlite"
    return None


def libpq_command(program: str, settings_dict: dict) -> tuple[list[str], dict]:
    """The command line and environment that point a PostgreSQL client at this database."""
    command = [program, "--dbname", settings_dict["NAME"], "--no-password"]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            command += [option, str(settings_dict[key])]
    environment = {**os.environ}
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = settings_dict["PASSWORD"]
    return command, environment


def run_client(command: list[str], environment: dict) -> None:
    if shutil.which(command[0]) is None:
        raise CommandError(
            f"{command[0]} introuvable : installez le client PostgreSQL (apt-get install postgresql-client)."
        )
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{command[0]} a échoué : {result.stderr.strip()}")


def dump_postgres(settings_dict: dict, target: Path) -> None:
    """The whole database in pg_dump's custom format (compressed; pg_restore reads it)."""
    command, environment = libpq_command("pg_dump", settings_dict)
    run_client([*command, "--format=custom", "--no-owner", "--file", str(target)], environment)


def restore_postgres(settings_dict: dict, source: Path) -> None:
    """Replace the database's objects with the dump's, in one transaction (all or nothing)."""
    command, environment = libpq_command("pg_restore", settings_dict)
    options = ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
    run_client([*command, *options, str(source)], environment)


def copy_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while the site writes."""
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)
    origin.close()
    copy.close()


def media_names(storage, directory: str = "") -> list[str]:
    """Every file of the storage, by name, walking its folders (any storage: disk, S3, memory)."""
    folders, files = storage.listdir(directory)
    names = [f"{directory}/{name}" if directory else name for name in files]
    for folder in folders:
        names += media_names(storage, f"{directory}/{folder}" if directory else folder)
    return sorted(names)


def save_media(storage, target: Path) -> int:
    try:
        names = media_names(storage)
    except FileNotFoundError:  # nothing uploaded yet: MEDIA_ROOT does not exist
        names = []
    for name in names:
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source:
            path.write_bytes(source.read())
    return len(names)


def put_media_back(storage, source: Path) -> int:
    """Write each saved file under its own name, replacing what the storage holds there."""
    paths = sorted(path for path in source.rglob("*") if path.is_file()) if source.is_dir() else []
    for path in paths:
        name = path.relative_to(source).as_posix()
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(path.read_bytes()))
        if saved != name:
            raise CommandError(f"Le fichier {name} a été enregistré sous un autre nom ({saved}).")
    return len(paths)


class Command(BaseCommand):
    help = (
        "Sauvegarde dans un dossier daté la base (pg_dump, ou copie SQLite), les fichiers téléversés et "
        "l'export du commun ; avec --restore DIR, remet une sauvegarde en place."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?", type=Path, help="Dossier (par défaut backups/<date>).")
        parser.add_argument("--restore", action="store_true", help="Remettre en place la sauvegarde DIR.")
        parser.add_argument(
            "--from-export",
            action="store_true",
            help="Restaurer le contenu depuis l'export du commun plutôt que depuis la copie de la base "
            "(pour changer de moteur de base : SQLite vers PostgreSQL).",
        )

    def handle(self, *args, directory: Path | None = None, restore=False, from_export=False, **options):
        if restore:
            if directory is None or not (directory / MANIFEST).is_file():
                raise CommandError(f"Pas de sauvegarde dans {directory} (il y manque {MANIFEST}).")
            self.restore(directory, from_export)
        else:
            self.backup(
                directory or Path(settings.BASE_DIR) / "backups" / f"{timezone.now():%Y-%m-%d-%H%M%S}"
            )

    def backup(self, directory: Path) -> None:
        if directory.exists() and any(directory.iterdir()):
            raise CommandError(f"Le dossier {directory} n'est pas vide : choisissez un dossier vide.")
        directory.mkdir(parents=True, exist_ok=True)
        kind = database_kind(connection.settings_dict)
        if kind == "postgresql":
            dump_postgres(connection.settings_dict, directory / PG_DUMP)
        elif kind == "sqlite":
            copy_sqlite(Path(connection.settings_dict["NAME"]), directory / SQLITE_COPY)
        else:
            self.stdout.write("Base en mémoire : pas de copie de la base, seulement l'export du commun.")
        media_count = save_media(default_storage, directory / MEDIA)
        report = export_commons(directory / EXPORT)
        manifest = {
            "created": timezone.now().isoformat(timespec="seconds"),
            "database": kind,
            "media_files": media_count,
            "commons_files": len(report.written),
        }
        (directory / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde écrite dans {directory} : base {kind or 'non copiée'}, {media_count} fichiers "
                f"téléversés, {len(report.written)} fichiers d'export."
            )
        )

    def restore(self, directory: Path, from_export: bool) -> None:
        kind = database_kind(connection.settings_dict)
        dump = {"postgresql": directory / PG_DUMP, "sqlite": directory / SQLITE_COPY}.get(kind)
        if not from_export and dump is not None and dump.is_file():
            connections.close_all()  # nothing of ours holds the database while it is replaced
            if kind == "postgresql":
                restore_postgres(connection.settings_dict, dump)
            else:
                copy_sqlite(dump, Path(connection.settings_dict["NAME"]))
            self.stdout.write(f"Base remise en place depuis {dump.name}.")
        else:
            call_command(
                "import_commons",
                str(directory / EXPORT),
                note=f"Restauration de la sauvegarde {directory.name}",
                force=True,
                stdout=self.stdout,
            )
        media_count = put_media_back(default_storage, directory / MEDIA)
        bump_content_generation()  # the pages cached before the restore are stale
        self.stdout.write(
            self.style.SUCCESS(f"Sauvegarde {directory} restaurée : {media_count} fichiers téléversés.")
        )

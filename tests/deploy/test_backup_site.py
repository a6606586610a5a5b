"""`make backup` / `make restore` (manage.py backup_site): the database dump, the uploaded media and
the commons export in one dated directory, and back into an empty database.

The export and media part runs on every engine; the PostgreSQL dump is restored into a new, empty
database and compared table by table when the suite runs on PostgreSQL (DATABASE_URL=postgres://…).
"""

import json
import sqlite3
import subprocess
import uuid
from io import StringIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from wagtail.documents import get_document_model

import pytest

from commons.management.commands.backup_site import (
    copy_sqlite,
    database_kind,
    dump_postgres,
    libpq_command,
    media_names,
    restore_postgres,
)
from methods.models import MethodPage
from tests.exchange.test_backup import empty_the_database, tree

UPLOAD = "images/photo-atelier-leaz.png"


@pytest.fixture
def media():
    """The storage as the suite has it, plus one upload; put back as it was afterwards."""
    before = {name: default_storage.open(name, "rb").read() for name in media_names(default_storage)}
    default_storage.save(UPLOAD, ContentFile(b"\x89PNG\r\n\x1a\n" + uuid.uuid4().bytes))
    yield
    for name in media_names(default_storage):
        default_storage.delete(name)
    for name, content in before.items():
        default_storage.save(name, ContentFile(content))


def stored_files() -> dict[str, bytes]:
    return {name: default_storage.open(name, "rb").read() for name in media_names(default_storage)}


def test_backup_then_restore_into_an_empty_database_gives_the_same_commons_and_media(db, tmp_path, media):
    files = stored_files()
    assert UPLOAD in files and any(name.startswith("documents/") for name in files)
    directory = tmp_path / "sauvegarde"
    call_command("backup_site", str(directory), stdout=StringIO())

    manifest = json.loads((directory / "MANIFEST.json").read_text(encoding="utf-8"))
    assert manifest["database"] == database_kind(connection.settings_dict)
    assert manifest["media_files"] == len(files)
    assert (directory / "database.pgdump").is_file() == (connection.vendor == "postgresql")
    assert tree(directory / "media") == files
    exported = tree(directory / "commons")
    assert "SHA256SUMS" in exported and any(name.startswith("methods/") for name in exported)

    empty_the_database()
    for name in files:
        default_storage.delete(name)
    assert not MethodPage.objects.exists() and media_names(default_storage) == []

    out = StringIO()
    call_command("backup_site", str(directory), "--restore", "--from-export", stdout=out)
    assert "restaurée" in out.getvalue()
    assert MethodPage.objects.live().exists()
    restored = stored_files()
    assert {name: restored.get(name) for name in files} == files  # every upload back, byte for byte
    for document in get_document_model().objects.all():  # and every file the database names is there
        assert document.file.name in restored
    call_command("export_commons", str(tmp_path / "apres"), stdout=StringIO())
    assert tree(tmp_path / "apres") == exported


def test_a_backup_never_mixes_with_other_files_and_a_restore_needs_a_backup(db, tmp_path):
    (tmp_path / "plein").mkdir()
    (tmp_path / "plein" / "autre.txt").write_text("x")
    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("backup_site", str(tmp_path / "plein"), stdout=StringIO())
    with pytest.raises(CommandError, match="MANIFEST.json"):
        call_command("backup_site", str(tmp_path / "plein"), "--restore", stdout=StringIO())


def test_the_database_kind_and_the_postgresql_client_options():
    assert (
        database_kind({"ENGINE": "django.db.backends.sqlite3", "NAME": "file:memorydb?mode=memory"}) is None
    )
    assert database_kind({"ENGINE": "django.db.backends.sqlite3", "NAME": "/srv/db.sqlite3"}) == "sqlite"
    command, environment = libpq_command(
        "pg_dump", {"NAME": "communs", "HOST": "db", "PORT": 5433, "USER": "communs", "PASSWORD": "secret"}
    )
    assert command == ["pg_dump", "--dbname", "communs", "--no-password", "--host", "db", "--port", "5433",
                       "--username", "communs"]  # fmt: skip
    assert environment["PGPASSWORD"] == "secret" and "secret" not in command


def test_an_sqlite_database_is_copied_and_put_back(tmp_path):
    live, copy = tmp_path / "db.sqlite3", tmp_path / "copie.sqlite3"
    with sqlite3.connect(live) as database:
        database.execute("CREATE TABLE fiche (titre TEXT)")
        database.executemany("INSERT INTO fiche VALUES (?)", [("Arpentage",), ("Forum ouvert",)])
    database.close()
    copy_sqlite(live, copy)
    with sqlite3.connect(live) as database:
        database.execute("DELETE FROM fiche")
    database.close()
    copy_sqlite(copy, live)
    with sqlite3.connect(live) as database:
        assert database.execute("SELECT titre FROM fiche ORDER BY titre").fetchall() == [
            ("Arpentage",),
            ("Forum ouvert",),
        ]
    database.close()


def data_dump(settings_dict: dict) -> list[str]:
    """Every row of every table as pg_dump writes it (without its per-run random \\restrict key)."""
    command, environment = libpq_command("pg_dump", settings_dict)
    output = subprocess.run(
        [*command, "--data-only", "--no-owner"], env=environment, capture_output=True, text=True, check=True
    ).stdout
    return [line for line in output.splitlines() if not line.startswith(("\\restrict", "\\unrestrict"))]


def psql(settings_dict: dict, sql: str) -> None:
    command, environment = libpq_command("psql", {**settings_dict, "NAME": "postgres"})
    subprocess.run([*command, "--quiet", "--command", sql], env=environment, check=True, capture_output=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump: the suite runs on SQLite")
def test_the_postgresql_dump_restores_into_an_empty_database_row_for_row(db, tmp_path):
    source = connection.settings_dict
    dump = tmp_path / "database.pgdump"
    dump_postgres(source, dump)
    target = {**source, "NAME": f"restore_check_{uuid.uuid4().hex[:12]}"}
    psql(source, f'CREATE DATABASE "{target["NAME"]}"')
    try:
        restore_postgres(target, dump)
        original, restored = data_dump(source), data_dump(target)
        assert any(line.startswith("COPY public.wagtailcore_page ") for line in original)
        assert len(original) > 1000  # the demo commons, not an empty database
        assert restored == original
    finally:
        psql(source, f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')

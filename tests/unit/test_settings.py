"""The database settings read from the environment."""

from django.core.exceptions import ImproperlyConfigured

import pytest

from commons.settings.base import POSTGRES_PREPARED_STATEMENTS, database_from_env

POSTGRES_URL = "postgres://communs:secret@db.example:5432/communs"


def test_sqlite_without_database_url(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    config = database_from_env()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert "OPTIONS" not in config


def test_postgresql_prepares_its_repeated_queries(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", POSTGRES_URL)
    monkeypatch.delenv("DATABASE_PREPARED_STATEMENTS", raising=False)
    config = database_from_env()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "communs"
    assert config["OPTIONS"] == POSTGRES_PREPARED_STATEMENTS
    assert config["OPTIONS"]["server_side_binding"] is True


def test_prepared_statements_can_be_turned_off(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", POSTGRES_URL)
    monkeypatch.setenv("DATABASE_PREPARED_STATEMENTS", "false")
    assert "OPTIONS" not in database_from_env()


@pytest.mark.parametrize("url", ["mysql://root@localhost/communs", "pas une url"])
def test_other_databases_are_refused_clearly(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    with pytest.raises(ImproperlyConfigured):
        database_from_env()

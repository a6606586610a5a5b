"""The search backend of the site: Wagtail's database backend, taught French.

Set in `WAGTAILSEARCH_BACKENDS` as `"BACKEND": "commons.search.backend"`. As Wagtail's own
`wagtail.search.backends.database`, `SearchBackend(params)` picks the implementation of the
database in use: PostgreSQL full-text search with the `SEARCH_CONFIG` and `AUTOCOMPLETE_CONFIG`
text search configurations (see `postgres.py`), or SQLite's FTS5 with French stemming done in
Python (see `sqlite.py`); any other database gets Wagtail's default.
"""

from django.db import connection

from modelsearch.backends import database


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks for in a backend module
    if connection.vendor == "postgresql":
        from .postgres import FrenchPostgresSearchBackend

        return FrenchPostgresSearchBackend(params)
    backend = database.SearchBackend(params)
    if connection.vendor == "sqlite":
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

        from .sqlite import FrenchSQLiteSearchBackend

        if isinstance(backend, SQLiteSearchBackend):  # FTS5 is available
            return FrenchSQLiteSearchBackend(params)
    return backend

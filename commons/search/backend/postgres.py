"""Wagtail's PostgreSQL backend, with a configurable text search configuration for autocomplete.

Full-text search already follows `SEARCH_CONFIG` (`french_unaccent`: unaccent, then the French
stemmer) when indexing and querying. Autocomplete is hard-wired to `simple`, which keeps accents:
`AUTOCOMPLETE_CONFIG` (`simple_unaccent`, no stemming) lets "resil" find "Résilience".
Both configurations are created by the migration `commons.0004`.
"""

from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend


class FrenchPostgresSearchBackend(PostgresSearchBackend):
    def __init__(self, params):
        super().__init__(params)
        self.autocomplete_config = params.get("AUTOCOMPLETE_CONFIG", self.autocomplete_config)

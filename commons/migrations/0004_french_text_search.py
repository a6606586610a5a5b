"""PostgreSQL text search configurations for French as the public types it.

`french_unaccent`: the `french` configuration with accents removed before stemming, so "élus",
"elus" and "Élus" are one word, and "mobilisation" and "mobiliser" one stem. `simple_unaccent`:
no stemming, accents removed, for title suggestions (prefixes). Both are named in
`WAGTAILSEARCH_BACKENDS`. Nothing to do on SQLite: `commons.search.backend` stems in Python there.
After migrating an existing database, rebuild the index: `manage.py update_index`.
"""

from django.db import migrations

CREATE = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
    "CREATE TEXT SEARCH CONFIGURATION french_unaccent (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION french_unaccent"
    " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS simple_unaccent",
    "CREATE TEXT SEARCH CONFIGURATION simple_unaccent (COPY = simple)",
    "ALTER TEXT SEARCH CONFIGURATION simple_unaccent"
    " ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple",
]

# The unaccent extension stays: other objects of the database may use it.
DROP = [
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS french_unaccent",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS simple_unaccent",
]


def create_configurations(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement, params=None)


def drop_configurations(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("commons", "0003_roles_and_workflow")]

    operations = [migrations.RunPython(create_configurations, drop_configurations, elidable=False)]

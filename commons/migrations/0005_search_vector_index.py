"""A GIN index on the combined title and body vectors of Wagtail's PostgreSQL search index.

Wagtail's PostgreSQL backend matches `title || body @@ query`. Its table indexes `title` and `body`
apart, so that expression had no index and no statistics: the planner guessed one match, chose a
nested loop over every page, and a two-word search took seconds at 10,000 fiches. Indexing the
expression itself gives both (a bitmap index scan, then a hash join): tens of milliseconds.
Nothing to do on SQLite (FTS5 has its own index).
"""

from django.db import migrations

INDEX = "commons_indexentry_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))",
            params=None,
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}", params=None)


class Migration(migrations.Migration):
    dependencies = [("commons", "0004_french_text_search"), ("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

"""Re-render the stored HTML of methods and tools, and of all their revisions, with prefixed ids.

A heading "## Contenu" had `id="contenu"`, the id of the page's `<main>`: every id a body gets now
starts with "fiche-" ("fiche-notes-" in a tool's release notes), and ids written in raw HTML go.
The prefixes are written out here, not imported: a migration keeps the rendering of its day.
"""

from django.db import migrations

from commons.rendering.rerender import rerender_stored_html


def rerender(apps, schema_editor):
    rerender_stored_html(apps, "methods.MethodPage", {"body": "body_html"})
    rerender_stored_html(
        apps,
        "methods.ToolPage",
        {"body": "body_html", "changelog": "changelog_html"},
        id_prefixes={"changelog": "fiche-notes-"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("methods", "0004_commonmark_rendering"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]

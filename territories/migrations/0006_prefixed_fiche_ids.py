"""Re-render the stored HTML of territories, and of all their revisions, with prefixed ids.

Every id a body gets now starts with "fiche-" ("fiche-enseignements-" in the lessons, shown on the
same page), so none can be one of the page's own ids; ids written in raw HTML go.
"""

from django.db import migrations

from commons.rendering.rerender import rerender_stored_html


def rerender(apps, schema_editor):
    rerender_stored_html(
        apps,
        "territories.TerritoryPage",
        {"body": "body_html", "lessons": "lessons_html"},
        id_prefixes={"lessons": "fiche-enseignements-"},
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("territories", "0005_commonmark_rendering"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]

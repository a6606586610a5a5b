"""Re-render the stored HTML of territories, and of all their revisions, with CommonMark."""

from django.db import migrations

from commons.rendering.rerender import rerender_stored_html


def rerender(apps, schema_editor):
    rerender_stored_html(apps, "territories.TerritoryPage", {"body": "body_html", "lessons": "lessons_html"})


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("territories", "0004_roadmap_and_self_assessment"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]

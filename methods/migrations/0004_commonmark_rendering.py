"""Re-render the stored HTML of methods and tools, and of all their revisions, with CommonMark."""

from django.db import migrations

from commons.rendering.rerender import rerender_stored_html


def rerender(apps, schema_editor):
    rerender_stored_html(apps, "methods.MethodPage", {"body": "body_html"})
    rerender_stored_html(apps, "methods.ToolPage", {"body": "body_html", "changelog": "changelog_html"})


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("methods", "0003_changelog_label"),
        ("wagtailcore", "0097_baselogentry_uuid_action_timestamp_indexes"),
    ]

    operations = [migrations.RunPython(rerender, migrations.RunPython.noop)]

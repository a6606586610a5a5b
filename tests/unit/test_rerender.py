"""`rerender_stored_html`: the CommonMark migrations give every row and revision the new rendering."""

from django.apps import apps as global_apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader

import pytest

from commons.rendering.rerender import rerender_stored_html
from commons.speed.freshness import content_generation
from methods.models import MethodPage, ToolPage
from territories.models import TerritoryPage
from tests.factories import MethodPageFactory, TerritoryPageFactory, ToolPageFactory

NESTED = "1. **Lister** :\n   - un\n   - deux"
# What python-markdown stored for NESTED: the nested list flattened into the item's text.
OLD_NESTED = "<ol>\n<li><strong>Lister</strong> :\n   - un\n   - deux</li>\n</ol>"
NEW_NESTED = "<ol>\n<li><strong>Lister</strong> :\n<ul>\n<li>un</li>\n<li>deux</li>\n</ul>\n</li>\n</ol>"


def make_stale(page, **html) -> None:
    """Store an old rendering behind the renderer's back, in the row and in its revisions."""
    type(page).objects.filter(pk=page.pk).update(**html)
    for revision in page.revisions.all():
        revision.content.update(html)
        revision.save(update_fields=["content"])


def historical_apps(app_label: str, migration: str):
    return MigrationLoader(connection).project_state((app_label, migration)).apps


@pytest.mark.django_db
def test_a_revision_stored_with_the_old_rendering_gets_the_new_one(method_index):
    page = MethodPageFactory(parent=method_index, body=NESTED)
    page.save_revision().publish()
    page.body = "## Brouillon\n\n" + NESTED
    draft = page.save_revision()
    make_stale(page, body_html=OLD_NESTED)

    changed = rerender_stored_html(
        historical_apps("methods", "0004_commonmark_rendering"), "methods.MethodPage", {"body": "body_html"}
    )

    assert changed == 3  # the row, the published revision, the draft
    assert MethodPage.objects.get(pk=page.pk).body_html == NEW_NESTED
    draft.refresh_from_db()
    assert draft.content["body_html"] == '<h2 id="fiche-brouillon">Brouillon</h2>\n' + NEW_NESTED
    assert draft.as_object().body_html == draft.content["body_html"]
    assert {r.content["body"] for r in page.revisions.all()} == {NESTED, "## Brouillon\n\n" + NESTED}


@pytest.mark.django_db
def test_every_mapped_field_is_rerendered_and_a_second_run_changes_nothing(tool_index, territory_index):
    tool = ToolPageFactory(parent=tool_index, body=NESTED, changelog="- 1.1 :\n  - corrigé")
    tool.save_revision()
    territory = TerritoryPageFactory(parent=territory_index, body="Texte", lessons=NESTED)
    make_stale(tool, body_html=OLD_NESTED, changelog_html="<ul>\n<li>1.1 :\n- corrigé</li>\n</ul>")
    make_stale(territory, lessons_html=OLD_NESTED)

    rerender_stored_html(
        global_apps, "methods.ToolPage", {"body": "body_html", "changelog": "changelog_html"}
    )
    rerender_stored_html(
        global_apps, "territories.TerritoryPage", {"body": "body_html", "lessons": "lessons_html"}
    )

    stored = ToolPage.objects.get(pk=tool.pk)
    assert (stored.body_html, stored.changelog_html) == (
        NEW_NESTED,
        "<ul>\n<li>1.1 :\n<ul>\n<li>corrigé</li>\n</ul>\n</li>\n</ul>",
    )
    assert tool.revisions.get().content["changelog_html"] == stored.changelog_html
    assert TerritoryPage.objects.get(pk=territory.pk).lessons_html == NEW_NESTED
    assert (
        rerender_stored_html(
            global_apps, "methods.ToolPage", {"body": "body_html", "changelog": "changelog_html"}
        )
        == 0
    )


@pytest.mark.django_db
def test_only_the_given_models_revisions_are_touched(method_index, territory_index):
    method = MethodPageFactory(parent=method_index, body=NESTED)
    method.save_revision()
    territory = TerritoryPageFactory(parent=territory_index, body=NESTED)
    territory.save_revision()
    make_stale(method, body_html=OLD_NESTED)
    make_stale(territory, body_html=OLD_NESTED)

    assert rerender_stored_html(global_apps, "methods.MethodPage", {"body": "body_html"}) == 2

    assert territory.revisions.get().content["body_html"] == OLD_NESTED
    assert TerritoryPage.objects.get(pk=territory.pk).body_html == OLD_NESTED


@pytest.mark.django_db
def test_batches_cover_every_row(method_index):
    pages = [MethodPageFactory(parent=method_index, body=f"{NESTED}\n\n{n}") for n in range(5)]
    for page in pages:
        make_stale(page, body_html=OLD_NESTED)

    assert rerender_stored_html(global_apps, "methods.MethodPage", {"body": "body_html"}, batch_size=2) == 5
    assert all(MethodPage.objects.get(pk=p.pk).body_html.startswith(NEW_NESTED) for p in pages)


@pytest.mark.django_db
def test_a_revision_without_the_field_is_left_as_it_is(method_index):
    page = MethodPageFactory(parent=method_index, body="Texte")
    revision = page.save_revision()
    revision.content = {"title": "Ancienne forme"}
    revision.save(update_fields=["content"])

    rerender_stored_html(global_apps, "methods.MethodPage", {"body": "body_html"})

    revision.refresh_from_db()
    assert revision.content == {"title": "Ancienne forme"}


@pytest.mark.django_db
def test_a_change_moves_the_content_generation_and_no_change_does_not(method_index):
    page = MethodPageFactory(parent=method_index, body=NESTED)
    before = content_generation()
    assert rerender_stored_html(global_apps, "methods.MethodPage", {"body": "body_html"}) == 0
    assert content_generation() == before

    make_stale(page, body_html=OLD_NESTED)
    rerender_stored_html(global_apps, "methods.MethodPage", {"body": "body_html"})
    assert content_generation() != before

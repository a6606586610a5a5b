"""Ids in rendered fiches: every id a body gets is prefixed, authors cannot set one, no page repeats one."""

import importlib
import re
from collections import Counter
from html.parser import HTMLParser

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from wagtail.models import Page

import pytest

from commons.rendering.markdown import render_markdown
from methods.models import CHANGELOG_ID_PREFIX, MethodPage, ToolPage
from territories.models import TerritoryPage
from territories.models.territory import LESSONS_ID_PREFIX
from tests.factories import TerritoryPageFactory, ToolPageFactory
from tests.views.test_public_pages import public_urls, version_urls


class IdCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.fragments = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id") is not None:
            self.ids.append(attrs["id"])
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.fragments.append(attrs["href"][1:])

    handle_startendtag = handle_starttag


def collect(html: str) -> IdCollector:
    collector = IdCollector()
    collector.feed(html)
    collector.close()
    return collector


def test_a_contenu_heading_is_not_the_main_landmark():
    assert render_markdown("## Contenu") == '<h2 id="fiche-contenu">Contenu</h2>'


@pytest.mark.parametrize(
    "payload",
    [
        '<h2 id="contenu">Titre</h2>',
        '<h2 id="fiche-contenu">Titre</h2>',
        '<a id="fnref1" href="/">x</a>',
        '<ul><li id="fn1">x</li></ul>',
        '<p id="contenu">x</p>',
        '<h3 ID="Contenu">x</h3>',
    ],
)
def test_ids_written_by_an_author_are_dropped(payload):
    assert " id=" not in render_markdown(payload).lower()


def test_in_body_anchors_and_footnotes_keep_working():
    html = render_markdown("## Objectifs\n\nVoir [plus haut](#objectifs)[^n].\n\n[^n]: Une note.")
    found = collect(html)
    assert found.ids == ["fiche-objectifs", "fiche-fnref1", "fiche-fn1"]
    assert sorted(found.fragments) == ["fiche-fn1", "fiche-fnref1", "fiche-objectifs"]
    assert set(found.fragments) <= set(found.ids)
    assert render_markdown("[haut](#)") == '<p><a href="#">haut</a></p>'


def test_a_link_to_an_id_the_body_does_not_make_is_left_as_written():
    """`#comment-citer` is the page's own section; `#fiche-objectifs` is already the new id."""
    html = render_markdown("## Objectifs\n\n[citer](#comment-citer) [ici](#fiche-objectifs) [x](#inconnu)")
    assert 'href="#comment-citer"' in html and 'href="#fiche-objectifs"' in html and 'href="#inconnu"' in html


def test_a_second_field_on_the_same_page_gets_its_own_prefix():
    body = render_markdown("## Objectifs\n\nTexte[^1].\n\n[^1]: n")
    lessons = render_markdown("## Objectifs\n\nTexte[^1].\n\n[^1]: n", LESSONS_ID_PREFIX)
    changelog = render_markdown("## Objectifs", CHANGELOG_ID_PREFIX)
    ids = collect(body).ids + collect(lessons).ids + collect(changelog).ids
    assert len(ids) == len(set(ids)) == 7
    assert 'href="#fiche-enseignements-fn1"' in lessons


def test_the_same_text_always_renders_the_same():
    """The id token lives for one rendering only: it never reaches the stored HTML."""
    text = "## Titre\n\nTexte[^a].\n\n[^a]: note"
    assert len({render_markdown(text) for _ in range(20)}) == 1
    assert not re.search(r'id="x[0-9a-f]{16}-', render_markdown(text))


@pytest.mark.django_db
def test_stored_html_of_the_demo_has_only_prefixed_ids():
    for model, fields in [
        (MethodPage, {"body_html": "fiche-"}),
        (ToolPage, {"body_html": "fiche-", "changelog_html": CHANGELOG_ID_PREFIX}),
        (TerritoryPage, {"body_html": "fiche-", "lessons_html": LESSONS_ID_PREFIX}),
    ]:
        for page in model.objects.all():
            for field, prefix in fields.items():
                for found in collect(getattr(page, field)).ids:
                    assert found.startswith(prefix), (page.url, field, found)


@pytest.mark.django_db
def test_the_ten_tool_pages_have_one_contenu_id(client):
    tools = ToolPage.objects.live()
    assert tools.count() == 10
    for tool in tools:
        ids = collect(client.get(tool.url).content.decode()).ids
        assert ids.count("contenu") == 1, tool.url


@pytest.mark.django_db
def test_no_public_page_repeats_an_id(client):
    """Every public page of the demo, its history, version and diff pages, the views beside them."""
    urls = public_urls() + version_urls()
    urls += [f"{page.url}historique/" for page in Page.objects.live().type(MethodPage)[:3]]
    urls += ["/methodes/?question=par-ou-commencer", "/territoires/?population=1000-5000", "/autodiagnostic/"]
    checked = 0
    for url in urls:
        response = client.get(url)
        if response.status_code != 200:
            continue
        found = collect(response.content.decode())
        repeated = [name for name, count in Counter(found.ids).items() if count > 1]
        assert not repeated, (url, repeated)
        missing = {f for f in found.fragments if f and f not in found.ids}
        assert not missing, (url, missing)  # every in-page link leads somewhere
        checked += 1
    assert checked > 80


def migration_module(app_label: str, name: str):
    return importlib.import_module(f"{app_label}.migrations.{name}")


@pytest.mark.django_db
def test_the_migrations_give_every_row_and_revision_the_prefixed_ids(tool_index, territory_index):
    body = "## Contenu\n\nTexte[^1].\n\n[^1]: n"
    tool = ToolPageFactory(parent=tool_index, body=body, changelog="## Contenu")
    tool.save_revision().publish()
    territory = TerritoryPageFactory(parent=territory_index, body="## Contenu", lessons="## Contenu")
    territory.save_revision().publish()
    old = '<h2 id="contenu">Contenu</h2>'
    for page, fields in ((tool, ("body_html", "changelog_html")), (territory, ("body_html", "lessons_html"))):
        type(page).objects.filter(pk=page.pk).update(**dict.fromkeys(fields, old))
        for revision in page.revisions.all():
            revision.content.update(dict.fromkeys(fields, old))
            revision.save(update_fields=["content"])

    migrations = (("methods", "0005_prefixed_fiche_ids"), ("territories", "0006_prefixed_fiche_ids"))
    for app_label, name in migrations:
        state = MigrationLoader(connection).project_state((app_label, name)).apps
        migration_module(app_label, name).rerender(state, None)

    tool, territory = ToolPage.objects.get(pk=tool.pk), TerritoryPage.objects.get(pk=territory.pk)
    assert tool.body_html.startswith('<h2 id="fiche-contenu">') and 'id="fiche-fn1"' in tool.body_html
    assert tool.changelog_html == f'<h2 id="{CHANGELOG_ID_PREFIX}contenu">Contenu</h2>'
    assert territory.body_html == '<h2 id="fiche-contenu">Contenu</h2>'
    assert territory.lessons_html == f'<h2 id="{LESSONS_ID_PREFIX}contenu">Contenu</h2>'
    for page, fields in ((tool, ("body_html", "changelog_html")), (territory, ("body_html", "lessons_html"))):
        for revision in page.revisions.all():
            assert [revision.content[field] for field in fields] == [getattr(page, field) for field in fields]


def test_the_migrations_come_after_the_commonmark_ones():
    for app_label, name, previous in (
        ("methods", "0005_prefixed_fiche_ids", "0004_commonmark_rendering"),
        ("territories", "0006_prefixed_fiche_ids", "0005_commonmark_rendering"),
    ):
        assert (app_label, previous) in migration_module(app_label, name).Migration.dependencies

"""The lists of fiches a fiche shows (related fiches, a method's tools and territories, a
territory's methods, a tool's methods) are read in one query, in their order, public only."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest

from commons.speed.listing import LinkedFiche, title_key
from methods.models import MethodPage, ToolPage
from territories.models import MethodUse, TerritoryPage
from tests.conftest import publish
from tests.factories import MethodPageFactory, ToolPageFactory

# They measure the speed layer's own path, with every shortcut on (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("with_shortcuts")]


def titles(fiches) -> list[str]:
    return [fiche.title for fiche in fiches]


def read_in_one_query(page) -> dict[str, list[LinkedFiche]]:
    page.linked_fiches()  # builds the related fiches' index, once per change of content
    with CaptureQueriesContext(connection) as context:
        lists = page.linked_fiches()
    assert len(context.captured_queries) == 1
    return lists


def test_a_method_lists_its_tools_and_territories_with_how_it_went():
    method = MethodPage.objects.get(slug="porte-a-porte-appreciatif")
    lists = read_in_one_query(method)
    tools = ToolPage.objects.live().filter(methods=method)
    assert titles(lists["tools"]) == sorted((tool.title for tool in tools), key=title_key)
    assert [tool.url for tool in lists["tools"]] == [
        tool.url for tool in sorted(tools, key=lambda t: title_key(t.title))
    ]
    uses = MethodUse.objects.filter(method=method, page__live=True).select_related("page")
    expected = sorted(
        ((use.page.title, use.how_it_went) for use in uses), key=lambda pair: title_key(pair[0])
    )
    assert [(fiche.title, fiche.note) for fiche in lists["territory_uses"]] == expected
    assert len(expected) >= 3
    assert lists["related_fiches"] and all(
        isinstance(fiche, LinkedFiche) for fiche in lists["related_fiches"]
    )


def test_a_territory_lists_its_methods_in_the_editors_order():
    territory = TerritoryPage.objects.get(slug="leaz")
    uses = list(territory.method_uses.all())
    uses.reverse()
    for position, use in enumerate(uses):
        use.sort_order = position
        use.save()
    lists = read_in_one_query(territory)
    assert [(fiche.pk, fiche.note) for fiche in lists["method_uses"]] == [
        (use.method_id, use.how_it_went) for use in uses
    ]


def test_a_tool_lists_the_methods_that_use_it():
    tool = ToolPage.objects.get(slug="questionnaire-porte-a-porte")
    lists = read_in_one_query(tool)
    expected = MethodPage.objects.live().filter(tools=tool)
    assert titles(lists["methods"]) == sorted((method.title for method in expected), key=title_key)
    assert "Porte-à-porte appréciatif" in titles(lists["methods"])


def test_private_and_unpublished_fiches_are_left_out(method_index, tool_index):
    method = MethodPageFactory(parent=method_index, title="Méthode outillée")
    public, private, draft = (
        ToolPageFactory(parent=tool_index, title=title) for title in ("Publique", "Privée", "Brouillon")
    )
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    draft.unpublish()
    method.tools.set([public, private, draft])
    publish(method)
    assert titles(method.linked_fiches()["tools"]) == ["Publique"]


def test_a_method_without_links_shows_empty_lists(method_index):
    method = MethodPageFactory(parent=method_index, title="Méthode seule")
    lists = method.linked_fiches()
    assert lists["tools"] == lists["territory_uses"] == lists["related_fiches"] == []


def test_a_linked_fiche_with_a_non_ascii_address_has_wagtails_url(method_index, tool_index):
    tool = ToolPageFactory(parent=tool_index, title="Grille", slug="grille-évaluée")
    method = MethodPageFactory(parent=method_index, title="Avec la grille")
    method.tools.set([tool])
    publish(method)
    assert [fiche.url for fiche in method.linked_fiches()["tools"]] == [tool.url]
    assert tool.url == "/outils/grille-%C3%A9valu%C3%A9e/"


def test_a_past_version_shows_its_own_tools_and_uses():
    method = MethodPage.objects.get(slug="porte-a-porte-appreciatif")
    tools_before = titles(method.linked_fiches()["tools"])
    old = method.save_revision()
    method.tools.set([])
    publish(method)
    assert method.linked_fiches()["tools"] == []
    shown = old.as_object()
    assert shown.has_links_in_memory()
    assert titles(shown.linked_fiches()["tools"]) == tools_before

    territory = TerritoryPage.objects.get(slug="leaz")
    uses_before = [(fiche.pk, fiche.note) for fiche in territory.linked_fiches()["method_uses"]]
    old = territory.save_revision()
    territory.method_uses = list(territory.method_uses.all())[1:]
    publish(territory)
    assert len(territory.linked_fiches()["method_uses"]) == len(uses_before) - 1
    assert [(fiche.pk, fiche.note) for fiche in old.as_object().linked_fiches()["method_uses"]] == uses_before


def test_a_past_version_reads_each_list_once(django_assert_num_queries):
    """Its tools (held in memory, checked against the live public tools), its territories and its
    related fiches: one query each, none read and then replaced."""
    method = MethodPage.objects.get(slug="porte-a-porte-appreciatif")
    shown = method.save_revision().as_object()
    shown.linked_fiches()  # builds the related fiches' index, once per change of content
    with django_assert_num_queries(3):
        lists = shown.linked_fiches()
    assert lists["tools"] and lists["territory_uses"] and lists["related_fiches"]


def test_a_past_version_without_tools_shows_none(method_index, tool_index):
    tool = ToolPageFactory(parent=tool_index, title="Outil retiré depuis")
    method = MethodPageFactory(parent=method_index, title="Méthode outillée plus tard")
    old = method.save_revision()
    method.tools.set([tool])
    publish(method)
    assert titles(method.linked_fiches()["tools"]) == ["Outil retiré depuis"]
    assert old.as_object().linked_fiches()["tools"] == []

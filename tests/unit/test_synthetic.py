"""Synthetic content (`populate_synthetic`): bulk-inserted pages behave like pages made by Wagtail."""

import re
from collections import Counter
from io import StringIO

from django.core.management import call_command
from django.utils.html import escape

from taggit.models import Tag
from wagtail.models import Page
from wagtail.search.models import IndexEntry

import pytest

from bench import synthetic
from commons.models import Question
from methods.models import MethodIndexPage, MethodPage, MethodPageTag, ToolIndexPage, ToolPage
from territories.models import MethodUse, TerritoryIndexPage, TerritoryPage

pytestmark = pytest.mark.django_db

COUNTS = {"methods": 30, "tools": 5, "territories": 5}
INDEX_OF = {MethodPage: MethodIndexPage, ToolPage: ToolIndexPage, TerritoryPage: TerritoryIndexPage}
EXPECTED = {MethodPage: COUNTS["methods"], ToolPage: COUNTS["tools"], TerritoryPage: COUNTS["territories"]}


def populate(**counts):
    return synthetic.populate(**(counts or COUNTS), log=lambda message: None)


@pytest.fixture
def synthetic_content(home):
    return populate()


def numchild_mismatches() -> list[tuple[int, int, int]]:
    """Pages whose stored numchild differs from their real number of children."""
    pages = list(Page.objects.values_list("pk", "path", "numchild"))
    children = Counter(path[: -Page.steplen] for _pk, path, _numchild in pages)
    return [(pk, numchild, children[path]) for pk, path, numchild in pages if numchild != children[path]]


def assert_tree_is_valid():
    assert all(problems == [] for problems in Page.find_problems())
    assert numchild_mismatches() == []


def test_counts_marking_and_publication(synthetic_content):
    assert synthetic_content == COUNTS
    for model, expected in EXPECTED.items():
        pages = model.objects.filter(slug__startswith=synthetic.SLUG_PREFIX)
        assert pages.count() == expected
        assert pages.live().count() == expected
        assert not pages.filter(first_published_at__isnull=True).exists()
        assert not pages.filter(last_published_at__isnull=True).exists()
        assert set(pages.values_list("credits", flat=True)) == {synthetic.SYNTHETIC_CREDITS}
        tagged = pages.filter(tags__name=synthetic.SYNTHETIC_TAG).distinct().count()
        assert tagged == expected


def test_pages_sit_in_their_section(synthetic_content):
    for model, index_model in INDEX_OF.items():
        index = index_model.objects.get()
        for page in model.objects.filter(slug__startswith=synthetic.SLUG_PREFIX):
            assert page.get_parent().pk == index.pk
            assert page.url_path == f"{index.url_path}{page.slug}/"


def test_pages_are_routable_and_rendered(client, synthetic_content):
    for model in INDEX_OF:
        for page in model.objects.filter(slug__startswith=synthetic.SLUG_PREFIX)[:3]:
            response = client.get(page.url)
            assert response.status_code == 200, page.url
            assert escape(page.title) in response.content.decode()
            assert "<h2" in page.body_html


def test_method_bodies_have_the_standard_sections(synthetic_content):
    method = MethodPage.objects.filter(slug__startswith=synthetic.SLUG_PREFIX).first()
    for heading in ("## Objectifs", "## Déroulé pas à pas", "## Conditions de réussite"):
        assert heading in method.body
    assert len(method.summary) <= 300


def test_tree_stays_valid(synthetic_content):
    assert_tree_is_valid()


def test_taxonomy_tags_tools_and_method_uses(synthetic_content):
    methods = MethodPage.objects.filter(slug__startswith=synthetic.SLUG_PREFIX)
    for relation in ("questions", "phases", "defis", "themes", "associations"):
        assert not methods.filter(**{f"{relation}__isnull": True}).exists(), relation
    synthetic_tools = ToolPage.objects.filter(slug__startswith=synthetic.SLUG_PREFIX)
    assert methods.filter(tools__in=synthetic_tools).exists()
    territories = TerritoryPage.objects.filter(slug__startswith=synthetic.SLUG_PREFIX)
    assert not territories.filter(accompanying_associations__isnull=True).exists()
    uses = MethodUse.objects.filter(page__in=territories)
    assert uses.count() >= 2 * COUNTS["territories"]
    assert set(uses.values_list("method_id", flat=True)) <= set(methods.values_list("pk", flat=True))


def test_counted_in_the_question_facet(client, home):
    question = Question.objects.order_by("sort_order").first()
    url = f"/methodes/?question={question.slug}"
    before = client.get(url).context_data["browse"].page.paginator.count
    populate()
    added = sum(
        model.objects.filter(slug__startswith=synthetic.SLUG_PREFIX, questions=question).count()
        for model in (MethodPage, ToolPage)
    )
    assert added > 0
    browse = client.get(url).context_data["browse"]
    assert browse.page.paginator.count == before + added
    question_facet = next(facet for facet in browse.facets if facet["param"] == "question")
    option = next(option for option in question_facet["options"] if option.value == question.slug)
    assert option.count == before + added


def test_found_by_search(synthetic_content):
    method = MethodPage.objects.filter(slug__startswith=synthetic.SLUG_PREFIX).first()
    word = max(re.findall(r"[a-z]{5,}", method.title.lower()), key=len)
    results = list(MethodPage.objects.live().search(word))
    assert method in results


def test_clear_removes_exactly_the_synthetic_pages(client, home):
    before = dict(Page.objects.values_list("pk", "numchild"))
    entries_before = IndexEntry.objects.count()
    populate()
    synthetic_ids = list(synthetic.synthetic_pages().values_list("pk", flat=True))
    assert synthetic.clear(log=lambda message: None) == sum(COUNTS.values())
    assert dict(Page.objects.values_list("pk", "numchild")) == before
    assert_tree_is_valid()
    assert IndexEntry.objects.count() == entries_before
    assert not MethodPageTag.objects.filter(content_object_id__in=synthetic_ids).exists()
    assert not MethodPage.questions.through.objects.filter(methodpage_id__in=synthetic_ids).exists()
    assert not MethodUse.objects.filter(method_id__in=synthetic_ids).exists()
    assert not Tag.objects.filter(name=synthetic.SYNTHETIC_TAG).exists()
    assert client.get("/methodes/forum-ouvert/").status_code == 200
    assert client.get("/territoires/leaz/").status_code == 200


def test_running_twice_adds_more_with_unique_slugs(home):
    populate(methods=4, tools=2, territories=2)
    populate(methods=4, tools=2, territories=2)
    for model, count in ((MethodPage, 8), (ToolPage, 4), (TerritoryPage, 4)):
        slugs = list(synthetic.synthetic_pages(model).values_list("slug", flat=True))
        assert len(slugs) == len(set(slugs)) == count
    assert_tree_is_valid()


def test_command_populates_then_clears(home):
    out = StringIO()
    call_command("populate_synthetic", methods=3, territories=1, tools=1, stdout=out)
    assert "Terminé" in out.getvalue()
    assert synthetic.synthetic_pages().count() == 5
    call_command("populate_synthetic", clear=True, stdout=out)
    assert synthetic.synthetic_pages().count() == 0
    assert_tree_is_valid()

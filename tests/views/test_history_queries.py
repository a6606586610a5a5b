"""The public history of a fiche runs a small, constant number of SQL queries.

At most 12 per page (the ceiling of every public page), the same with 3 or 30 published versions
and with a few or many taxonomy terms, associations, tags, tools, files and method uses.
"""

from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext

from wagtail.documents import get_document_model

import pytest

from commons.models import Association, Defi, Phase, Question, Theme
from methods.models import MethodPage, ToolFile, ToolPage
from territories.models import MethodUse, TerritoryPage
from tests.views.test_history import editors_of, publish_as, save_draft_as

# They measure the speed layer's own path, with every shortcut on (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("with_shortcuts")]

MAX_QUERIES = 12


@pytest.fixture
def authors(django_user_model):
    """One editor per association, each in its association's editors' group."""
    users = []
    for n, association in enumerate(Association.objects.order_by("pk")):
        user = django_user_model.objects.create_user(f"autrice{n}", password="pw")
        user.groups.add(editors_of(association))
        users.append(user)
    return users


def publish_many(page, count: int, authors) -> None:
    for n in range(count):
        publish_as(page, authors[n % len(authors)], f"Publication {n}", summary=f"Résumé n° {n}")


def count_queries(client, url: str, status: int = 200) -> int:
    """Queries of a request once the per-generation caches are warm (the first request fills them)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == status, url
    return len(context.captured_queries)


def assert_at_most(client, url: str, count: int, django_assert_max_num_queries) -> None:
    client.get(url)  # warm the caches of the site, view restrictions and vocabulary
    with django_assert_max_num_queries(count):
        assert client.get(url).status_code == 200, url


def history_urls(page) -> list[str]:
    """The history list, the oldest and the live version, and the diff between them."""
    page.refresh_from_db()
    oldest = page.revisions.order_by("created_at", "pk").first().pk
    live = page.live_revision_id
    return [
        f"{page.url}historique/",
        f"{page.url}historique/{oldest}/",
        f"{page.url}historique/{live}/",
        f"{page.url}historique/{oldest}/{live}/",
        f"{page.url}historique/{live}/{oldest}/",
    ]


def fiches():
    """A method, a tool and a territory of the demo commons, each published once by the loader."""
    return [
        MethodPage.objects.live().get(slug="forum-ouvert"),
        ToolPage.objects.live().filter(files__isnull=False).distinct().first(),
        TerritoryPage.objects.live().get(slug="leaz"),
    ]


def link(page, n: int) -> None:
    """Link `page` to `n` terms of each kind, associations and tools, tags, files or method uses."""
    page.questions.set(Question.objects.all()[:n])
    page.defis.set(Defi.objects.all()[:n])
    # Sub-thèmes first: their names include their parent's.
    page.themes.set(Theme.objects.order_by(F("parent").asc(nulls_last=True), "pk")[:n])
    page.associations.set(Association.objects.all()[:n])
    page.tags.set([f"mot-clé-{k}" for k in range(n)])
    if isinstance(page, MethodPage):
        page.phases.set(Phase.objects.all()[:n])
        page.tools.set(ToolPage.objects.live()[:n])
    elif isinstance(page, ToolPage):
        documents = list(get_document_model().objects.all())
        page.files = [
            ToolFile(document=documents[k % len(documents)], title=f"Fichier {k}") for k in range(n)
        ]
    else:
        page.accompanying_associations.set(Association.objects.all()[:n])
        methods = list(MethodPage.objects.live())
        page.method_uses = [
            MethodUse(method=methods[k % len(methods)], how_it_went=f"Usage {k}") for k in range(n)
        ]


@pytest.mark.parametrize("index", [0, 1, 2], ids=["method", "tool", "territory"])
def test_history_pages_run_at_most_12_queries(client, authors, index, django_assert_max_num_queries):
    page = fiches()[index]
    link(page, 20)
    publish_many(page, 2, authors)
    for url in history_urls(page):
        assert_at_most(client, url, MAX_QUERIES, django_assert_max_num_queries)


@pytest.mark.parametrize("index", [0, 1, 2], ids=["method", "tool", "territory"])
def test_history_queries_do_not_grow_with_versions_and_relations(
    client, authors, index, django_assert_max_num_queries
):
    page = fiches()[index]
    link(page, 1)
    publish_many(page, 2, authors)  # with the loader's: 3 published versions
    small = {url: count_queries(client, url) for url in history_urls(page)}

    for k in range(27):  # 30 published versions, each with more relations than the one before
        link(page, 2 + k)
        publish_as(page, authors[k % len(authors)], f"Plus de liens {k}", summary=f"Résumé {k}")
    assert len(client.get(f"{page.url}historique/").context_data["entries"]) == 30
    for small_url, large_url in zip(small, history_urls(page), strict=True):
        assert_at_most(client, large_url, small[small_url], django_assert_max_num_queries)
        assert small[small_url] <= MAX_QUERIES, (small_url, small[small_url])


def test_drafts_and_other_unpublished_revisions_are_404_in_few_queries(client, authors):
    method = MethodPage.objects.live().get(slug="forum-ouvert")
    live = method.live_revision_id
    draft = save_draft_as(method, authors[0], "Brouillon", summary="Résumé du brouillon")
    other = TerritoryPage.objects.live().get(slug="leaz").live_revision_id  # another page's version
    for number in (draft.pk, other):
        for suffix in (f"{number}/", f"{live}/{number}/", f"{number}/{live}/"):
            assert count_queries(client, f"{method.url}historique/{suffix}", status=404) <= MAX_QUERIES

    method.unpublish()
    for suffix in ("", f"{live}/", f"{live}/{live}/"):
        assert count_queries(client, f"{method.url}historique/{suffix}", status=404) <= MAX_QUERIES


def test_version_page_reads_its_relations_in_one_query(client, authors):
    """The version's terms, partners, tags and tools come in one query, whatever their number."""
    method = MethodPage.objects.live().get(slug="forum-ouvert")
    link(method, 12)
    revision = publish_as(method, authors[0], "Tout relier")
    publish_as(method, authors[1], "Plus tard", summary="Un résumé plus récent")
    url = f"{method.url}historique/{revision.pk}/"
    client.get(url)  # warm the caches of the site, view restrictions and vocabulary
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    html = response.content.decode()
    tables = [query["sql"] for query in context.captured_queries]
    for table in ("commons_question", "commons_theme", "taggit_tag", "commons_phase"):
        assert sum(f'FROM "{table}"' in sql for sql in tables) <= 1, table
    for theme in Theme.objects.filter(parent__isnull=False).select_related("parent"):
        assert str(theme).replace("'", "&#x27;") in html
    assert "mot-clé-11" in html and "Un résumé plus récent" not in html


def test_no_group_memberships_are_read_per_author(client, authors, django_assert_max_num_queries):
    """Authors of many associations, each in several groups: one query for all their memberships."""
    method = MethodPage.objects.live().get(slug="forum-ouvert")
    extra = Group.objects.create(name="Un groupe sans association")
    for author in authors:
        author.groups.add(extra, *(editors_of(a) for a in Association.objects.all()[:2]))
    publish_many(method, len(authors) * 2, authors)
    for url in history_urls(method):
        assert_at_most(client, url, MAX_QUERIES, django_assert_max_num_queries)

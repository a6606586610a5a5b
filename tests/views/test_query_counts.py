"""Public pages run a constant number of SQL queries whatever the size of the commons."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from commons.models import Association, Defi, Phase, Question, Theme
from methods.models import MethodPage, ToolPage
from tests.factories import MethodPageFactory

# They measure the speed layer's own path, with every shortcut on (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("with_shortcuts")]

MAX_QUERIES = 12  # on every public page, whatever the size of the commons


def count_queries(client, url: str) -> int:
    """Queries of a request once the per-generation caches are warm (the first request fills them)."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def keep_only(count: int) -> None:
    """Leave `count` live methods (the rest of the demo is unpublished, so it no longer shows)."""
    for method in MethodPage.objects.live().order_by("pk")[count:]:
        method.unpublish()


def add_methods(method_index, count: int) -> None:
    """Add `count` live methods linked to every kind of taxonomy, like real fiches."""
    questions, phases = list(Question.objects.all()), list(Phase.objects.all())
    defis, themes = list(Defi.objects.all()), list(Theme.objects.all())
    associations, tools = list(Association.objects.all()), list(ToolPage.objects.live())
    for n in range(count):
        page = MethodPageFactory(parent=method_index, title=f"Méthode synthétique {n}")
        page.questions.set(questions[n % 3 : n % 3 + 2])
        page.phases.set(phases[n % 5 : n % 5 + 1])
        page.defis.set(defis[n % 4 : n % 4 + 2])
        page.themes.set(themes[n % 6 : n % 6 + 2])
        page.associations.set(associations[n % 5 : n % 5 + 2])
        page.tools.set(tools[n % 3 : n % 3 + 1])
        page.tags.set([f"mot-{n % 7}", "synthétique"])
        page.save()


URLS = [
    "/",
    "/methodes/",
    "/methodes/?question=qui-inclure&phase=mobiliser&theme=facteurs-de-resilience",
    "/methodes/?type=methode&page=2&tri=recent",
    "/questions/qui-inclure/",
    "/associations/",
    "/associations/solucracy/",
    "/methodes/forum-ouvert/",
    "/outils/",
    "/territoires/",
    "/territoires/leaz/",
    "/sitemap.xml",
    "/methodes/?taille=12-a-30&q=concertation",
    "/methodes/forum-ouvert/historique/",
]


def test_queries_are_the_same_with_10_and_200_methods(client, method_index, django_assert_max_num_queries):
    keep_only(10)
    MethodPage.objects.get(slug="forum-ouvert").save_revision().publish()  # the fiche we read
    small = {url: count_queries(client, url) for url in URLS}
    add_methods(method_index, 190)
    assert MethodPage.objects.live().count() >= 200
    for url in URLS:
        assert count_queries(client, url) <= small[url], url
        assert small[url] <= MAX_QUERIES, (url, small[url])
    tool = ToolPage.objects.live().first()
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(tool.url).status_code == 200


@pytest.mark.parametrize(
    ("url", "most"),
    [
        # the page (1), its links and tags (1), its versions (1), and in one query its tools, the
        # territories where it was used and its related fiches (1)
        ("/methodes/forum-ouvert/", 4),
        ("/methodes/porte-a-porte-appreciatif/", 4),
        # the page, its links, its versions, the methods used there and its related territories
        ("/territoires/leaz/", 4),
        ("/outils/questionnaire-porte-a-porte/", 5),  # and its files
    ],
)
def test_a_fiche_reads_the_database_a_few_times(client, url, most):
    assert count_queries(client, url) <= most

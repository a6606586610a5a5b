"""Territory pages run a constant number of SQL queries whatever the number of territories."""

from urllib.parse import urlencode

import pytest

from bench.synthetic import populate
from territories.assessment import grid
from territories.models import TerritoryPage
from tests.views.test_query_counts import MAX_QUERIES, count_queries

# They measure the speed layer's own path, with every shortcut on (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("with_shortcuts")]


def urls() -> list[str]:
    answers = urlencode({**{c.slug: n % 4 for n, c in enumerate(grid())}, "population": "moins-de-1000"})
    synthetic = TerritoryPage.objects.live().filter(slug__startswith="synthetique-").order_by("pk").first()
    return [
        "/territoires/",
        "/territoires/?region=Nouvelle-Aquitaine&population=moins-de-1000",
        "/territoires/?association=la-traverse&methode=residence-de-territoire&type=commune&page=2",
        "/territoires.geojson",
        "/territoires.geojson?region=Occitanie",
        "/territoires/lunas/",
        synthetic.url,
        f"/autodiagnostic/resultat/?{answers}",
        "/autodiagnostic/",
        "/feuille-de-route/",
        "/methodes/porte-a-porte-appreciatif/",  # its provenance
    ]


def test_queries_are_the_same_with_10_and_200_territories(client, home):
    populate(methods=20, tools=2, territories=3, log=lambda message: None)  # 3 + the 7 of the demo
    assert TerritoryPage.objects.live().count() == 10
    pages = urls()
    small = {url: count_queries(client, url) for url in pages}
    populate(territories=190, log=lambda message: None)
    assert TerritoryPage.objects.live().count() == 200
    for url in pages:
        assert count_queries(client, url) <= small[url], url
        assert small[url] <= MAX_QUERIES, (url, small[url])


@pytest.mark.parametrize(
    ("url", "most"),
    [
        ("/territoires/", 2),  # the index page; the atlas is read once per change of content
        ("/territoires.geojson", 0),
        ("/feuille-de-route/", 3),  # the live actions, their fiches, those fiches' titles
        ("/territoires/leaz/", 4),  # as before: its case study is read once per change of content
    ],
)
def test_territory_pages_read_the_database_a_few_times(client, url, most):
    assert count_queries(client, url) <= most

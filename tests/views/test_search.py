"""`/recherche/` and `/recherche/suggestions/`: results, empty states, hostile input, speed."""

import json
import re

from django.core.cache import cache

import pytest

from commons.search import SUGGESTIONS_SHOWN
from methods.models import MethodPage
from tests.factories import MethodPageFactory, TerritoryPageFactory, ToolPageFactory
from tests.unit.test_search import HOSTILE

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def page_html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def main(html: str) -> str:
    return html.split('<main id="contenu"', 1)[1].split("</main>", 1)[0]


def test_the_header_form_searches_the_whole_commons(client):
    html = page_html(client, "/")
    assert 'action="/recherche/"' in html
    assert 'data-suggest-url="/recherche/suggestions/"' in html
    assert re.search(r'<script src="[^"]*js/search-suggest\.js" defer>', html)


def test_without_a_query_the_page_explains_and_lists_the_questions(client):
    html = main(page_html(client, "/recherche/"))
    assert html.count("<h1") == 1
    assert "Par où commencer ?" in html
    assert 'href="/questions/qui-inclure/"' in html
    assert 'value=""' in html


def test_results_are_labelled_highlighted_and_linked(client, method_index, tool_index, territory_index):
    method = MethodPageFactory(
        parent=method_index, title="Veillée des élus", summary="Une veillée résiliente."
    )
    tool = ToolPageFactory(parent=tool_index, title="Carnet de veillée", summary="Pour noter.")
    territory = TerritoryPageFactory(
        parent=territory_index, title="Hameau", summary="Ici.", body="On y fait une **veillée** chaque hiver."
    )
    html = main(page_html(client, "/recherche/?q=veillees"))
    assert html.count("<h1") == 1
    assert 'value="veillees"' in html
    assert "3 résultats pour « <strong>veillees</strong> »" in html
    for fiche, kind in [(method, "Méthode"), (tool, "Outil"), (territory, "Territoire")]:
        assert f'<a href="{fiche.url}">{fiche.title}</a>' in html
        assert f'<p class="search-hit__type">{kind}</p>' in html
    assert "Une <mark>veillée</mark> résiliente." in html
    assert "On y fait une <mark>veillée</mark> chaque hiver." in html  # body text, without Markdown


def test_associations_are_found_and_labelled(client):
    html = main(page_html(client, "/recherche/?q=soluclimat"))
    assert '<a href="/associations/solucracy/">' in html
    assert '<p class="search-hit__type">Association</p>' in html
    assert "<mark>Soluclimat</mark>" in html


def test_no_result_suggests_close_spellings_and_the_questions(client):
    cache.clear()
    html = main(page_html(client, "/recherche/?q=concertaton"))
    assert "Aucun résultat pour « concertaton »" in html
    assert 'Essayez :\n    <a href="?q=concertation">concertation</a>' in html
    assert 'href="/questions/qui-inclure/"' in html
    assert "concertation" in main(page_html(client, "/recherche/?q=concertation"))


def test_punctuation_only_explains_what_is_searched(client):
    html = main(page_html(client, "/recherche/?q=%21%21%21+%3F%3F%3F+---"))
    assert "Aucun résultat pour « !!! ??? --- »" in html
    assert "saisissez au moins un mot" in html


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_give_a_clear_page(client, query):
    response = client.get("/recherche/", {"q": query, "page": "-1"})
    assert response.status_code == 200
    html = main(response.content.decode())
    assert html.count("<h1") == 1
    assert "<script>alert" not in html
    suggestions = client.get("/recherche/suggestions/", {"q": query})
    assert suggestions.status_code == 200
    assert isinstance(suggestions.json(), list)


def test_the_query_and_the_content_are_escaped(client, method_index):
    MethodPageFactory(
        parent=method_index,
        title="Méthode <i>dugong</i>",
        summary='Le dugong <img src=x onerror="alert(1)"> & <script>alert(2)</script>',
    )
    html = main(page_html(client, "/recherche/?q=dugong"))
    assert "<script>" not in html and "<img" not in html and "<i>" not in html
    assert "Le <mark>dugong</mark> &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "Méthode &lt;i&gt;dugong&lt;/i&gt;" in html  # titles are escaped, not highlighted
    html = main(page_html(client, "/recherche/?q=%3Cscript%3Ealert(1)%3C/script%3E%22"))
    assert "<script>" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;&quot;"' in html


def test_drafts_are_never_shown(client, method_index):
    page = MethodPageFactory(parent=method_index, title="Méthode lamantin", live=False)
    page.save_revision()
    assert "Aucun résultat" in page_html(client, "/recherche/?q=lamantin")
    assert client.get("/recherche/suggestions/?q=laman").json() == []


def test_results_are_paginated(client, method_index):
    for n in range(23):
        MethodPageFactory(parent=method_index, title=f"Méthode narval {n}")
    first = main(page_html(client, "/recherche/?q=narval"))
    assert "23 résultats" in first and "page 1 sur 2" in first
    assert first.count('class="search-hit ') == 20
    assert 'href="?q=narval&amp;page=2"' in first
    second = main(page_html(client, "/recherche/?q=narval&page=2"))
    assert second.count('class="search-hit ') == 3
    assert '<ol class="search-results" start="21">' in second
    assert main(page_html(client, "/recherche/?q=narval&page=abc")).count('class="search-hit ') == 20


def test_suggestions_are_titles_of_live_fiches(client, method_index):
    method = MethodPageFactory(parent=method_index, title="Théâtre des tatous")
    response = client.get("/recherche/suggestions/?q=theatre+des+tat")
    assert response["Content-Type"] == "application/json"
    assert response.json() == [{"title": "Théâtre des tatous", "url": method.url, "type": "Méthode"}]
    for n in range(10):
        MethodPageFactory(parent=method_index, title=f"Tatou {n}")
    assert len(client.get("/recherche/suggestions/?q=tatou").json()) == SUGGESTIONS_SHOWN
    assert client.get("/recherche/suggestions/?q=").json() == []
    assert json.loads(client.get("/recherche/suggestions/?q=%00").content) == []


def test_the_search_page_runs_a_constant_number_of_queries(
    client, method_index, tool_index, django_assert_max_num_queries
):
    def count(url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()  # the worst case: nothing cached (site root paths, vocabulary)
        with django_assert_max_num_queries(MAX_QUERIES), CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    def add(number: int) -> None:
        # Identical texts rank alike, so every page of results holds both types (one query each).
        for _n in range(number):
            for factory, parent in [(MethodPageFactory, method_index), (ToolPageFactory, tool_index)]:
                factory(parent=parent, title="Baleine", summary="Une baleine.", body="Le chant.")

    urls = ["/recherche/?q=baleine", "/recherche/?q=baleine&page=2", "/recherche/?q=baleyne", "/recherche/"]
    add(3)
    few = [count(url) for url in urls]
    add(40)
    many = [count(url) for url in urls]
    assert few == many, (few, many)
    assert MethodPage.objects.live().filter(title="Baleine").count() == 43

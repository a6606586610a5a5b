"""The API's lists cost the same number of queries whatever their length, read what the
framework would, are served from the page cache, and answer GET from any origin (CORS)."""

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

import pytest

from commons.speed.shortcuts import SHORTCUTS
from methods.models import MethodPage
from tests.views.test_query_counts import add_methods, keep_only

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v2/pages/?type=methods.MethodPage&fields=*&limit=100",
    "/api/v2/pages/?type=territories.TerritoryPage&fields=*&limit=100",
    "/api/v2/pages/?fields=*&limit=100",
    "/api/v2/pages/?type=methods.MethodPage&question=qui-inclure&fields=*&limit=100",
    "/api/v2/pages/?type=methods.MethodPage&search=atelier&fields=*&limit=100",
    "/api/v2/documents/?fields=*&limit=100",
]
MAX_QUERIES = 15


def add_methods_with_documents(method_index, count: int) -> None:
    """Live methods linked to every kind of term, each with a document, like real fiches."""
    add_methods(method_index, count)
    for n in range(count):
        get_document_model().objects.create(
            title=f"Fichier {n}", file=ContentFile(b"a;b\n", name=f"f{n}.csv")
        )


@pytest.mark.usefixtures("with_shortcuts")
def test_lists_cost_the_same_with_3_and_15_methods(client, method_index, django_assert_max_num_queries):
    keep_only(0)
    add_methods_with_documents(method_index, 3)
    small = {}
    for url in LISTS:
        client.get(url)  # warms the per-generation caches
        with django_assert_max_num_queries(MAX_QUERIES, info=url) as context:
            assert client.get(url).status_code == 200, url
        small[url] = len(context.captured_queries)
    add_methods_with_documents(method_index, 12)
    for url in LISTS:
        client.get(url)
        with django_assert_max_num_queries(small[url], info=url):
            response = client.get(url)
        assert response.status_code == 200
    assert client.get(LISTS[0]).json()["meta"]["total_count"] == 15


@pytest.mark.parametrize("url", [*LISTS, "/api/v2/pages/", "/api/v2/pages/?defi=3", "/api/v2/images/"])
def test_the_api_is_the_same_with_the_frameworks_own_path(client, settings, url):
    settings.COMMONS_FALLBACKS = frozenset()
    fast = client.get(url)
    settings.COMMONS_FALLBACKS = frozenset(SHORTCUTS)
    framework = client.get(url)
    assert fast.status_code == framework.status_code == 200
    assert fast.json() == framework.json()


@pytest.mark.usefixtures("with_shortcuts")
def test_api_lists_are_served_from_the_page_cache_with_their_cors_header(client, settings):
    settings.PAGE_CACHE_SECONDS = 600
    url = "/api/v2/pages/?type=methods.MethodPage"
    assert client.get(url)["X-Page-Cache"] == "miss"
    hit = client.get(url, HTTP_ORIGIN="https://reutilisateur.example")
    assert hit["X-Page-Cache"] == "hit"
    assert hit["Access-Control-Allow-Origin"] == "*"
    MethodPage.objects.get(slug="forum-ouvert").unpublish()  # a publication empties the cache
    fresh = client.get(url)
    assert fresh["X-Page-Cache"] == "miss" and "forum-ouvert" not in fresh.content.decode()


def test_cors_is_open_for_get_on_the_api_only(client):
    origin = {"HTTP_ORIGIN": "https://reutilisateur.example"}
    response = client.get("/api/v2/pages/", **origin)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    preflight = client.options("/api/v2/pages/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **origin)
    assert preflight.status_code == 200
    allowed = {method.strip() for method in preflight["Access-Control-Allow-Methods"].split(",")}
    assert allowed == {"GET", "HEAD", "OPTIONS"}
    assert "Access-Control-Allow-Origin" not in client.get("/methodes/forum-ouvert/", **origin)

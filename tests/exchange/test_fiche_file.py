"""`<fiche>/fiche.md`: the live fiche in the exchange format, with what its reader needs to credit it."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import PageViewRestriction

import pytest
import yaml

from commons.exchange.reading import read_fiche
from methods.models import MethodPage, ToolPage
from territories.models import MethodUse, TerritoryAction, TerritoryPage
from tests.conftest import publish


def split(text: str) -> tuple[dict, str]:
    _empty, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


@pytest.mark.django_db
def test_a_method_as_a_file(client):
    page = MethodPage.objects.live().get(slug="arpentage")
    response = client.get(f"{page.url}fiche.md")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/markdown; charset=utf-8"
    meta, body = split(response.content.decode("utf-8"))
    assert meta["title"] == page.title and meta["license"] == page.license
    assert meta["url"] == f"http://testserver{page.url}"
    assert meta["revision"] == page.live_revision_id
    assert meta["version_date"].startswith(f"{page.last_published_at:%Y-%m-%d}")
    assert meta["contributors"] == [a.name for a in page.associations.all()]
    assert meta["license_url"].startswith("https://creativecommons.org/")
    assert set(meta["questions"]) == set(page.questions.values_list("slug", flat=True))
    assert body.strip() == page.body.strip()


@pytest.mark.django_db
def test_the_file_reads_back_with_the_exchange_reader(client, tmp_path):
    """Its reader's fields (address, version…) are accepted and ignored on import."""
    page = TerritoryPage.objects.live().filter(method_uses__isnull=False).first()
    path = tmp_path / "territories" / f"{page.slug}.md"
    path.parent.mkdir()
    path.write_bytes(client.get(f"{page.url}fiche.md").content)
    problems = []
    fiche = read_fiche(path, "territories", problems)
    assert problems == [] and fiche.meta["methods_used"]


@pytest.mark.django_db
def test_a_draft_is_not_in_the_file(client):
    page = ToolPage.objects.live().get(slug="matrice-amof")
    page.summary = "Résumé du brouillon"
    page.save_revision()
    text = client.get(f"{page.url}fiche.md").content.decode("utf-8")
    assert "Résumé du brouillon" not in text
    assert split(text)[0]["summary"] == ToolPage.objects.get(pk=page.pk).summary


@pytest.mark.django_db
def test_unpublished_private_and_missing_fiches_have_no_file(client):
    unpublished = MethodPage.objects.live().get(slug="forum-ouvert")
    url = unpublished.url
    unpublished.unpublish()
    assert client.get(f"{url}fiche.md").status_code == 404
    private = MethodPage.objects.live().get(slug="world-cafe")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    response = client.get(f"{private.url}fiche.md")  # Wagtail's password form, not the file
    assert response["Content-Type"].startswith("text/html") and b"summary:" not in response.content
    assert client.get("/methodes/inconnue/fiche.md").status_code == 404


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.django_db
def test_the_file_runs_a_constant_number_of_queries(client, django_assert_max_num_queries, with_shortcuts):
    """However many uses, projects, actions, terms a territory lists: one query per list."""
    page = TerritoryPage.objects.live().filter(method_uses__isnull=False, actions__isnull=False).first()
    url = f"{page.url}fiche.md"
    before = queries_for(client, url)
    methods = list(MethodPage.objects.live()[:8])
    for method in methods:
        page.method_uses.add(MethodUse(method=method, how_it_went="Bien."))
        page.actions.add(TerritoryAction(title=f"Action {method.slug}", status="fait"))
    publish(page)
    assert page.method_uses.count() >= len(methods)
    assert queries_for(client, url) == before
    with django_assert_max_num_queries(22):
        client.get(url)

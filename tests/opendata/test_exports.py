"""`/export/commons.json` and `/export/<type>.csv`: valid formats, only public content, 304s."""

import csv
import io
import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from commons import fiche_types
from methods.models import MethodPage
from tests.conftest import publish
from tests.factories import MethodPageFactory
from tests.opendata.conftest import body_text

pytestmark = pytest.mark.django_db

EXPORTS = ["/export/commons.json", "/export/methodes.csv", "/export/outils.csv", "/export/territoires.csv"]


def public_count() -> int:
    return sum(t.model.objects.live_public().count() for t in fiche_types.fiche_types())


def read_json(client) -> dict:
    response = client.get("/export/commons.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(body_text(response))


def read_csv(client, url="/export/methodes.csv") -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    text = body_text(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_the_json_export_holds_every_public_fiche_with_its_licence_and_addresses(client):
    data = read_json(client)
    assert data["name"] == "Communs des transitions"
    assert "citez" in data["license_notice"]
    assert {entry["code"] for entry in data["licenses"]} >= {"CC-BY-SA-4.0", "CC0-1.0"}
    assert len(data["fiches"]) == public_count() > 30
    assert {fiche["type"] for fiche in data["fiches"]} == fiche_types.kinds()
    forum = next(fiche for fiche in data["fiches"] if fiche["slug"] == "forum-ouvert")
    assert forum["title"] == "Forum ouvert"
    assert forum["url"] == "http://testserver/methodes/forum-ouvert/"
    assert forum["fiche_file_url"] == forum["url"] + "fiche.md"
    assert forum["license"] == "CC-BY-4.0"
    assert forum["license_url"].startswith("https://creativecommons.org/licenses/by/4.0/")
    assert forum["associations"] == ["react"]
    assert "forum ouvert" in forum["tags"]
    assert forum["duration"] == "demi-journee" and forum["group_size_max"] == 2000
    assert "mobiliser" in forum["phases"]
    leaz = next(fiche for fiche in data["fiches"] if fiche["slug"] == "leaz")
    assert isinstance(leaz["latitude"], float) and leaz["accompanying_associations"]


def test_the_methods_csv_parses_with_french_headers_and_one_row_per_method(client):
    response = client.get("/export/methodes.csv")
    assert response["Content-Disposition"] == 'attachment; filename="methodes.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(client)
    assert len(rows) == MethodPage.objects.live_public().count()
    forum = next(row for row in rows if row["Identifiant"] == "forum-ouvert")
    assert forum["Titre"] == "Forum ouvert"
    assert forum["Licence"] == "CC BY 4.0"
    assert forum["Texte de la licence"].startswith("https://creativecommons.org/")
    assert forum["Durée"] == "Une demi-journée"  # the label, not the stored value
    assert forum["Associations contributrices"] == "REACT"
    assert " ; " in forum["Mots-clés"]
    assert forum["Adresse"] == "http://testserver/methodes/forum-ouvert/"


def test_a_cell_that_would_be_a_formula_is_written_as_text(client, method_index):
    publish(MethodPageFactory(parent=method_index, title="=HYPERLINK(1)", slug="formule"))
    row = next(row for row in read_csv(client) if row["Identifiant"] == "formule")
    assert row["Titre"] == "'=HYPERLINK(1)"


def test_an_unknown_export_is_a_404(client):
    assert client.get("/export/inconnu.csv").status_code == 404


def test_nothing_unpublished_or_private_is_exported(client, hidden):
    texts = [body_text(client.get(url)) for url in EXPORTS]
    for text in texts:
        for secret in [*hidden["titles"], *hidden["slugs"]]:
            assert secret not in text
    assert "Forum ouvert" in texts[0]  # the live version of the fiche with a draft


def test_a_client_with_the_current_version_gets_a_304(client):
    for url in EXPORTS:
        first = client.get(url)
        body_text(first)
        assert first["ETag"] and first["Last-Modified"]
        assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_a_publication_changes_the_etag(client):
    etag = client.get("/export/commons.json")["ETag"]
    publish(MethodPage.objects.get(slug="forum-ouvert"))
    response = client.get("/export/commons.json", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and response["ETag"] != etag


def consumed_queries(client, url: str) -> int:
    body_text(client.get(url))  # the per-generation caches are warm after the first request
    with CaptureQueriesContext(connection) as context:
        assert body_text(client.get(url))
    return len(context.captured_queries)


@pytest.mark.usefixtures("with_shortcuts")
def test_the_exports_run_the_same_queries_at_any_size(client, method_index):
    small = {url: consumed_queries(client, url) for url in EXPORTS}
    tools = list(fiche_types.fiche_type("tools").model.objects.live())
    for n in range(40):
        page = MethodPageFactory(parent=method_index, title=f"Méthode ajoutée {n}")
        page.tools.set(tools[n % 3 : n % 3 + 1])
        page.tags.set([f"mot-{n % 5}"])
        publish(page)
    for url in EXPORTS:
        assert consumed_queries(client, url) == small[url] <= 8, url

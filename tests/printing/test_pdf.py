"""`<fiche>/pdf/`: a real A4 PDF of the live fiche, rendered once per published revision."""

import builtins
import re
import sys
import zlib
from unittest import mock

from wagtail.models import PageViewRestriction

import pytest

from commons.printing import pdf as printing
from methods.models import MethodPage, ToolPage
from territories.models import TerritoryPage
from tests.conftest import publish
from tests.factories import MethodPageFactory

pytestmark = pytest.mark.django_db

FORUM = "/methodes/forum-ouvert/pdf/"


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes with every compressed stream inflated (WeasyPrint packs objects in streams)."""
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue  # an image, a font
    return b"\n".join(parts)


def page_count(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf_objects(pdf)))


def pdf_titles(pdf: bytes) -> list[str]:
    """The /Title strings of the PDF (metadata and outline), literal or UTF-16 hex."""
    objects = pdf_objects(pdf)
    titles = [m.decode("latin-1") for m in re.findall(rb"/Title\s*\(([^)]*)\)", objects)]
    titles += [
        bytes.fromhex(m.decode()).decode("utf-16") for m in re.findall(rb"/Title\s*<([0-9A-Fa-f]+)>", objects)
    ]
    return titles


def document_text(page, rf) -> str:
    """Every line WeasyPrint laid out on the PDF's pages, in order."""
    from weasyprint.formatting_structure import boxes

    def texts(box):
        if isinstance(box, boxes.TextBox):
            yield box.text
        for child in getattr(box, "children", None) or []:
            yield from texts(child)

    request = rf.get(page.url + "pdf/")
    document = printing.render_fiche_document(page, request)
    return " ".join(" ".join(texts(p._page_box)) for p in document.pages)


def test_a_fiche_is_a_pdf_with_its_title_citation_and_licence(client, rf):
    response = client.get(FORUM)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="forum-ouvert.pdf"'
    assert response["ETag"].startswith('"pdf-')
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    assert page_count(pdf) >= 1
    assert "Forum ouvert" in pdf_titles(pdf)
    forum = MethodPage.objects.get(slug="forum-ouvert")
    text = document_text(forum, rf)
    assert "Forum ouvert" in text and forum.summary[:40] in text
    assert "Comment citer cette fiche" in text
    assert forum.license_url in text and "/methodes/forum-ouvert/" in text
    assert re.search(r"Page 1 sur \d", text)  # the page numbers in the margin


@pytest.mark.parametrize("model", [ToolPage, TerritoryPage])
def test_every_type_of_fiche_has_its_pdf(client, model):
    page = model.objects.live().first()
    response = client.get(page.url + "pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert page_count(response.content) >= 1


def test_the_second_request_is_served_from_the_cache(client):
    with mock.patch.object(printing, "render_fiche_pdf", wraps=printing.render_fiche_pdf) as render:
        first = client.get(FORUM)
        second = client.get(FORUM)
    assert render.call_count == 1
    assert first.content == second.content and first["ETag"] == second["ETag"]
    not_modified = client.get(FORUM, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified["ETag"] == first["ETag"]


def test_a_new_publication_gives_a_new_pdf(client):
    first = client.get(FORUM)
    forum = MethodPage.objects.get(slug="forum-ouvert")
    forum.title = "Forum ouvert revu"
    publish(forum)
    second = client.get(FORUM)
    assert second["ETag"] != first["ETag"]
    assert "Forum ouvert revu" in pdf_titles(second.content)
    assert client.get(FORUM, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_draft_change_of_a_live_page_stays_out_of_its_pdf(client):
    forum = MethodPage.objects.get(slug="forum-ouvert")
    forum.title = "Titre en brouillon"
    forum.body = "## Brouillon\n\nTexte jamais publié"
    forum.save_revision()
    rendered = []
    real_html = printing.render_to_string

    def spy(*args, **kwargs):
        rendered.append(real_html(*args, **kwargs))
        return rendered[-1]

    with mock.patch.object(printing, "render_to_string", spy):
        response = client.get(FORUM)
    assert response.status_code == 200
    assert "Forum ouvert" in pdf_titles(response.content)
    assert "Titre en brouillon" not in pdf_titles(response.content)
    assert "jamais publié" not in rendered[0] and "Forum ouvert" in rendered[0]


def test_missing_draft_and_unpublished_pages_have_no_pdf(client, method_index):
    assert client.get("/methodes/fiche-inexistante/pdf/").status_code == 404
    draft = MethodPageFactory(parent=method_index, title="Méthode en brouillon", live=False)
    draft.save_revision()
    assert client.get(f"/methodes/{draft.slug}/pdf/").status_code == 404
    forum = MethodPage.objects.get(slug="forum-ouvert")
    assert client.get(FORUM).status_code == 200  # cached now: unpublishing must still win
    forum.unpublish()
    assert client.get(FORUM).status_code == 404


@pytest.mark.parametrize("kind", [PageViewRestriction.LOGIN, PageViewRestriction.PASSWORD])
def test_a_restricted_fiche_has_no_public_pdf(client, kind):
    assert client.get(FORUM).status_code == 200
    forum = MethodPage.objects.get(slug="forum-ouvert")
    PageViewRestriction.objects.create(page=forum, restriction_type=kind, password="secret")
    response = client.get(FORUM)
    assert response.get("Content-Type") != "application/pdf"
    assert not response.content.startswith(b"%PDF")


def test_without_weasyprint_the_route_answers_503(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # as if it could not be imported
    response = client.get(FORUM)
    assert response.status_code == 503
    assert "WeasyPrint" in response.content.decode() and "navigateur" in response.content.decode()


def test_missing_system_libraries_are_a_503_not_a_500(client, monkeypatch):
    real_import = builtins.__import__

    def failing_import(name, *args, **kwargs):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", failing_import)
    assert client.get(FORUM).status_code == 503
    assert client.get("/methodes/forum-ouvert/").status_code == 200  # the site works on


def test_the_fiche_links_to_its_pdf_but_not_its_past_versions(client):
    html = client.get("/methodes/forum-ouvert/").content.decode()
    assert 'href="/methodes/forum-ouvert/pdf/"' in html and "Télécharger en PDF" in html
    forum = MethodPage.objects.get(slug="forum-ouvert")
    version = client.get(f"/methodes/forum-ouvert/historique/{forum.live_revision_id}/")
    assert version.status_code == 200 and "Télécharger en PDF" not in version.content.decode()

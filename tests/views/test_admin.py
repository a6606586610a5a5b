"""The Wagtail admin: French, Markdown editor with live preview, every fiche type editable."""

from django.utils.html import escape

import pytest
from bs4 import BeautifulSoup

from methods.models import MethodIndexPage, MethodPage, ToolPage
from territories.models import TerritoryPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def test_admin_is_in_french(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert 'lang="fr"' in html
    assert "Tableau de bord" in html or "Pages" in html


@pytest.mark.parametrize("model", [MethodPage, ToolPage, TerritoryPage])
def test_edit_view_uses_the_markdown_editor(admin_client, model):
    page = model.objects.live().first()
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "markdownx" in html  # django-markdownx's editor and preview
    assert 'data-markdownx-urls-path="/markdownx/markdownify/"' in html
    assert "En bref" in html


def edit_form_data(html: str) -> dict[str, list[str]]:
    """What the browser would post from the admin's edit form, as it stands."""
    form = BeautifulSoup(html, "html.parser").find("form", id="page-edit-form")
    data: dict[str, list[str]] = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name, kind = field.get("name"), field.get("type", "")
        if not name or kind in ("submit", "button", "file") or field.has_attr("disabled"):
            continue
        if kind in ("checkbox", "radio") and not field.has_attr("checked"):
            continue
        if field.name == "textarea":
            values = [field.text.removeprefix("\n")]
        elif field.name == "select":
            values = [option.get("value", option.text) for option in field.find_all("option", selected=True)]
        else:
            values = [field.get("value", "on" if kind in ("checkbox", "radio") else "")]
        data.setdefault(name, []).extend(values)
    return data


@pytest.mark.parametrize("model", [MethodPage, ToolPage, TerritoryPage])
def test_preview_of_a_fiche_shows_the_unsaved_edit(admin_client, model):
    """The editor's preview: the form is posted (checked valid), then rendered with the change."""
    page = model.objects.live().first()
    data = edit_form_data(admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode())
    data["title"] = ["Titre modifié pour l'aperçu"]
    url = f"/admin/pages/{page.pk}/edit/preview/"
    answer = admin_client.post(url, data)
    assert answer.status_code == 200
    assert answer.json()["is_valid"] is True, answer.json()
    preview = admin_client.get(url)
    assert preview.status_code == 200
    html = preview.content.decode()
    assert "Titre modifié pour l&#x27;aperçu" in html or "Titre modifié pour l'aperçu" in html
    assert escape(page.summary) in html
    assert model.objects.get(pk=page.pk).title == page.title  # a preview saves nothing


def test_a_preview_of_an_invalid_form_says_so(admin_client):
    page = MethodPage.objects.live().first()
    data = edit_form_data(admin_client.get(f"/admin/pages/{page.pk}/edit/").content.decode())
    data["duration"] = ["pas-une-duree"]  # not one of the choices
    answer = admin_client.post(f"/admin/pages/{page.pk}/edit/preview/", data)
    assert answer.status_code == 200
    assert answer.json()["is_valid"] is False


def test_create_method_in_admin_renders_its_body(admin_client):
    index = MethodIndexPage.objects.get()
    url = f"/admin/pages/add/methods/methodpage/{index.pk}/"
    assert admin_client.get(url).status_code == 200
    data = {
        "title": "Méthode créée dans l'admin",
        "slug": "methode-creee-admin",
        "summary": "Un résumé.",
        "body": "## Objectifs\n\n<script>alert(1)</script>\n\nTexte **gras**",
        "license": "CC-BY-SA-4.0",
        "audience": "tous",
        "duration": "",
        "difficulty": "",
        "cost": "",
        "tags": "",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    page = MethodPage.objects.get(slug="methode-creee-admin")
    assert not page.live
    assert "<strong>gras</strong>" in page.latest_revision.as_object().body_html
    assert "<script" not in page.latest_revision.as_object().body_html


@pytest.mark.parametrize(
    ("model", "slug", "section"),
    [
        (MethodPage, "porte-a-porte-appreciatif", "outils-utilises"),
        (ToolPage, "questionnaire-porte-a-porte", "methodes-outil"),
        (TerritoryPage, "leaz", "methodes-utilisees"),
    ],
)
def test_a_preview_renders_the_fiche_with_the_links_it_holds(model, slug, section):
    """What the editor previews is the fiche rebuilt from its form or revision, links in memory."""
    page = model.objects.get(slug=slug).save_revision().as_object()
    assert page.has_links_in_memory()
    response = page.make_preview_request()
    assert response.status_code == 200
    html = response.content.decode()
    assert f'aria-labelledby="{section}"' in html
    assert "Fiches proches" in html
    assert "bound method" not in html and "object at 0x" not in html

"""The Wagtail admin: French, Markdown editor with live preview, every fiche type editable."""

import pytest

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


@pytest.mark.parametrize("model", [MethodPage, ToolPage, TerritoryPage])
def test_preview_of_a_fiche_renders(admin_client, model):
    page = model.objects.live().first()
    response = admin_client.get(f"/admin/pages/{page.pk}/edit/preview/")
    assert response.status_code in (200, 400)  # 400: no preview data posted yet, never a 500


def test_create_method_in_admin_renders_its_body(admin_client):
    index = MethodIndexPage.objects.get()
    url = f"/admin/pages/add/methods/methodpage/{index.pk}/"
    assert admin_client.get(url).status_code == 200
    data = {
        "title": "Méthode créée dans l'admin",
        "slug": "methode-creee-admin",
        "summary": "Un résumé.",
        "body": "## Objectifs\n\n<script>alert(1)</script>Texte **gras**",
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

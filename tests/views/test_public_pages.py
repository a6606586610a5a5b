"""Every public URL of the foundation answers, in French, with what it must show."""

from django.utils.html import escape

from wagtail.models import Page

import pytest

from commons.models import Association, Phase, Question
from methods.models import MethodPage, ToolPage
from territories.models import TerritoryPage

pytestmark = pytest.mark.django_db


def test_home_shows_questions_with_counts_search_latest_and_partners(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    for question in Question.objects.all():
        assert escape(question.name) in html
        assert question.get_absolute_url() in html
    first = Question.objects.get(slug="par-ou-commencer")
    count = MethodPage.objects.live().filter(questions=first).count()
    assert f"{count} méthodes" in html
    assert 'action="/methodes/"' in html and 'name="q"' in html
    latest = Page.objects.live().type(MethodPage, ToolPage, TerritoryPage).order_by("-last_published_at")
    for fiche in latest[:6]:
        assert escape(fiche.title) in html
    for association in Association.objects.all():
        assert association.get_absolute_url() in html


def test_question_page_lists_its_methods_in_phase_order(client):
    question = Question.objects.get(slug="par-ou-commencer")
    response = client.get(question.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(question.name) in html
    assert "Pourquoi cette question compte" in html
    methods = MethodPage.objects.live().filter(questions=question)
    assert methods.exists()
    for method in methods:
        assert method.title in html
    positions = [
        html.find(f"<h3>{escape(phase.name)}</h3>") for phase in Phase.objects.order_by("sort_order")
    ]
    present = [position for position in positions if position >= 0]
    assert len(present) >= 2
    assert present == sorted(present)


def test_unknown_question_is_a_french_404(client):
    response = client.get("/questions/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_question_list(client):
    response = client.get("/questions/")
    assert response.status_code == 200
    assert escape(Question.objects.first().name) in response.content.decode()


def test_method_page_shows_facts_body_taxonomy_license_and_citation(client):
    method = MethodPage.objects.live().get(slug="dessiner-son-territoire")
    response = client.get(method.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(method.title) in html
    assert "En bref" in html and escape(method.summary) in html
    assert "<h2" in html and "Déroulé pas à pas" in html
    assert method.get_duration_display() in html
    assert method.license_url in html and 'rel="license"' in html
    assert "Comment citer cette fiche" in html
    assert "Communs des transitions</cite>, version du" in html
    assert f"http://testserver{method.url}" in html
    for association in method.associations.all():
        assert escape(association.name) in html
    for question in method.questions.all():
        assert question.get_absolute_url() in html


def test_tool_page_lists_its_files_and_version(client):
    tool = ToolPage.objects.live().filter(files__isnull=False).distinct().first()
    response = client.get(tool.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert tool.version in html
    for item in tool.files.all():
        assert item.document.url in html
    assert "Fichiers à télécharger" in html


def test_territory_page_shows_facts_and_methods_used(client):
    territory = TerritoryPage.objects.live().get(slug="leaz")
    response = client.get(territory.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "01209" in html
    assert "Auvergne-Rhône-Alpes" in html
    assert "758" in html
    for use in territory.method_uses.all():
        assert escape(use.method.title) in html
    assert "Solucracy" in html


def test_association_pages_show_contributions(client):
    response = client.get("/associations/")
    assert response.status_code == 200
    association = Association.objects.get(slug="la-traverse")
    assert association.get_absolute_url() in response.content.decode()
    detail = client.get(association.get_absolute_url())
    assert detail.status_code == 200
    html = detail.content.decode()
    for territory in TerritoryPage.objects.live().filter(accompanying_associations=association):
        assert escape(territory.title) in html
    for method in MethodPage.objects.live().filter(associations=association):
        assert escape(method.title) in html


def test_unknown_association_is_a_french_404(client):
    response = client.get("/associations/inconnue/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "model", "heading"),
    [
        ("/outils/", ToolPage, "Outils"),
        ("/territoires/", TerritoryPage, "Territoires"),
        ("/methodes/", MethodPage, "Méthodes"),
    ],
)
def test_index_pages_list_their_live_fiches(client, url, model, heading):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and heading in html
    fiches = model.objects.live().public()
    assert fiches.exists()
    shown = [fiche for fiche in fiches if fiche.url in html]
    assert shown, "aucune fiche listée"
    if model is MethodPage:  # the faceted listing of methods and tools counts them all, and pages them
        listed = fiches.count() + ToolPage.objects.live().public().count()
        assert f'<h2 id="resultats" aria-live="polite">{listed} fiches</h2>' in html
    else:
        assert len(shown) == fiches.count()


def test_sitemap_lists_pages_questions_and_associations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    xml = response.content.decode()
    method = MethodPage.objects.live().first()
    assert method.url in xml
    assert "/questions/par-ou-commencer/" in xml
    assert "/associations/solucracy/" in xml


def test_robots_txt(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_missing_page_is_a_french_404(client):
    response = client.get("/methodes/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_accessible_layout(client):
    html = client.get("/").content.decode()
    assert 'class="skip-link" href="#contenu"' in html
    assert '<main id="contenu"' in html
    assert 'role="banner"' in html and 'role="contentinfo"' in html
    assert 'aria-label="Navigation principale"' in html
    assert html.count("<h1") == 1
    assert 'name="viewport"' in html
    assert "print.css" in html


def test_markdown_preview_is_for_admin_users_only(client, django_user_model):
    assert client.post("/markdownx/markdownify/", {"content": "# Titre"}).status_code == 403
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(admin)
    response = client.post("/markdownx/markdownify/", {"content": "# Titre\n<script>x</script>"})
    assert response.status_code == 200
    assert "<h1" in response.content.decode() and "<script" not in response.content.decode()
    assert client.post("/markdownx/markdownify/", {}).status_code == 200
    assert client.get("/markdownx/markdownify/").status_code == 405


def test_home_lists_questions_in_editorial_order(client):
    html = client.get("/").content.decode()
    positions = [html.find(q.get_absolute_url()) for q in Question.objects.order_by("sort_order")]
    assert all(position >= 0 for position in positions)
    assert positions == sorted(positions)
    assert Question.objects.order_by("sort_order").first().slug == "par-ou-commencer"


def test_server_error_page_is_french_and_standalone(rf):
    from django.views.defaults import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert '<html lang="fr">' in html and "Une erreur est survenue" in html


def test_association_page_stays_light_and_links_to_the_full_listing(client, method_index):
    from commons.views.pages import CARDS_SHOWN
    from tests.conftest import publish
    from tests.factories import MethodPageFactory

    association = Association.objects.get(slug="react")
    for n in range(CARDS_SHOWN + 3):
        page = MethodPageFactory(parent=method_index, title=f"Méthode du réseau {n}")
        page.associations.set([association])
        publish(page)
    html = client.get(association.get_absolute_url()).content.decode()
    methods_section = html.split("<h3>Méthodes</h3>")[1].split("<h3>Outils</h3>")[0]
    assert methods_section.count('class="card ') == CARDS_SHOWN
    assert "/methodes/?association=react&amp;type=methode" in methods_section


def public_urls() -> list[str]:
    """Every live page of the demo, their history pages, and the views that are not pages."""
    pages = [page.url for page in Page.objects.live().filter(depth__gt=1).specific()]
    fiches = [page.url for page in Page.objects.live().type(MethodPage, ToolPage, TerritoryPage)]
    views = ["/questions/", "/associations/", "/recherche/", "/recherche/?q=atelier", "/recherche/?q=zzzz"]
    views += [question.get_absolute_url() for question in Question.objects.all()]
    views += [association.get_absolute_url() for association in Association.objects.all()]
    views += ["/methodes/?question=par-ou-commencer&tri=titre", "/methodes/?page=2", "/nexiste-pas/"]
    return pages + [f"{url}historique/" for url in fiches] + views


def version_urls() -> list[str]:
    """A version page and a diff page of a fiche of each type edited twice."""
    from commons import history

    urls = []
    for model in (MethodPage, ToolPage, TerritoryPage):
        fiche = model.objects.live().first()
        fiche.summary += " Mise à jour."
        fiche.save_revision(log_action=True).publish()
        older, newer = (version.number for version in history.published_revisions(fiche)[1::-1])
        urls += [history.version_url(fiche, older), history.diff_url(fiche, older, newer)]
    return urls


def test_no_page_shows_a_python_object_instead_of_its_text(client):
    """A method left uncalled or an object without text in a template shows as `<bound method …>`."""
    for url in public_urls() + version_urls():
        response = client.get(url)
        assert response.status_code == (404 if url == "/nexiste-pas/" else 200), url
        html = response.content.decode()
        for leak in ("bound method", " object at 0x", "Undefined", "None</", ">None<"):
            assert leak not in html, (url, leak)


@pytest.mark.parametrize("name", ["400.html", "403.html", "404.html", "500.html"])
def test_error_pages_render_even_without_a_request(name):
    """Django renders some error pages without the request; they must never fail in turn."""
    from django.template import loader

    html = loader.get_template(name).render()
    assert '<html lang="fr">' in html and "Revenir à l'accueil" in html


def test_the_section_of_the_page_is_marked_in_the_navigation(client):
    html = client.get("/methodes/forum-ouvert/").content.decode()
    assert '<a href="/methodes/" aria-current="page">Méthodes et outils</a>' in html
    assert html.count('aria-current="page">') == 2  # the section, and the fiche in the breadcrumb

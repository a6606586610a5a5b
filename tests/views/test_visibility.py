"""Drafts and unpublished revisions never reach the public, wherever they would show."""

import pytest

from commons.models import Association, Question
from methods.models import MethodPage, ToolPage
from territories.models import MethodUse, TerritoryPage
from tests.conftest import publish
from tests.factories import MethodPageFactory

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ["/", "/methodes/", "/questions/qui-inclure/", "/associations/solucracy/", "/sitemap.xml"]


@pytest.fixture
def draft(method_index):
    page = MethodPageFactory(parent=method_index, title="Méthode brouillon invisible", live=False)
    page.questions.set([Question.objects.get(slug="qui-inclure")])
    page.associations.set([Association.objects.get(slug="solucracy")])
    page.save_revision()
    territory = TerritoryPage.objects.get(slug="leaz")
    MethodUse.objects.create(page=territory, method=page, how_it_went="Jamais publié")
    tool = ToolPage.objects.live().first()
    page.tools.add(tool)
    page.save()
    return page


def test_a_draft_is_404_and_absent_everywhere(client, draft):
    assert client.get(f"/methodes/{draft.slug}/").status_code == 404
    for url in [*PUBLIC_URLS, "/territoires/leaz/", ToolPage.objects.live().first().url]:
        html = client.get(url).content.decode()
        assert "Méthode brouillon invisible" not in html, url
        assert f"/methodes/{draft.slug}/" not in html, url


def test_unpublished_page_is_404(client):
    method = MethodPage.objects.live().first()
    url = method.url
    assert client.get(url).status_code == 200
    method.unpublish()
    assert client.get(url).status_code == 404
    assert method.title not in client.get("/methodes/?q=" + method.title[:10]).content.decode()


def test_live_page_shows_published_version_not_its_newer_draft(client):
    method = MethodPage.objects.live().get(slug="forum-ouvert")
    method.summary = "Résumé en cours de rédaction, pas encore relu"
    method.body = "## Brouillon\n\nTexte non publié"
    method.save_revision()
    html = client.get("/methodes/forum-ouvert/").content.decode()
    assert "pas encore relu" not in html
    assert "Texte non publié" not in html
    listing = client.get("/methodes/?q=forum").content.decode()
    assert "pas encore relu" not in listing


def test_publishing_makes_the_change_visible(client):
    method = MethodPage.objects.live().get(slug="forum-ouvert")
    method.summary = "Un forum sans ordre du jour préétabli, version revue"
    publish(method)
    assert "version revue" in client.get("/methodes/forum-ouvert/").content.decode()


def test_home_question_counts_ignore_drafts(client, draft):
    question = Question.objects.get(slug="qui-inclure")
    live_count = MethodPage.objects.live().filter(questions=question).count()
    assert f"{live_count} méthodes" in client.get("/").content.decode()


def test_private_pages_are_not_named_on_the_fiches_that_link_to_them(client, method_index):
    """A method used on a territory under a login restriction: neither names the other."""
    from wagtail.models import PageViewRestriction

    method = publish(MethodPageFactory(parent=method_index, title="Méthode réservée aux membres"))
    territory = TerritoryPage.objects.get(slug="leaz")
    MethodUse.objects.create(page=territory, method=method, how_it_went="Dans l'espace membres")
    public_method = MethodPage.objects.live().get(slug="forum-ouvert")
    MethodUse.objects.create(page=territory, method=public_method, how_it_went="Ouvert à tous")
    PageViewRestriction.objects.create(page=method, restriction_type=PageViewRestriction.LOGIN)

    territory_html = client.get(territory.url).content.decode()
    assert "Méthode réservée aux membres" not in territory_html
    assert "Ouvert à tous" in territory_html

    PageViewRestriction.objects.filter(page=method).delete()
    PageViewRestriction.objects.create(page=territory, restriction_type=PageViewRestriction.LOGIN)
    method_html = client.get(public_method.url).content.decode()
    assert territory.title not in method_html and "Ouvert à tous" not in method_html

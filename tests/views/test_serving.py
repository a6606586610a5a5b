"""Pages are routed by their stored url_path, with the site and view restrictions cached."""

from django.contrib.auth.models import Group
from django.db import connection

from wagtail.models import PageViewRestriction, Site

import pytest

from methods.models import MethodIndexPage, MethodPage
from tests.conftest import publish
from tests.factories import MethodPageFactory

# They measure the speed layer's own path, with every shortcut on (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("with_shortcuts")]


def test_pages_and_their_sub_routes_are_found(client):
    method = MethodPage.objects.live().get(slug="forum-ouvert")
    assert client.get("/").status_code == 200
    assert client.get("/methodes/").status_code == 200
    assert client.get("/methodes/forum-ouvert/").context_data["page"] == method
    assert client.get("/methodes/forum-ouvert/historique/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/methodes/nexiste-pas/",
        "/methodes/forum-ouvert/nexiste-pas/",
        "/methodes/forum-ouvert/historique/999999/",
        "/nexiste-pas/forum-ouvert/",
        "/" + "a/" * 40,
        "/outils/forum-ouvert/",  # a method is not under the tools
    ],
)
def test_unknown_paths_are_404(client, url):
    assert client.get(url).status_code == 404


def test_a_page_that_is_not_live_is_404_but_its_live_children_are_served(client, method_index):
    page = publish(MethodPageFactory(parent=method_index, title="Méthode routée"))
    assert client.get(page.url).status_code == 200
    MethodIndexPage.objects.filter(pk=method_index.pk).update(live=False)
    assert client.get("/methodes/").status_code == 404
    assert client.get(page.url).status_code == 200  # as with Wagtail's own routing
    page.unpublish()
    assert client.get(page.url).status_code == 404


def test_a_renamed_slug_moves_the_page(client, method_index):
    page = publish(MethodPageFactory(parent=method_index, title="Ancien nom", slug="ancien-nom"))
    assert client.get("/methodes/ancien-nom/").status_code == 200
    page.slug = "nouveau-nom"
    publish(page)
    assert client.get("/methodes/ancien-nom/").status_code == 404
    assert client.get("/methodes/nouveau-nom/").status_code == 200


def test_unknown_host_falls_back_to_the_default_site(client):
    assert client.get("/methodes/", HTTP_HOST="autre.example.org").status_code == 200
    Site.objects.get().delete()  # the cached site is forgotten with it
    assert client.get("/methodes/", HTTP_HOST="autre.example.org").status_code == 404


def test_a_view_restriction_added_later_is_enforced_at_once(client):
    method = MethodPage.objects.live().get(slug="forum-ouvert")
    assert client.get(method.url).status_code == 200  # the restrictions are now cached (none)
    assert "Forum ouvert" in client.get("/methodes/?type=methode").content.decode()
    restriction = PageViewRestriction.objects.create(page=method, restriction_type="groups")
    restriction.groups.set([Group.objects.get(name="Administrateurs")])
    response = client.get(method.url)
    assert response.status_code == 302 and "login" in response["Location"]
    assert "Forum ouvert" not in client.get("/methodes/?type=methode").content.decode()
    assert "/methodes/forum-ouvert/" not in client.get("/sitemap.xml").content.decode()
    restriction.delete()
    assert client.get(method.url).status_code == 200


def test_a_password_restricted_section_hides_its_pages(client):
    index = MethodIndexPage.objects.get()
    PageViewRestriction.objects.create(page=index, restriction_type="password", password="secret")
    response = client.get("/methodes/forum-ouvert/")
    assert response.status_code == 200 and "Forum ouvert</h1>" not in response.content.decode()
    assert "forum-ouvert" not in client.get("/sitemap.xml").content.decode()


# --- The route table may lag a second behind another worker's change: the database decides. ---


@pytest.fixture
def stale_route_table(monkeypatch):
    """Freeze the route table as it is now, as another worker may still hold it for a second."""
    from commons.speed import serving

    frozen = dict(serving.route_table())
    monkeypatch.setattr(serving, "route_table", lambda: frozen)
    return frozen


def test_a_page_the_table_does_not_know_yet_is_served(client, method_index, stale_route_table):
    page = publish(MethodPageFactory(parent=method_index, title="Toute nouvelle", slug="toute-nouvelle"))
    assert page.url_path not in stale_route_table
    assert client.get("/methodes/toute-nouvelle/").context_data["page"] == page


def test_a_page_renamed_since_the_table_was_read_is_only_at_its_new_address(
    client, method_index, monkeypatch
):
    from commons.speed import serving

    page = publish(MethodPageFactory(parent=method_index, title="Ancien nom", slug="ancien-nom"))
    frozen = dict(serving.route_table())
    page.slug = "nouveau-nom"
    publish(page)
    monkeypatch.setattr(serving, "route_table", lambda: frozen)
    assert client.get("/methodes/ancien-nom/").status_code == 404
    assert client.get("/methodes/nouveau-nom/").context_data["page"] == page


def test_a_page_deleted_since_the_table_was_read_is_404(client, method_index, stale_route_table):
    page = publish(MethodPageFactory(parent=method_index, title="Éphémère", slug="ephemere"))
    stale_route_table[page.url_path] = (page.pk, page.content_type_id)
    page.delete()
    assert client.get("/methodes/ephemere/").status_code == 404


def test_a_fiche_is_found_in_one_query_with_the_table(method_index, django_assert_num_queries, rf):
    from commons.speed import serving

    page = publish(MethodPageFactory(parent=method_index, slug="en-une-requete"))
    site, root = serving.site_for_request(rf.get("/"))
    serving.route(rf.get(page.url), root, page.url)  # warm, as after the first request of a generation
    with django_assert_num_queries(1):
        found, args, kwargs = serving.route(rf.get(page.url), root, page.url)
    assert found == page and type(found) is MethodPage


@pytest.mark.parametrize(
    "url", ["/recherche/?q=atelier", "/questions/qui-inclure/", "/associations/solucracy/"]
)
def test_views_other_than_pages_find_the_site_without_a_query(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # the first request of a generation caches the site
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    assert not [query for query in context.captured_queries if "wagtailcore_site" in query["sql"]]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's")
def test_postgresql_plans_a_fiche_queries_once_per_connection(client):
    """From its fifth run on a connection, each query of a fiche is a prepared statement."""
    for _ in range(6):
        assert client.get("/methodes/forum-ouvert/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [row[0] for row in cursor.fetchall()]
    assert any('"wagtailcore_revision"' in statement for statement in statements), statements
    # its tools, the territories where it was used and its related fiches, in one query
    assert any(
        '"territories_methoduse"' in statement and "UNION ALL" in statement for statement in statements
    ), statements

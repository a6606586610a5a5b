"""The page cache: anonymous pages served without SQL, and never stale once something is published.

Each invalidation test caches the pages first (a second request is a hit), changes the content
the way the admin does, and checks the change shows: without the matching freshness signal, the
old page would still be served from the cache and the test would fail.
"""

from django.contrib.auth.models import AnonymousUser, Group
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client

from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction

import pytest

from commons.models import Association, Defi, Phase, Question, Theme
from commons.speed.page_cache import PageCacheMiddleware
from methods.models import MethodPage
from tests.conftest import publish

# The page cache is a shortcut: these tests measure it, on (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("with_shortcuts")]

FICHE = "/methodes/forum-ouvert/"


@pytest.fixture(autouse=True)
def page_cache(settings):
    """The page cache on (it is off for the rest of the suite), empty before and after."""
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def forum():
    return MethodPage.objects.get(slug="forum-ouvert")


def cached(client, *urls: str) -> None:
    """Request each URL twice, so that the second is served from the cache."""
    for url in urls:
        client.get(url)
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Page-Cache"] == "hit", url


def html(client, url: str) -> str:
    return client.get(url).content.decode()


# --- What is cached -----------------------------------------------------------------------------


def test_second_anonymous_request_is_a_hit_without_sql(client, django_assert_num_queries):
    first = client.get(FICHE)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(FICHE)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second["X-Frame-Options"] == first["X-Frame-Options"]  # set below the cache, and stored
    assert not second.cookies


def test_head_is_served_from_what_get_stored(client):
    assert client.head(FICHE)["X-Page-Cache"] == "miss"
    assert client.head(FICHE)["X-Page-Cache"] == "miss"  # HEAD does not store
    client.get(FICHE)
    assert client.head(FICHE)["X-Page-Cache"] == "hit"


def test_query_strings_are_cached_separately_and_normalised(client):
    one = "/methodes/?question=qui-inclure"
    two = "/methodes/?question=qui-inclure&phase=mobiliser"
    assert client.get(one)["X-Page-Cache"] == "miss"
    assert client.get(two)["X-Page-Cache"] == "miss"
    assert client.get("/methodes/")["X-Page-Cache"] == "miss"
    assert client.get("/methodes/?phase=mobiliser&question=qui-inclure")["X-Page-Cache"] == "hit"
    assert client.get(one)["X-Page-Cache"] == "hit"
    assert client.get("/methodes/?question=par-ou-commencer")["X-Page-Cache"] == "miss"


def test_not_found_is_not_cached(client):
    for _ in range(2):
        response = client.get("/methodes/nexiste-pas/")
        assert response.status_code == 404
        assert response["X-Page-Cache"] == "miss"


def test_post_is_neither_served_nor_stored(client):
    cached(client, "/robots.txt")
    response = client.post("/robots.txt")
    assert response.status_code == 405
    assert "X-Page-Cache" not in response


def test_excluded_paths_are_never_cached(client):
    for url in ["/admin/login/", "/documents/1/fichier.pdf"]:
        client.get(url)
        assert "X-Page-Cache" not in client.get(url), url


def test_off_when_page_cache_seconds_is_zero(client, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(FICHE)
    assert "X-Page-Cache" not in client.get(FICHE)


def test_a_pending_message_bypasses_the_cache(client):
    cached(client, FICHE)
    client.cookies["messages"] = "quelque-chose"
    assert "X-Page-Cache" not in client.get(FICHE)


def test_a_visitor_with_a_session_is_never_served_from_the_cache_nor_stores(client):
    """A session may hold a page's password or a signed-in user: such visitors get fresh pages."""
    client.cookies["sessionid"] = "session-inconnue"
    for _ in range(2):
        assert "X-Page-Cache" not in client.get(FICHE)
    del client.cookies["sessionid"]
    assert client.get(FICHE)["X-Page-Cache"] == "miss"
    assert client.get(FICHE)["X-Page-Cache"] == "hit"
    client.cookies["sessionid"] = "session-inconnue"
    assert "X-Page-Cache" not in client.get(FICHE)


@pytest.mark.parametrize(
    "uncacheable",
    [
        lambda response, request: response.set_cookie("suivi", "1"),
        lambda response, request: response.__setitem__("Cache-Control", "private"),
        lambda response, request: response.__setitem__("Cache-Control", "no-store, max-age=0"),
        lambda response, request: request.META.__setitem__("CSRF_COOKIE_NEEDS_UPDATE", True),
        lambda response, request: setattr(request, "is_preview", True),
    ],
    ids=["set-cookie", "private", "no-store", "csrf-token", "preview"],
)
def test_responses_for_one_visitor_are_not_stored(rf, uncacheable):
    def view(request):
        response = HttpResponse("<p>pour ce visiteur seulement</p>")
        uncacheable(response, request)
        return response

    middleware = PageCacheMiddleware(view)
    for _ in range(2):
        request = rf.get("/une-page/")
        request.user = AnonymousUser()
        assert middleware(request)["X-Page-Cache"] == "miss"


def test_the_same_view_is_stored_when_nothing_makes_it_personal(rf):
    middleware = PageCacheMiddleware(lambda request: HttpResponse("<p>pour tous</p>"))
    results = []
    for _ in range(2):
        request = rf.get("/une-page/")
        request.user = AnonymousUser()
        results.append(middleware(request)["X-Page-Cache"])
    assert results == ["miss", "hit"]


# --- Editors --------------------------------------------------------------------------------------


def test_editors_never_get_nor_store_cached_pages(client, django_user_model, forum):
    editor = Client()
    editor.force_login(django_user_model.objects.create_superuser("editrice", "e@example.org", "pw"))
    for _ in range(2):
        assert "X-Page-Cache" not in editor.get(FICHE)
    assert client.get(FICHE)["X-Page-Cache"] == "miss"  # the editor stored nothing
    cached(client, FICHE)
    # A change no signal reports: only a page rendered afresh shows it.
    MethodPage.objects.filter(pk=forum.pk).update(title="Forum ouvert, titre modifié en base")
    assert "titre modifié en base" in html(editor, FICHE)
    assert "titre modifié en base" not in html(client, FICHE)


# --- Invalidation ---------------------------------------------------------------------------------


def test_publishing_a_revision_refreshes_the_fiche_the_listing_and_home(client, forum):
    cached(client, FICHE, "/methodes/", "/")
    forum.title = "Forum ouvert renouvelé"
    publish(forum)
    assert "Forum ouvert renouvelé" in html(client, FICHE)
    assert "Forum ouvert renouvelé" in html(client, "/methodes/")
    assert "Forum ouvert renouvelé" in html(client, "/")  # the latest published fiches


def test_a_draft_keeps_the_cached_page_and_shows_nothing(client, forum):
    cached(client, FICHE)
    forum.body = "## Brouillon\n\nTexte pas encore relu"
    forum.save_revision()
    response = client.get(FICHE)
    assert "pas encore relu" not in response.content.decode()
    assert response["X-Page-Cache"] == "hit"  # a draft does not empty the cache
    forum.get_latest_revision().publish()
    assert "pas encore relu" in html(client, FICHE)


def test_unpublishing_removes_the_page_and_its_card(client, forum):
    cached(client, FICHE, "/methodes/?q=forum")
    forum.unpublish()
    assert client.get(FICHE).status_code == 404
    assert FICHE not in html(client, "/methodes/?q=forum")


def test_deleting_removes_the_page(client, forum):
    cached(client, FICHE)
    forum.delete()
    assert client.get(FICHE).status_code == 404


def test_moving_serves_the_page_at_its_new_address_only(client, home, forum):
    archives = home.add_child(instance=Page(title="Archives", slug="archives"))
    cached(client, FICHE)
    forum.move(archives, pos="last-child")
    old_address = client.get(FICHE)
    assert old_address.status_code == 301  # Wagtail leaves a redirect to the new address
    assert old_address["Location"].endswith("/archives/forum-ouvert/")
    assert client.get("/archives/forum-ouvert/").status_code == 200


def test_a_view_restriction_hides_the_cached_page_from_anonymous_visitors(client, forum):
    cached(client, FICHE, "/methodes/?q=forum")
    PageViewRestriction.objects.create(page=forum, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(FICHE)
    assert response.status_code == 302  # to the login page
    assert "X-Page-Cache" not in response or response["X-Page-Cache"] == "miss"
    assert FICHE not in html(client, "/methodes/?q=forum")


def test_a_password_form_is_never_cached(client, forum):
    cached(client, FICHE)
    password = PageViewRestriction.PASSWORD
    PageViewRestriction.objects.create(page=forum, restriction_type=password, password="pw")
    for _ in range(2):
        response = client.get(FICHE)
        assert response["X-Page-Cache"] == "miss"  # the form holds a CSRF token
        assert "Sans ordre du jour" not in response.content.decode()


def test_restricting_to_a_group_hides_the_page(client, forum):
    restriction = PageViewRestriction.objects.create(page=forum, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.first())
    restriction.delete()  # public again: cache the page, then restrict it through a new restriction
    cached(client, FICHE)
    restriction = PageViewRestriction.objects.create(page=forum, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(Group.objects.first())
    response = client.get(FICHE)
    assert response.status_code == 302  # anonymous visitors are sent to the login page
    assert "/_util/login/" in response["Location"] or "login" in response["Location"]


@pytest.mark.parametrize(
    ("model", "slug"),
    [
        (Question, "comment-s-organiser"),
        (Phase, "mobiliser"),
        (Defi, "gouvernance"),
        (Theme, "resilience-gouvernance"),
    ],
)
def test_editing_a_taxonomy_term_refreshes_the_pages_that_show_it(client, model, slug):
    cached(client, FICHE, "/methodes/")
    term = model.objects.get(slug=slug)
    term.name = "Intitulé révisé du terme"
    term.save()
    assert "Intitulé révisé du terme" in html(client, FICHE)
    assert "Intitulé révisé du terme" in html(client, "/methodes/")


def test_editing_an_association_refreshes_its_fiches(client):
    cached(client, FICHE, "/associations/")
    association = Association.objects.get(slug="react")
    association.name = "REACT, nouveau nom"
    association.save()
    assert "REACT, nouveau nom" in html(client, FICHE)
    association.full_name = "Réseau REACT, nouveau nom complet"
    association.save()
    assert "nouveau nom complet" in html(client, "/associations/")


def test_renaming_a_tag_refreshes_its_fiches(client):
    cached(client, FICHE)
    tag = Tag.objects.get(name__iexact="open space")
    tag.name = "espace ouvert"
    tag.save()
    assert "espace ouvert" in html(client, FICHE)


def test_a_new_association_member_is_credited_in_the_history(client, django_user_model, forum):
    """The public history names the associations of the revisions' authors: group membership."""
    author = django_user_model.objects.create_user("autrice", password="pw")
    forum.title = "Forum ouvert, revu"
    forum.save_revision(user=author).publish()
    url = f"{FICHE}historique/"
    cached(client, url)
    assert "une personne contributrice sans association" in html(client, url)
    group = Group.objects.create(name="Nouvelle association — éditeurs")
    Association.objects.create(name="Nouvelle association", slug="nouvelle", editors_group=group)
    cached(client, url)
    author.groups.add(group)
    assert "une personne contributrice sans association" not in html(client, url)
    assert 'href="/associations/nouvelle/"' in html(client, url)

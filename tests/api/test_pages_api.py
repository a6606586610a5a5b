"""`/api/v2/pages/`: published public content only, the fiche fields, taxonomy filters, bad input."""

from django.contrib.auth.models import Group

from wagtail.models import PageViewRestriction

import pytest

from commons.models import Association, Defi, Question, Theme
from methods.models import MethodPage, ToolPage
from territories.models import MethodUse, TerritoryPage
from tests.conftest import publish
from tests.factories import MethodPageFactory, ToolPageFactory

pytestmark = pytest.mark.django_db

PAGES = "/api/v2/pages/"
METHODS = PAGES + "?type=methods.MethodPage"


def items(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.content[:300])
    assert response["Content-Type"] == "application/json"
    return response.json()["items"]


def slugs(client, url: str) -> set[str]:
    return {item["meta"]["slug"] for item in items(client, url + "&limit=100")}


def test_the_index_lists_the_endpoints(client):
    endpoints = client.get("/api/v2/").json()["endpoints"]
    assert endpoints["pages"] == "http://testserver/api/v2/pages/"
    assert set(endpoints) == {"pages", "documents", "images"}


def test_methods_are_listed_and_paginated(client):
    live = MethodPage.objects.live_public().count()
    response = client.get(METHODS + "&limit=5&offset=5").json()
    assert response["meta"]["total_count"] == live
    assert len(response["items"]) == 5
    assert {item["meta"]["type"] for item in response["items"]} == {"methods.MethodPage"}
    assert client.get(METHODS + "&limit=101").status_code == 400  # WAGTAILAPI_LIMIT_MAX


def test_a_fiche_shows_its_fields_in_the_detail(client):
    forum = MethodPage.objects.get(slug="forum-ouvert")
    data = client.get(f"{PAGES}{forum.pk}/").json()
    assert data["title"] == forum.title and data["summary"] == forum.summary
    assert data["body"] == forum.body and data["body_html"] == forum.body_html
    assert data["license"] == forum.license and data["license_url"] == forum.license_url
    assert {q["slug"] for q in data["questions"]} == set(forum.questions.values_list("slug", flat=True))
    assert {p["slug"] for p in data["phases"]} == set(forum.phases.values_list("slug", flat=True))
    assert sorted(data["tags"]) == data["tags"] and set(data["tags"]) == set(forum.tags.names())
    assert all("number" in defi for defi in data["defis"])
    assert data["meta"]["html_url"].endswith("/methodes/forum-ouvert/")
    assert "change_note" not in data


def test_a_territory_shows_its_facts_and_method_uses(client):
    leaz = TerritoryPage.objects.get(slug="leaz")
    data = client.get(f"{PAGES}{leaz.pk}/").json()
    assert data["population"] == leaz.population and isinstance(data["latitude"], float)
    used = {use["method"]["slug"] for use in data["method_uses"]}
    assert used == set(leaz.method_uses.values_list("method__slug", flat=True))


def test_a_draft_never_appears(client, method_index):
    draft = MethodPageFactory(parent=method_index, title="Méthode brouillon de l'API", live=False)
    draft.save_revision()
    assert draft.slug not in slugs(client, METHODS)
    assert client.get(f"{PAGES}{draft.pk}/").status_code == 404
    assert client.get(f"{PAGES}?search=brouillon").status_code == 200


def test_an_unpublished_page_disappears(client):
    forum = MethodPage.objects.get(slug="forum-ouvert")
    assert "forum-ouvert" in slugs(client, METHODS)
    forum.unpublish()
    assert "forum-ouvert" not in slugs(client, METHODS)
    assert client.get(f"{PAGES}{forum.pk}/").status_code == 404


def test_the_live_version_is_shown_not_a_later_draft(client):
    forum = MethodPage.objects.get(slug="forum-ouvert")
    published_summary = forum.summary
    forum.summary = "Résumé en brouillon, pas encore relu"
    forum.body = "## Brouillon\n\nTexte non publié de l'API"
    forum.save_revision()
    detail = client.get(f"{PAGES}{forum.pk}/").json()
    assert detail["summary"] == published_summary
    assert "non publié" not in detail["body"] + detail["body_html"]
    listed = items(client, METHODS + "&fields=summary&limit=100")
    assert "pas encore relu" not in str(listed)


@pytest.mark.parametrize(
    "kind", [PageViewRestriction.PASSWORD, PageViewRestriction.GROUPS, PageViewRestriction.LOGIN]
)
def test_a_restricted_page_never_appears_whoever_asks(client, admin_user, kind):
    forum = MethodPage.objects.get(slug="forum-ouvert")
    restriction = PageViewRestriction.objects.create(page=forum, restriction_type=kind, password="secret")
    if kind == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.first())
    client.force_login(admin_user)  # even someone allowed to see the page does not get it here
    assert "forum-ouvert" not in slugs(client, METHODS)
    assert client.get(f"{PAGES}{forum.pk}/").status_code == 404
    assert "forum-ouvert" not in str(items(client, f"{PAGES}?question=par-ou-commencer&limit=100"))


def test_linked_pages_the_public_cannot_see_are_left_out(client, tool_index, method_index):
    hidden_tool = ToolPageFactory(parent=tool_index, title="Outil jamais publié", live=False)
    forum = MethodPage.objects.get(slug="forum-ouvert")
    forum.tools.add(hidden_tool)
    forum.save()
    private = publish(MethodPageFactory(parent=method_index, title="Méthode réservée"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    leaz = TerritoryPage.objects.get(slug="leaz")
    MethodUse.objects.create(page=leaz, method=private, how_it_went="Dans l'espace membres")
    for url in (f"{PAGES}{forum.pk}/", METHODS + "&fields=tools&limit=100"):
        assert "Outil jamais publié" not in client.get(url).content.decode()
    for url in (f"{PAGES}{leaz.pk}/", PAGES + "?type=territories.TerritoryPage&fields=method_uses"):
        text = client.get(url).content.decode()
        assert "Méthode réservée" not in text and "espace membres" not in text


def test_filter_by_question(client):
    question = Question.objects.get(slug="par-ou-commencer")
    expected = set(MethodPage.objects.live_public().filter(questions=question).values_list("slug", flat=True))
    expected |= set(
        TerritoryPage.objects.live_public().filter(questions=question).values_list("slug", flat=True)
    )
    expected |= set(ToolPage.objects.live_public().filter(questions=question).values_list("slug", flat=True))
    assert expected and slugs(client, f"{PAGES}?question=par-ou-commencer") == expected
    methods_only = slugs(client, f"{METHODS}&question=par-ou-commencer")
    assert methods_only == set(
        MethodPage.objects.live_public().filter(questions=question).values_list("slug", flat=True)
    )


def test_a_defi_is_found_by_slug_or_number(client):
    defi = Defi.objects.filter(number__isnull=False, methodpages__isnull=False).first()
    by_slug = slugs(client, f"{METHODS}&defi={defi.slug}")
    assert by_slug and by_slug == slugs(client, f"{METHODS}&defi={defi.number}")


def test_a_first_level_theme_includes_its_sub_themes(client):
    child = Theme.objects.filter(parent__isnull=False, methodpages__isnull=False).first()
    in_child = slugs(client, f"{METHODS}&theme={child.slug}")
    assert in_child and in_child <= slugs(client, f"{METHODS}&theme={child.parent.slug}")


def test_an_association_finds_the_territories_it_accompanied(client):
    leaz = TerritoryPage.objects.get(slug="leaz")
    association = leaz.accompanying_associations.first()
    leaz.associations.remove(association)  # only as accompanying association
    leaz.save()
    assert "leaz" in slugs(client, f"{PAGES}?type=territories.TerritoryPage&association={association.slug}")
    other = Association.objects.exclude(pk=association.pk).exclude(accompanied_territories=leaz).first()
    if other is not None:
        assert "leaz" not in slugs(client, f"{PAGES}?association={other.slug}")


@pytest.mark.parametrize(
    "query",
    [
        "question=inconnue",
        "theme=inconnu",
        "defi=999",
        "association=personne",
        "type=methods.Inconnu",
        "couleur=bleu",
        "site=localhost",
        "limit=-1",
        "offset=abc",
        "type=territories.TerritoryPage&latitude=nord",
        "type=methods.MethodPage&questions=abc",
        "type=methods.MethodPage&first_published_at=hier",
        "fields=inconnu",
        "order=inconnu",
    ],
)
def test_bad_input_is_a_400_with_a_message(client, query):
    response = client.get(f"{PAGES}?{query}")
    assert response.status_code == 400, query
    assert response.json()["message"]


def test_an_unknown_term_is_named_in_the_message(client):
    assert client.get(f"{PAGES}?question=inconnue").json() == {"message": "question inconnue : « inconnue »"}
    assert client.get(f"{PAGES}999999/").status_code == 404

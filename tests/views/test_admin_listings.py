"""Admin listings of methods, tools and territories, and their filters (association, question, status)."""

import html
import re

import pytest

from commons.models import Association, Question
from methods.models import MethodIndexPage, MethodPage, ToolPage
from territories.models import TerritoryPage
from tests.factories import MethodPageFactory
from tests.workflow_helpers import edit, in_review, member

pytestmark = pytest.mark.django_db

LISTINGS = {"/admin/methodes/": MethodPage, "/admin/outils/": ToolPage, "/admin/territoires/": TerritoryPage}


def listed_titles(response) -> set[str]:
    """The titles of the pages the listing shows (one per row)."""
    assert response.status_code == 200, response.status_code
    rows = re.findall(r'<span id="page_\d+_title">\s*(.*?)\s*</span>', response.content.decode(), re.S)
    return {html.unescape(title) for title in rows}


@pytest.fixture
def admin_user():
    return member("administratrice", admin=True)


@pytest.fixture
def editor():
    return member("editrice-traverse", "la-traverse")


@pytest.fixture
def statuses(client):
    """One method of each status: a draft, one in review (submitted by an editor), the rest live."""
    index = MethodIndexPage.objects.get()
    draft = MethodPageFactory(parent=index, title="Méthode encore en brouillon", live=False)
    draft.save_revision()
    reviewed = MethodPage.objects.get(slug="world-cafe")
    edit(client, member("editeur-localos", "les-localos"), reviewed, summary="En relecture.")
    assert in_review(reviewed)
    new_in_review = MethodPageFactory(parent=index, title="Méthode nouvelle soumise", live=False)
    new_in_review.save_revision()
    edit(client, member("editeur-react", "react"), new_in_review, summary="Toute nouvelle.")
    assert in_review(new_in_review)
    client.logout()
    return {"draft": draft, "in_review": reviewed, "new_in_review": new_in_review}


@pytest.mark.parametrize("url", list(LISTINGS))
@pytest.mark.parametrize("who", ["editor", "admin_user"])
def test_listings_show_every_fiche_of_their_type_to_editors_and_admins(client, request, who, url):
    client.force_login(request.getfixturevalue(who))
    titles = listed_titles(client.get(url))
    expected = set(LISTINGS[url].objects.values_list("title", flat=True))
    assert expected and titles == expected


@pytest.mark.parametrize("url", list(LISTINGS))
def test_listings_are_for_logged_in_users_only(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/admin/login/")


@pytest.mark.parametrize("url", list(LISTINGS))
def test_filter_by_association(client, admin_user, url):
    model = LISTINGS[url]
    association = Association.objects.filter(
        **{f"{model._meta.model_name}_contributions__isnull": False}
    ).first()
    matching = set(model.objects.filter(associations=association).values_list("title", flat=True))
    others = set(model.objects.values_list("title", flat=True)) - matching
    assert matching and others  # the demo content makes the filter meaningful
    client.force_login(admin_user)
    assert listed_titles(client.get(url, {"association": association.pk})) == matching


def test_filter_by_several_associations_lists_either(client, admin_user):
    first, second = Association.objects.get(slug="solucracy"), Association.objects.get(slug="la-traverse")
    expected = set(
        MethodPage.objects.filter(associations__in=[first, second]).values_list("title", flat=True)
    )
    client.force_login(admin_user)
    titles = listed_titles(client.get("/admin/methodes/", {"association": [first.pk, second.pk]}))
    assert titles == expected
    assert len(titles) > len(
        set(MethodPage.objects.filter(associations=first).values_list("title", flat=True))
    )


@pytest.mark.parametrize("url", list(LISTINGS))
def test_filter_by_question(client, admin_user, url):
    model = LISTINGS[url]
    question = Question.objects.filter(**{f"{model._meta.model_name}s__isnull": False}).first()
    matching = set(model.objects.filter(questions=question).values_list("title", flat=True))
    others = set(model.objects.values_list("title", flat=True)) - matching
    assert matching and others
    client.force_login(admin_user)
    assert listed_titles(client.get(url, {"question": question.pk})) == matching


def test_filters_combine(client, admin_user):
    association = Association.objects.get(slug="solucracy")
    question = Question.objects.filter(methodpages__associations=association).first()
    expected = set(
        MethodPage.objects.filter(associations=association)
        .filter(questions=question)
        .values_list("title", flat=True)
    )
    client.force_login(admin_user)
    titles = listed_titles(
        client.get("/admin/methodes/", {"association": association.pk, "question": question.pk})
    )
    assert titles == expected
    assert titles != set(MethodPage.objects.filter(associations=association).values_list("title", flat=True))


def test_status_draft_lists_only_drafts_not_in_review(client, admin_user, statuses):
    client.force_login(admin_user)
    titles = listed_titles(client.get("/admin/methodes/", {"status": "brouillon"}))
    assert titles == {"Méthode encore en brouillon"}


def test_status_in_review_lists_the_submitted_methods(client, admin_user, statuses):
    client.force_login(admin_user)
    titles = listed_titles(client.get("/admin/methodes/", {"status": "en-relecture"}))
    assert titles == {statuses["in_review"].title, "Méthode nouvelle soumise"}


def test_status_live_lists_the_published_methods(client, admin_user, statuses):
    client.force_login(admin_user)
    titles = listed_titles(client.get("/admin/methodes/", {"status": "publiee"}))
    assert titles == set(MethodPage.objects.live().values_list("title", flat=True))
    assert "Méthode encore en brouillon" not in titles
    assert "Méthode nouvelle soumise" not in titles


def test_editors_see_the_same_status_filters(client, editor, statuses):
    client.force_login(editor)
    assert listed_titles(client.get("/admin/methodes/", {"status": "brouillon"})) == {
        "Méthode encore en brouillon"
    }
    in_review_titles = listed_titles(client.get("/admin/methodes/", {"status": "en-relecture"}))
    assert "Méthode nouvelle soumise" in in_review_titles


def test_an_approved_method_leaves_the_in_review_filter(client, admin_user, statuses):
    from tests.workflow_helpers import workflow_action

    reviewer = member("comite-solucracy", "solucracy", committee=True)
    workflow_action(client, reviewer, statuses["in_review"], "approve")
    assert not in_review(statuses["in_review"])
    client.force_login(admin_user)
    titles = listed_titles(client.get("/admin/methodes/", {"status": "en-relecture"}))
    assert titles == {"Méthode nouvelle soumise"}


UNKNOWN_FILTERS = [
    {"status": "inconnu"},
    {"status": ""},
    {"association": "999999"},
    {"association": "abc"},
    {"association": "-1"},
    {"question": "999999"},
    {"question": "1.5"},
    {"question": "' OR 1=1 --"},
    {"association": "1", "question": "x", "status": "publiee"},
    {"ordering": "nimporte"},
    {"p": "abc"},
    {"p": "99999"},
    {"q": "\x00"},
]


@pytest.mark.parametrize("url", list(LISTINGS))
@pytest.mark.parametrize(
    "params", UNKNOWN_FILTERS, ids=lambda params: "&".join(f"{k}={v}" for k, v in params.items())
)
def test_unknown_filter_values_never_break_the_listing(client, admin_user, url, params):
    client.force_login(admin_user)
    response = client.get(url, params)
    assert response.status_code == 200
    assert "<html" in response.content.decode()

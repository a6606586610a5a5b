"""The Atom feeds of published changes: well-formed, only public publications, constant queries."""

import xml.etree.ElementTree as ET

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from commons.models import Association, Question
from methods.models import MethodPage
from tests.conftest import publish
from tests.factories import MethodPageFactory
from tests.opendata.conftest import QUESTION, body_text

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def read_feed(client, url="/flux.xml"):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(body_text(response).encode())


def entries(feed) -> list:
    return feed.findall(f"{ATOM}entry")


def test_the_feed_is_well_formed_atom_with_the_latest_publications(client):
    feed = read_feed(client)
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text == "Communs des transitions — quoi de neuf"
    found = entries(feed)
    assert 0 < len(found) <= 50
    ids = [entry.find(f"{ATOM}id").text for entry in found]
    assert len(set(ids)) == len(ids)
    updated = [entry.find(f"{ATOM}updated").text for entry in found]
    assert updated == sorted(updated, reverse=True)


def test_an_entry_has_the_change_note_the_associations_and_the_version(client):
    method = MethodPage.objects.get(slug="forum-ouvert")
    method.change_note = "Déroulé précisé <après> l'atelier & la relecture"
    method.associations.set([Association.objects.get(slug="solucracy")])
    publish(method)
    entry = entries(read_feed(client))[0]
    assert entry.find(f"{ATOM}title").text == "Forum ouvert"
    assert entry.find(f"{ATOM}summary").text == "Déroulé précisé <après> l'atelier & la relecture"
    links = {link.get("rel"): link.get("href") for link in entry.findall(f"{ATOM}link")}
    assert links["alternate"] == "http://testserver/methodes/forum-ouvert/"
    assert (
        links["related"] == f"http://testserver/methodes/forum-ouvert/historique/{method.live_revision_id}/"
    )
    assert client.get(links["related"]).status_code == 200
    authors = [author.find(f"{ATOM}name").text for author in entry.findall(f"{ATOM}author")]
    assert authors == ["Solucracy"]
    categories = {category.get("term") for category in entry.findall(f"{ATOM}category")}
    assert {"Méthode", "Solucracy"} <= categories


def test_nothing_unpublished_or_private_is_in_the_feeds(client, hidden):
    for url in ("/flux.xml", f"/questions/{QUESTION}/flux.xml"):
        text = body_text(client.get(url))
        for secret in [*hidden["titles"], *hidden["slugs"], *hidden["notes"]]:
            assert secret not in text, (url, secret)


def test_a_question_feed_has_only_the_fiches_answering_it(client, method_index):
    question = Question.objects.get(slug=QUESTION)
    answering = MethodPageFactory(parent=method_index, title="Méthode qui répond")
    answering.questions.set([question])
    publish(answering)
    other = MethodPageFactory(parent=method_index, title="Méthode hors sujet")
    other.questions.set([Question.objects.exclude(pk=question.pk).first()])
    publish(other)
    titles = [
        entry.find(f"{ATOM}title").text
        for entry in entries(read_feed(client, f"/questions/{QUESTION}/flux.xml"))
    ]
    assert "Méthode qui répond" in titles and "Méthode hors sujet" not in titles
    answers = {page.title for page in MethodPage.objects.filter(questions=question)}
    assert set(titles) <= answers | {t.title for t in question.toolpages.all()} | {
        t.title for t in question.territorypages.all()
    }


def test_an_unknown_question_has_no_feed(client):
    assert client.get("/questions/question-inconnue/flux.xml").status_code == 404


def test_a_feed_reader_with_the_current_version_gets_a_304(client):
    first = client.get("/flux.xml")
    assert client.get("/flux.xml", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@pytest.mark.usefixtures("with_shortcuts")
def test_a_feed_served_from_the_page_cache_still_answers_304(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 600
    first = client.get("/flux.xml")
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):  # a hit: the database is not read
        again = client.get("/flux.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""


def test_a_fiche_page_answers_304_to_a_reader_with_its_version(client):
    first = client.get("/methodes/forum-ouvert/")
    assert first.status_code == 200 and first.has_header("ETag")
    assert client.get("/methodes/forum-ouvert/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def feed_queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.usefixtures("with_shortcuts")
def test_the_feeds_run_the_same_queries_whatever_the_history(client, method_index):
    urls = ["/flux.xml", f"/questions/{QUESTION}/flux.xml"]
    small = {url: feed_queries(client, url) for url in urls}
    question, associations = Question.objects.get(slug=QUESTION), list(Association.objects.all())
    for n in range(60):
        page = MethodPageFactory(parent=method_index, title=f"Méthode du flux {n}")
        page.questions.set([question])
        page.associations.set(associations[n % 5 : n % 5 + 2])
        page.change_note = f"Version {n}"
        publish(page)
    assert len(entries(read_feed(client))) == 50
    for url in urls:
        assert feed_queries(client, url) == small[url] <= 6, url

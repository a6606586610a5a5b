"""`/export/` explains every open format in French; the footer and the sitemap lead to it."""

import pytest

from commons.models import Question

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("with_shortcuts")  # it counts the fast path's queries
def test_the_export_page_explains_every_format_and_how_to_cite(client, django_assert_max_num_queries):
    client.get("/export/")
    with django_assert_max_num_queries(4):
        response = client.get("/export/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html and "<h1>Données ouvertes</h1>" in html
    for link in (
        "/export/commons.json",
        "/export/methodes.csv",
        "/export/outils.csv",
        "/flux.xml",
        "/api/v2/",
    ):
        assert f'href="{link}"' in html, link
    assert "fiche.md" in html and "PDF" in html
    assert 'id="comment-citer"' in html and "CC BY-SA 4.0" in html
    for question in Question.objects.all():
        assert f'href="/questions/{question.slug}/flux.xml"' in html


def test_every_page_links_to_the_open_data_and_the_feed(client):
    html = client.get("/").content.decode()
    assert '<a href="/export/">Données ouvertes</a>' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html and 'href="/flux.xml"' in html


def test_a_question_page_announces_its_own_feed(client):
    html = client.get("/questions/qui-inclure/").content.decode()
    assert 'type="application/atom+xml" title="Quoi de neuf' in html
    assert 'href="/questions/qui-inclure/flux.xml"' in html


def test_the_sitemap_lists_the_open_data_page_and_the_feed(client):
    xml = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/export/</loc>" in xml
    assert "<loc>http://testserver/flux.xml</loc>" in xml

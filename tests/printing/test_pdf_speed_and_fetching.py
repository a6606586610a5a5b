"""The PDF reads the database a few times, whatever the size of the commons, and WeasyPrint
reads only our own files: never the network."""

import pytest

from tests.factories import MethodPageFactory

FORUM = "/methodes/forum-ouvert/pdf/"


@pytest.fixture
def fetcher():
    from commons.printing.fetcher import LocalFilesFetcher

    return LocalFilesFetcher("testserver")


def test_data_urls_and_our_static_files_are_served(fetcher):
    assert fetcher.fetch("data:text/plain,bonjour").read() == b"bonjour"
    response = fetcher.fetch("http://testserver/static/css/print.css")
    assert b"@page" in response.read() and response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/image.png",  # another host: never fetched
        "http://testserver.example.org/static/css/print.css",
        "http://testserver/static/../../commons/settings/base.py",
        "http://testserver/static/%2e%2e/%2e%2e/pyproject.toml",
        "http://testserver/admin/",
        "file:///etc/passwd",
        "ftp://testserver/static/css/print.css",
    ],
)
def test_anything_else_is_refused(fetcher, url):
    with pytest.raises(ValueError):
        fetcher.fetch(url)


@pytest.mark.django_db
def test_a_remote_image_in_a_fiche_is_not_fetched(client, method_index, monkeypatch):
    from weasyprint.urls import URLFetcher

    from tests.conftest import publish

    page = publish(
        MethodPageFactory(parent=method_index, body="![Carte](https://tuiles.example.org/carte.png)\n\nTexte")
    )
    opened = []
    monkeypatch.setattr(URLFetcher, "open", lambda self, *args, **kwargs: opened.append(args))
    response = client.get(page.url + "pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert opened == []


@pytest.mark.django_db
@pytest.mark.usefixtures("with_shortcuts")
def test_the_pdf_reads_the_same_few_times_with_3_and_15_more_methods(
    client, method_index, django_assert_max_num_queries
):
    def queries() -> tuple[int, int]:
        from django.core.cache import cache

        cache.clear()  # the PDF is rendered again; the fiche's own caches are warmed first
        client.get("/methodes/forum-ouvert/")
        counts = []
        for _ in range(2):  # rendered, then from the PDF cache
            with django_assert_max_num_queries(12) as context:
                assert client.get(FORUM).status_code == 200
            counts.append(len(context.captured_queries))
        return counts[0], counts[1]

    for n in range(3):
        MethodPageFactory(parent=method_index, title=f"Méthode de plus {n}").save_revision().publish()
    rendered, cached = queries()
    assert cached <= 3
    for n in range(15):
        MethodPageFactory(parent=method_index, title=f"Méthode encore {n}").save_revision().publish()
    more_rendered, more_cached = queries()
    assert more_rendered <= rendered and more_cached <= cached

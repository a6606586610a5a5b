"""The database away (PostgreSQL restarting): a French 503 page with Retry-After, never a traceback."""

from unittest import mock

from django.db import InterfaceError, OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client

import pytest

from commons.resilience import RETRY_AFTER_SECONDS

pytestmark = pytest.mark.django_db


def database_down(error=OperationalError):
    """Every SQL query fails as when PostgreSQL refuses connections or has just cut one."""
    message = "connection to server at 127.0.0.1, port 5432 failed: Connection refused"
    return mock.patch.object(CursorWrapper, "execute", side_effect=error(message))


def assert_french_503(response):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Site momentanément indisponible" in html
    assert "Traceback" not in html
    assert "Connection refused" not in html  # nothing of the error reaches the visitor


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_page_answers_503_while_the_database_is_away(error):
    client = Client(raise_request_exception=False)
    client.get("/methodes/")  # warm: the site and the vocabulary come from the cache
    with database_down(error):
        assert_french_503(client.get("/methodes/"))


def test_cold_caches_and_the_database_away_answer_503_too():
    """A worker that starts during the outage meets the database in the middleware, before the view."""
    client = Client(raise_request_exception=False)
    with database_down():
        assert_french_503(client.get("/methodes/forum-ouvert/"))
        assert_french_503(client.get("/"))


def test_the_site_serves_again_once_the_database_answers():
    client = Client(raise_request_exception=False)
    with database_down():
        assert client.get("/methodes/").status_code == 503
    assert client.get("/methodes/").status_code == 200


def test_other_errors_keep_the_500_page():
    client = Client(raise_request_exception=False)
    with mock.patch.object(CursorWrapper, "execute", side_effect=ZeroDivisionError):
        response = client.get("/methodes/")
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


def test_debug_keeps_the_traceback(settings):
    settings.DEBUG = True
    with database_down(), pytest.raises(OperationalError):
        Client().get("/methodes/")

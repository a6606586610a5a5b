"""`make run` serves the public's French error pages (DEBUG off); `make dev` keeps Django's debug pages."""

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUN = importlib.import_module("commons.settings.run")


def recipe(target: str) -> str:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(rf"^{target}:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE).group(1)


def test_make_run_uses_the_run_settings_and_make_dev_the_development_ones():
    assert "DJANGO_SETTINGS_MODULE=commons.settings.run" in recipe("run")
    assert "runserver --insecure" in recipe("run")  # static files with DEBUG off
    assert "DJANGO_SETTINGS_MODULE=commons.settings.dev" in recipe("dev")
    assert RUN.DEBUG is False and importlib.import_module("commons.settings.dev").DEBUG is True


@pytest.fixture
def run_settings(settings, tmp_path):
    settings.DEBUG = RUN.DEBUG
    settings.ROOT_URLCONF = RUN.ROOT_URLCONF
    settings.MEDIA_ROOT = tmp_path


def test_an_unknown_address_answers_the_french_404_page(db, client, run_settings):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page introuvable</h1>" in page and 'lang="fr"' in page
    assert "Page not found" not in page and "URLconf" not in page
    assert client.get("/methodes/pas-une-methode/").status_code == 404


def test_the_same_address_under_make_dev_shows_the_debug_page(db, client, settings):
    settings.DEBUG = True
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


def test_make_run_serves_the_uploaded_media(db, client, run_settings, tmp_path):
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "carte.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    response = client.get("/media/images/carte.png")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert client.get("/media/images/absente.png").status_code == 404
    assert client.get("/media/../pyproject.toml").status_code in (400, 404)  # never outside MEDIA_ROOT


def test_make_run_keeps_the_sites_own_error_views():
    from commons import urls, urls_run

    for name in urls_run.ERROR_HANDLERS:
        assert getattr(urls_run, name, None) == getattr(urls, name, None)

"""Real-browser fixtures: Debian's chromium driven by Playwright against Django's live server."""

import os
from pathlib import Path

from django.core.management import call_command

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# Playwright's sync API runs an event loop in this thread; the ORM calls of the tests are still
# synchronous and safe, so Django's async guard is lifted for the browser tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"Chromium introuvable ({CHROMIUM}) : installez le paquet Debian « chromium ».")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def commons_site(live_server):
    """The live server with the demo commons (reloaded: transactional tests flush the database)."""
    from wagtail.models import Page

    call_command("load_commons", verbosity=0)
    # In the first transactional test of a run, serialized_rollback restores the post-migration
    # snapshot over the demo content loaded for the session: the index pages come back with
    # numchild=0, and Wagtail then routes nothing below them (every fiche is a 404). Recount.
    Page.fix_tree()
    return live_server

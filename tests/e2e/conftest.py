"""Real-browser fixtures: Debian's chromium driven by Playwright against Django's live server."""

import itertools
import os
import re
import shutil
import unicodedata
from pathlib import Path

from django.core.management import call_command

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# One folder per test, one image per step: kept in the working tree as CI artefacts (ignored by git).
SCREENSHOTS = Path(__file__).parent / "screenshots"
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


@pytest.fixture
def shoot(request):
    """`shoot(page, "step")` saves a full-page screenshot as screenshots/<test>/<NN>-<step>.png."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)  # only this run's steps, numbered from 1
    folder.mkdir(parents=True)
    numbers = itertools.count(1)

    def take(page, step: str) -> Path:
        ascii_step = unicodedata.normalize("NFKD", step).encode("ascii", "ignore").decode().lower()
        path = folder / f"{next(numbers):02d}-{re.sub(r'[^a-z0-9]+', '-', ascii_step).strip('-')}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def pytest_terminal_summary(terminalreporter):
    """The axe-core figures of the run, per page, also kept beside the screenshots."""
    from tests.e2e.axe_audit import AUDITS, table

    if not AUDITS:
        return
    report = table(AUDITS)
    terminalreporter.write_sep("-", "axe-core, WCAG 2.1 A et AA (RGAA 4.1) : violations par page")
    terminalreporter.write_line(report)
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / "accessibilite.md").write_text(report + "\n", encoding="utf-8")

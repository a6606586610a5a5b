"""A re-user's journey: from a fiche to the open data page, then the methods' CSV downloaded."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_from_a_fiche_to_the_methods_csv(commons_site, page):
    page.goto(commons_site.url + "/methodes/forum-ouvert/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Forum ouvert")
    assert page.locator('script[type="application/ld+json"]').count() == 1

    page.get_by_role("contentinfo").get_by_role("link", name="Données ouvertes").click()
    expect(page).to_have_url(re.compile(r"/export/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Données ouvertes")
    expect(page.get_by_role("heading", name="Comment citer")).to_be_visible()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"methodes\.csv")).click()
    download = download_info.value
    assert download.suggested_filename == "methodes.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert any(row["Titre"] == "Forum ouvert" for row in rows)
    assert all(row["Licence"].startswith("CC") for row in rows)

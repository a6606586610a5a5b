"""A re-user's journey: a fiche downloaded as Markdown and as PDF, then the open data page and the
methods' CSV."""

import csv
import io
import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def front_matter(text: str) -> dict:
    """The YAML header of a fiche in the exchange format (between the two `---` lines)."""
    assert text.startswith("---\n"), text[:80]
    return yaml.safe_load(text.split("\n---\n", 1)[0][4:])


def test_a_fiche_as_markdown_and_pdf_then_the_methods_csv(commons_site, page, shoot):
    fiche_url = commons_site.url + "/methodes/forum-ouvert/"
    page.goto(fiche_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Forum ouvert")
    assert page.locator('script[type="application/ld+json"]').count() == 1
    shoot(page, "fiche")

    # "Télécharger en Markdown": the exchange format, its header names the fiche and its licence.
    with page.expect_response(re.compile(r"/fiche\.md$")) as answer:
        page.get_by_role("link", name="Télécharger en Markdown").click()
    markdown = answer.value
    assert markdown.status == 200
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    text = markdown.body().decode("utf-8")
    header = front_matter(text)
    assert header["title"] == "Forum ouvert"
    assert header["url"] == fiche_url
    assert header["license_url"].startswith("https://creativecommons.org/")
    assert "## " in text.split("\n---\n", 1)[1]  # the body follows, in Markdown
    shoot(page, "markdown")

    # "Télécharger en PDF": Chromium shows it in its viewer, whose page hides the bytes; the same
    # address fetched through the browser's context (its cookies) gives the document itself.
    page.goto(fiche_url)
    with page.expect_navigation():
        page.get_by_role("link", name="Télécharger en PDF").click()
    expect(page).to_have_url(re.compile(r"/methodes/forum-ouvert/pdf/$"))
    shoot(page, "pdf")
    pdf = page.context.request.get(page.url)
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    assert 'filename="forum-ouvert.pdf"' in pdf.headers["content-disposition"]

    page.goto(fiche_url)

    page.get_by_role("contentinfo").get_by_role("link", name="Données ouvertes").click()
    expect(page).to_have_url(re.compile(r"/export/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Données ouvertes")
    expect(page.get_by_role("heading", name="Comment citer")).to_be_visible()
    shoot(page, "donnees ouvertes")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile(r"methodes\.csv")).click()
    download = download_info.value
    assert download.suggested_filename == "methodes.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert any(row["Titre"] == "Forum ouvert" for row in rows)
    assert all(row["Licence"].startswith("CC") for row in rows)

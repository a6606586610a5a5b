"""An élu's journey: from a question on the home page to the filters, a method and its citation."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_question_filters_method_citation(commons_site, page, shoot):
    page.goto(commons_site.url + "/")
    expect(page.locator("h1")).to_have_count(1)
    shoot(page, "accueil")
    page.get_by_role("link", name=re.compile("Qui inclure dans nos réflexions")).first.click()
    expect(page).to_have_url(re.compile(r"/questions/qui-inclure/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Qui inclure")
    expect(page.get_by_role("heading", name="Pourquoi cette question compte")).to_be_visible()
    shoot(page, "question")

    # From the question to the filtered listing, narrowed by a phase.
    page.get_by_role("link", name=re.compile("Affiner avec les filtres|Voir toutes les méthodes")).click()
    expect(page).to_have_url(re.compile(r"/methodes/\?question=qui-inclure$"))
    results = page.locator("#resultats")
    by_question = int(re.search(r"\d+", results.inner_text()).group())
    phase = page.locator(".facet", has=page.locator("summary", has_text="Phase"))
    if phase.get_attribute("open") is None:
        phase.locator("summary").click()
    option = phase.locator("a:not(.is-selected)").first
    by_phase = int(re.search(r"\((\d+)", option.inner_text()).group(1))
    option.click()
    expect(page).to_have_url(re.compile(r"phase="))
    expect(page).to_have_url(re.compile(r"question=qui-inclure"))
    expect(results).to_have_text(f"{by_phase} fiche{'s' if by_phase > 1 else ''}")
    assert 0 < by_phase <= by_question
    expect(page.locator(".chips--removable a")).to_have_count(2)
    shoot(page, "filtres")

    first_method = page.locator(".card--methode .card__title a").first
    title = first_method.inner_text()
    first_method.click()
    expect(page).to_have_url(re.compile(r"/methodes/[a-z0-9-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    shoot(page, "fiche")

    page.get_by_role("link", name="Comment citer").click()
    citation = page.locator("#citation")
    expect(citation).to_be_visible()
    expect(citation).to_contain_text(title)
    expect(citation).to_contain_text("Communs des transitions")
    expect(citation).to_contain_text(re.compile(r"Licence CC"))
    expect(citation).to_contain_text(page.url.split("#")[0])
    license_link = page.locator(".license-badge a")
    expect(license_link).to_have_attribute("href", re.compile(r"^https://creativecommons\.org/"))
    shoot(page, "citation")


def test_browse_with_filters_on_mobile(commons_site, browser, shoot):
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(commons_site.url + "/methodes/")
    total = int(re.search(r"\d+", page.locator("#resultats").inner_text()).group())
    shoot(page, "liste")
    question_facet = page.locator(".facet", has=page.locator("summary", has_text="Question"))
    if question_facet.get_attribute("open") is None:
        question_facet.locator("summary").click()
    page.locator(".facet a", has_text="Par où commencer").first.click()
    expect(page).to_have_url(re.compile(r"question=par-ou-commencer"))
    filtered = int(re.search(r"\d+", page.locator("#resultats").inner_text()).group())
    assert 0 < filtered < total
    shoot(page, "filtree")
    page.get_by_role("link", name="Effacer les filtres").click()
    expect(page.locator("#resultats")).to_contain_text(str(total))
    shoot(page, "filtres effaces")
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    context.close()

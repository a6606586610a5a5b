"""An élu searches the commons: suggestions while typing, results, close spellings, faceted search."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER_SEARCH = "Rechercher une méthode, un outil, un territoire"
PAGE_SEARCH = "Méthode, outil, territoire ou association"
BROWSE_SEARCH = "Rechercher dans les fiches"


def number_in(locator) -> int:
    return int(re.search(r"\d+", locator.inner_text()).group())


def open_facet(page, label: str):
    facet = page.locator(".facet", has=page.locator("summary", has_text=label))
    if facet.get_attribute("open") is None:
        facet.locator("summary").click()
    expect(facet).to_have_attribute("open", "")
    return facet


def expect_highlighted_results(page, query: str) -> None:
    """The results page for `query`: a count, hits, and excerpts with real <mark> elements."""
    expect(page.locator(".search-count")).to_contain_text(re.compile(rf"\d+ résultats? pour « {query} »"))
    expect(page.locator(".search-hit").first).to_be_visible()
    marks = page.locator(".search-hit__excerpt mark")
    expect(marks.first).to_be_visible()
    # Highlighting is markup, not escaped text.
    assert "<mark>" not in page.locator(".search-results").first.inner_text()


def test_suggestions_results_and_close_spellings(commons_site, page, shoot):
    page.goto(commons_site.url + "/")
    # The script turns the header box into an ARIA combobox; closed until something is typed.
    box = page.get_by_role("combobox", name=HEADER_SEARCH)
    expect(box).to_have_attribute("aria-expanded", "false")
    listbox = page.get_by_role("listbox", name="Fiches suggérées")
    expect(listbox).to_be_hidden()

    # A partial word without accents suggests titles with « résilience ».
    box.press_sequentially("resil", delay=40)
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    options = listbox.get_by_role("option")
    expect(options.first).to_be_visible()
    titles = options.locator(".search-suggest__title").all_inner_texts()
    assert len(titles) >= 2, titles
    assert all("résilience" in title.lower() for title in titles), titles
    shoot(page, "suggestions")

    # ↓ ↓ ↑ ↓ : the active option follows, announced through aria-activedescendant.
    box.press("ArrowDown")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(0).get_attribute("id"))
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    box.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    chosen = titles[1]
    box.press("Enter")  # opens the active fiche instead of submitting the form
    expect(page).to_have_url(re.compile(r"/(methodes|outils|territoires)/[a-z0-9-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(chosen)

    # Escape closes the list and keeps the text.
    box = page.get_by_role("combobox", name=HEADER_SEARCH)
    box.press_sequentially("concert", delay=40)
    expect(listbox.get_by_role("option", name=re.compile("Atelier de concertation"))).to_be_visible()
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("concert")

    # A whole word without accents, submitted: the results page, « élus » highlighted.
    box.fill("elus")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/recherche/\?q=elus$"))
    expect_highlighted_results(page, "elus")
    shoot(page, "resultats")
    marked = page.locator(".search-hit__excerpt mark").all_inner_texts()
    assert all(re.match(r"[ée]lu", word, re.IGNORECASE) for word in marked), marked
    assert any("é" in word.lower() for word in marked), marked  # found although typed without accent
    expect(page.get_by_role("combobox", name=PAGE_SEARCH)).to_have_value("elus")

    # A misspelled word: no result, but a close spelling that gives results.
    search = page.get_by_role("combobox", name=PAGE_SEARCH)
    search.fill("resilliance")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"\?q=resilliance$"))
    expect(page.locator("#search-empty-title")).to_have_text("Aucun résultat pour « resilliance »")
    expect(page.locator(".search-hit")).to_have_count(0)
    spelling = page.locator(".search-spellings").get_by_role("link", name="résilience")
    expect(spelling).to_be_visible()
    shoot(page, "orthographe proche")
    spelling.click()
    expect(page).to_have_url(re.compile(r"/recherche/\?q=r%C3%A9silience$"))
    expect_highlighted_results(page, "résilience")


def test_group_size_question_and_search_combine_on_methods(commons_site, page, shoot):
    page.goto(commons_site.url + "/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Méthodes et outils"
    ).click()
    expect(page).to_have_url(re.compile(r"/methodes/$"))
    results = page.locator("#resultats")
    chips = page.locator(".chips--removable a")
    expect(chips).to_have_count(0)
    total = number_in(results)

    # Taille du groupe: the count announced beside the option is the count of results.
    size_option = open_facet(page, "Taille du groupe").get_by_role(
        "link", name=re.compile("De 12 à 30 personnes")
    )
    by_size = number_in(size_option.locator(".facet__count"))
    assert 0 < by_size < total
    size_option.click()
    expect(page).to_have_url(re.compile(r"\?taille=12-a-30$"))
    expect(results).to_have_text(f"{by_size} fiches")
    expect(chips).to_have_count(1)
    expect(chips.first).to_contain_text("Taille du groupe : De 12 à 30 personnes")

    # And a question: both filters apply.
    question_option = open_facet(page, "Question").get_by_role("link", name=re.compile("Par où commencer"))
    by_both = number_in(question_option.locator(".facet__count"))
    assert 0 < by_both < by_size
    question_option.click()
    expect(page).to_have_url(re.compile(r"taille=12-a-30"))
    expect(page).to_have_url(re.compile(r"question=par-ou-commencer"))
    expect(results).to_have_text(f"{by_both} fiches")
    expect(chips).to_have_count(2)
    expect(page.locator(".chips--removable")).to_contain_text("Par où commencer")
    expect(page.locator(".chips--removable")).to_contain_text("De 12 à 30 personnes")
    shoot(page, "deux filtres")
    expect(page.locator(".sort")).not_to_contain_text("Pertinence")  # only offered with a search
    filtered_titles = set(page.locator(".card__title").all_inner_texts())
    assert len(filtered_titles) == by_both

    # The search box of the listing keeps the ticked filters and sorts by relevance.
    browse_box = page.get_by_role("searchbox", name=BROWSE_SEARCH)
    browse_box.fill("diagnostic")
    browse_box.press("Enter")
    expect(page).to_have_url(re.compile(r"q=diagnostic"))
    expect(page).to_have_url(re.compile(r"taille=12-a-30"))
    expect(page).to_have_url(re.compile(r"question=par-ou-commencer"))
    expect(chips).to_have_count(3)
    expect(page.locator(".chips--removable")).to_contain_text("« diagnostic »")
    expect(page.locator(".sort strong[aria-current='true']")).to_have_text("Pertinence")
    expect(browse_box).to_have_value("diagnostic")
    found = number_in(results)
    assert 0 < found < by_both
    found_titles = page.locator(".card__title").all_inner_texts()
    assert len(found_titles) == found
    assert set(found_titles) <= filtered_titles, set(found_titles) - filtered_titles
    assert any("diagnostic" in title.lower() for title in found_titles), found_titles
    shoot(page, "filtres et recherche")

    # Removing the search chip gives back the filtered listing.
    chips.filter(has_text="« diagnostic »").click()
    expect(page).not_to_have_url(re.compile(r"q=diagnostic"))
    expect(results).to_have_text(f"{by_both} fiches")
    expect(chips).to_have_count(2)


def test_search_form_works_without_javascript(commons_site, browser):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(commons_site.url + "/")
        # No script: a plain search box, no combobox, no list of suggestions.
        box = page.get_by_role("searchbox", name=HEADER_SEARCH)
        expect(box).not_to_have_attribute("role", "combobox")
        expect(page.locator(".search-suggest")).to_have_count(0)
        box.fill("concertation")
        page.locator(".site-search").get_by_role("button", name="Rechercher").click()
        expect(page).to_have_url(re.compile(r"/recherche/\?q=concertation$"))
        expect_highlighted_results(page, "concertation")
        hit_titles = page.locator(".search-hit__title")
        expect(hit_titles.get_by_role("link", name="Atelier de concertation multi-acteurs")).to_be_visible()

        # The close spelling is a plain link too.
        search = page.get_by_role("searchbox", name=PAGE_SEARCH)
        search.fill("concertaton")
        search.press("Enter")
        expect(page.locator("#search-empty-title")).to_have_text("Aucun résultat pour « concertaton »")
        page.locator(".search-spellings").get_by_role("link", name="concertation").click()
        expect(page).to_have_url(re.compile(r"/recherche/\?q=concertation$"))
        expect_highlighted_results(page, "concertation")
    finally:
        context.close()

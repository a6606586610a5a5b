"""Keyboard only (Tab, Shift+Tab, Space, Enter): the methods' filters, then the self-assessment.
Every element reached shows a visible focus indicator, inside the viewport."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# What has the focus, and whether a sighted keyboard user can see it.
FOCUS = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    tag: element.tagName.toLowerCase(),
    id: element.id,
    name: element.getAttribute("name") || "",
    value: element.value === undefined ? "" : String(element.value),
    parentClass: element.parentElement ? String(element.parentElement.className) : "",
    text: (element.innerText || element.getAttribute("aria-label") || "").trim().replace(/\\s+/g, " "),
    focusVisible: element.matches(":focus-visible"),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    inViewport: box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight
      && box.right > 0 && box.left < innerWidth,
  };
}"""
MAX_PRESSES = 400


def focused(page) -> dict:
    state = page.evaluate(FOCUS)
    assert state is not None, "the focus was lost (on <body>)"
    return state


def assert_visible_focus(state: dict) -> None:
    assert state["focusVisible"], f"no :focus-visible on {state}"
    assert state["outline"], f"no visible outline on {state}"
    assert state["inViewport"], f"focused element outside the viewport: {state}"


def press_until(page, key: str, wanted, what: str) -> dict:
    """Press `key` until the focused element satisfies `wanted`, checking the focus at each step."""
    for _ in range(MAX_PRESSES):
        page.keyboard.press(key)
        state = focused(page)
        assert_visible_focus(state)
        if wanted(state):
            return state
    raise AssertionError(f"{what}: not reached with {MAX_PRESSES} × {key}")


def number_in(text: str) -> int:
    return int(re.search(r"\d+", text).group())


def test_methods_filters_with_the_keyboard_only(commons_site, page, shoot):
    page.goto(commons_site.url + "/methodes/")
    total = number_in(page.locator("#resultats").inner_text())

    # The skip link comes first, shows itself, and takes the focus to the content.
    skip = press_until(page, "Tab", lambda s: True, "skip link")
    assert skip["text"] == "Aller au contenu", skip
    shoot(page, "lien d'evitement")
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "contenu"

    # A closed facet opens with Space on its summary, and its options follow in the tab order.
    press_until(page, "Tab", lambda s: s["tag"] == "summary" and s["text"] == "Taille du groupe", "facet")
    facet = page.locator("details.facet", has=page.locator("summary", has_text="Taille du groupe"))
    if facet.get_attribute("open") is not None:
        page.keyboard.press("Space")  # close it first: the journey checks that Space opens it
        expect(facet).not_to_have_attribute("open", "")
    page.keyboard.press("Space")
    expect(facet).to_have_attribute("open", "")
    option = press_until(page, "Tab", lambda s: "De 12 à 30 personnes" in s["text"], "size option")
    by_size = number_in(option["text"].split("(")[-1])
    shoot(page, "option de filtre")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?taille=12-a-30$"))
    expect(page.locator("#resultats")).to_have_text(f"{by_size} fiches")

    # A second filter, from the question facet (open by default).
    question = press_until(page, "Tab", lambda s: "Par où commencer" in s["text"], "question option")
    by_both = number_in(question["text"].split("(")[-1])
    assert 0 < by_both < by_size < total
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"question=par-ou-commencer"))
    expect(page.locator("#resultats")).to_have_text(f"{by_both} fiches")
    expect(page.locator(".chips--removable a")).to_have_count(2)

    # The chips and "Effacer les filtres" come after the results' count; Shift+Tab goes back.
    press_until(page, "Tab", lambda s: s["text"] == "Effacer les filtres", "clear filters")
    chip = press_until(page, "Shift+Tab", lambda s: "retirer ce filtre" in s["text"], "last chip")
    assert "Par où commencer" in chip["text"] or "De 12 à 30" in chip["text"], chip
    shoot(page, "filtres actifs")
    press_until(page, "Tab", lambda s: s["text"] == "Effacer les filtres", "clear filters again")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator("#resultats")).to_have_text(f"{total} fiches")
    expect(page.locator(".chips--removable a")).to_have_count(0)

    # A fiche card's link opens the fiche.
    card = press_until(page, "Tab", lambda s: "card__title" in s["parentClass"], "first card")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(card["text"])
    shoot(page, "fiche")


def test_self_assessment_with_the_keyboard_only(commons_site, page, shoot):
    page.goto(commons_site.url + "/autodiagnostic/")
    first_levels = page.locator("fieldset.assessment__criterion input[type=radio][value='0']")
    names = first_levels.evaluate_all("inputs => inputs.map((input) => input.name)")
    assert len(names) >= 8

    def radio_of(name):
        return lambda s: s["tag"] == "input" and s["name"] == name

    # Submitted empty with Enter: the form comes back with its errors, each a link to its criterion.
    press_until(page, "Tab", lambda s: s["text"] == "Voir le résultat", "submit button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    errors = page.locator("#erreurs")
    expect(errors).to_be_visible()
    expect(errors.locator("a")).to_have_count(len(names))
    shoot(page, "erreurs")

    # Tab enters each radio group on its first level, Space picks it. (Another level needs the
    # arrow keys, the native radio group's own keys, outside this Tab/Space/Enter journey.)
    for name in names:
        state = press_until(page, "Tab", radio_of(name), f"criterion {name}")
        assert state["value"] == "0", state
        page.keyboard.press("Space")
        expect(page.locator(f"#{name}-0")).to_be_checked()
    shoot(page, "grille remplie")

    # Shift+Tab from the button comes back through the select to the last group's checked level.
    press_until(page, "Tab", lambda s: s["text"] == "Voir le résultat", "submit button")
    assert press_until(page, "Shift+Tab", lambda s: True, "population")["id"] == "population"
    state = press_until(page, "Shift+Tab", lambda s: True, "last criterion")
    assert (state["name"], state["value"]) == (names[-1], "0"), state
    press_until(page, "Tab", lambda s: s["text"] == "Voir le résultat", "submit button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/autodiagnostic/resultat/\?"))
    expect(page.locator(".lead")).to_contain_text("0 sur")
    rows = page.locator(".assessment-result__table tbody tr td:first-of-type")
    assert rows.all_inner_texts() == ["0"] * len(names)
    expect(page.get_by_role("heading", name=re.compile(r"\(niveau 0\)")).first).to_be_visible()
    shoot(page, "resultat")

    # The first recommended method, reached and opened with the keyboard.
    first = page.locator(".recommendations a").first.inner_text()
    press_until(page, "Tab", lambda s: s["text"] == first, "recommended method")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(first)
    shoot(page, "methode recommandee")

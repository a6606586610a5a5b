"""An élu's journey: the self-assessment grid, its radar, a recommended method, then a territory
of the same size found on the map."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.axe_audit import SETTLE

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_fill_the_grid_follow_a_method_then_a_territory_of_the_same_size(commons_site, page, shoot):
    # No tile server here: the map must work without its background, as a visitor's could.
    page.route(re.compile(r"https://tile\.openstreetmap\.org/.*"), lambda route: route.abort())
    page.goto(commons_site.url + "/autodiagnostic/")
    criteria = page.locator("fieldset.assessment__criterion")
    count = criteria.count()
    assert count >= 8
    for index in range(count):
        level = "0" if index == 1 else "2"  # "Implication des habitant·es" is the weakest
        criteria.nth(index).locator(f"input[type=radio][value='{level}']").check()
    page.get_by_label("Taille de votre commune").select_option("moins-de-1000")
    shoot(page, "grille")
    page.get_by_role("button", name="Voir le résultat").click()

    expect(page).to_have_url(re.compile(r"/autodiagnostic/resultat/\?.*population=moins-de-1000"))
    expect(page.get_by_role("img", name=re.compile("Profil du territoire"))).to_be_visible()
    expect(page.locator(".assessment-result__table tbody tr")).to_have_count(count)
    weakest = page.get_by_role("heading", name=re.compile(r"Implication des habitant·es \(niveau 0\)"))
    expect(weakest).to_be_visible()
    first = page.locator(".recommendations").first.locator("li").first
    expect(first).to_contain_text("éprouvée à")
    shoot(page, "resultat")
    method = first.locator("a").first
    title = method.inner_text()
    method.click()
    expect(page).to_have_url(re.compile(r"/methodes/[a-z0-9-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".fiche-provenance")).to_contain_text("Éprouvée à")
    shoot(page, "methode")

    page.goto(commons_site.url + "/territoires/")
    page.locator(".facet a", has_text="moins de 1 000 habitants").click()
    expect(page).to_have_url(re.compile(r"population=moins-de-1000"))
    markers = page.locator("#carte .leaflet-marker-icon")
    expect(markers.first).to_be_visible()
    listed = page.locator(".territory-item")
    assert markers.count() == listed.count() > 0
    page.evaluate(SETTLE)  # the zoom to the markers ends before a marker is clicked
    markers.first.click()
    shoot(page, "carte")
    page.locator(".leaflet-popup-content a").click()
    expect(page).to_have_url(re.compile(r"/territoires/[a-z0-9-]+/$"))
    population = page.locator(".facts dt", has_text="Population").locator("xpath=following-sibling::dd[1]")
    assert int(re.search(r"\d[\d\s]*", population.inner_text()).group().replace(" ", "")) < 1000
    expect(page.get_by_role("heading", name="Suivi des actions")).to_be_visible()
    shoot(page, "territoire")

"""axe-core on every public page type, the admin login and the self-assessment, on a phone and on
a desktop, as served (stylesheets, scripts and security headers included): no serious or critical
violation of WCAG 2.1 A/AA (the rules RGAA 4.1 builds on). The figures are printed at the end."""

import re

import pytest
from playwright.sync_api import expect

from methods.models import MethodPage
from tests.e2e.axe_audit import SETTLE, audit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ANSWERS = "connaissance=2&culture=1&diversite=2&gouvernance=3&habitants=0&portage=2&projets=1&vision=2"
TILES = re.compile(r"https://tile\.openstreetmap\.org/.*")


def public_pages(method: MethodPage, first: int, second: int) -> list[tuple[str, str, int]]:
    """(label, path, expected status) for each page type."""
    history = method.url + "historique/"
    return [
        ("Accueil", "/", 200),
        ("Méthodes et outils", "/methodes/", 200),
        ("Méthodes filtrées", "/methodes/?question=par-ou-commencer&taille=12-a-30&tri=titre", 200),
        ("Méthodes, recherche", "/methodes/?q=diagnostic&question=par-ou-commencer", 200),
        ("Méthode", method.url, 200),
        ("Outils", "/outils/", 200),
        ("Outil", "/outils/jeu-de-la-reunion/", 200),
        ("Questions", "/questions/", 200),
        ("Question", "/questions/qui-inclure/", 200),
        ("Territoires et carte", "/territoires/", 200),
        ("Territoires filtrés", "/territoires/?population=moins-de-1000", 200),
        ("Territoire", "/territoires/leaz/", 200),
        ("Associations", "/associations/", 200),
        ("Association", "/associations/la-traverse/", 200),
        ("Recherche", "/recherche/?q=concertation", 200),
        ("Recherche sans résultat", "/recherche/?q=resilliance", 200),
        ("Autodiagnostic", "/autodiagnostic/", 200),
        ("Autodiagnostic, résultat", f"/autodiagnostic/resultat/?{ANSWERS}&population=moins-de-1000", 200),
        ("Autodiagnostic incomplet", "/autodiagnostic/resultat/?habitants=0&vision=9", 400),
        ("Feuille de route", "/feuille-de-route/", 200),
        ("Historique", history, 200),
        ("Version", f"{history}{first}/", 200),
        ("Différences", f"{history}{first}/{second}/", 200),
        ("Données ouvertes", "/export/", 200),
        ("Page introuvable", "/cette-page-n-existe-pas/", 404),
        ("Connexion à l'administration", "/admin/login/", 200),
    ]


def settle(page, path: str) -> None:
    """Wait for what scripts add to the page: the map's markers on the territories' listing."""
    if path.startswith("/territoires/?") or path == "/territoires/":
        expect(page.locator("#carte .leaflet-marker-icon").first).to_be_visible()


def assert_no_blocking(audits) -> None:
    failing = [item for item in audits if item.blocking]
    assert not failing, "\n".join(item.describe() for item in failing)


@pytest.mark.parametrize("width", [390, 1280], ids=["telephone", "ordinateur"])
def test_every_page_type_has_no_serious_or_critical_violation(commons_site, browser, shoot, width):
    method = MethodPage.objects.get(slug="world-cafe")
    first = method.live_revision_id
    method.summary = method.summary.replace("Des petites tables", "Des tables de quatre personnes")
    method.save_revision(log_action=True).publish()
    second = MethodPage.objects.get(pk=method.pk).live_revision_id
    assert second != first

    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.route(TILES, lambda route: route.abort())  # no tile server here, as a visitor's may lack
    audits = []
    try:
        for label, path, status in public_pages(method, first, second):
            response = page.goto(commons_site.url + path)
            assert response.status == status, (path, response.status)
            settle(page, path)
            audits.append(audit(page, label))
            shoot(page, label)
    finally:
        context.close()
    assert_no_blocking(audits)


def test_interactive_states_have_no_serious_or_critical_violation(commons_site, page, shoot):
    """What scripts and forms show only after an action: suggestions, a map popup, closed facets
    opened, a failed admin login."""
    page.route(TILES, lambda route: route.abort())
    audits = []

    page.goto(commons_site.url + "/")
    box = page.get_by_role("combobox", name="Rechercher une méthode, un outil, un territoire")
    box.press_sequentially("resil", delay=30)
    expect(page.get_by_role("listbox", name="Fiches suggérées").get_by_role("option").first).to_be_visible()
    box.press("ArrowDown")
    audits.append(audit(page, "Suggestions de recherche ouvertes"))
    shoot(page, "suggestions")

    page.goto(commons_site.url + "/methodes/")
    closed = page.locator("details.facet:not([open]) > summary")
    assert closed.count() > 0
    while closed.count():
        closed.first.click()
    audits.append(audit(page, "Tous les filtres ouverts"))
    shoot(page, "filtres ouverts")

    page.goto(commons_site.url + "/territoires/")
    marker = page.locator("#carte .leaflet-marker-icon").first
    expect(marker).to_have_attribute("alt", re.compile(r"\w"))
    assert marker.get_attribute("alt") != "Marker"  # Leaflet's English default
    page.evaluate(SETTLE)  # the zoom to the markers ends before a marker is clicked
    marker.click()
    expect(page.locator(".leaflet-popup-content a")).to_be_visible()
    expect(page.locator(".leaflet-popup-close-button")).to_have_attribute("aria-label", "Fermer")
    audits.append(audit(page, "Carte, fenêtre d'un territoire"))
    shoot(page, "carte")

    page.goto(commons_site.url + "/admin/login/")
    page.locator("input[name=username]").fill("personne")
    page.locator("input[name=password]").fill("mauvais mot de passe")
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.locator(".messages .error").first).to_be_visible()
    audits.append(audit(page, "Connexion refusée"))
    shoot(page, "connexion refusee")
    assert_no_blocking(audits)

    # The audit can fail: a pale line and a nameless button added to the same page are found.
    page.evaluate(UNREADABLE)
    found = {violation["id"]: violation["impact"] for violation in audit(page, "témoin", keep=False).blocking}
    assert found == {"color-contrast": "serious", "button-name": "critical"}, found


UNREADABLE = """() => {
  const line = document.createElement("p");
  line.textContent = "Texte presque blanc";
  line.style.color = "#eeeeee";
  line.style.background = "#ffffff";
  document.querySelector("main").append(line, document.createElement("button"));
}"""

"""The Content-Security-Policy in a real browser: nothing on any page is blocked, the map still
works, JSON-LD needs no nonce, and the admin works under its own policy.

Chromium reports every blocked script, style or resource as a `securitypolicyviolation` event; a
script added before any page script (Playwright's init script, outside the page's policy) records
them. A control checks that the recorder does see what the policy blocks.
"""

import json
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

RECORDER = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__violations.push(`${event.effectiveDirective} ${event.blockedURI} ${where}`);
});
"""
TILES = re.compile(r"https://tile\.openstreetmap\.org/.*")


@pytest.fixture
def watched(page):
    page.add_init_script(RECORDER)
    page.route(TILES, lambda route: route.abort())  # no tile server here; img-src allows it
    return page


def violations(page) -> list[str]:
    page.wait_for_load_state("load")
    page.wait_for_timeout(150)  # deferred scripts and their fetches
    return page.evaluate("window.__violations")


def test_no_public_page_breaks_the_policy(commons_site, watched):
    from tests.security.test_headers import page_types

    for name, url in page_types().items():
        response = watched.goto(commons_site.url + url)
        assert response.status == 200, (name, url)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert violations(watched) == [], (name, url)
    watched.goto(commons_site.url + "/nexiste-pas/")
    assert violations(watched) == []


def test_the_recorder_sees_what_the_policy_blocks_and_cssom_styles_pass(commons_site, watched):
    watched.goto(commons_site.url + "/methodes/")
    assert violations(watched) == []
    watched.evaluate("""() => {
      const box = document.createElement("div");
      box.style.color = "red";  // CSSOM, as Leaflet does: allowed
      document.body.append(box);
    }""")
    assert violations(watched) == []
    watched.evaluate("""() => {
      const script = document.createElement("script");
      script.textContent = "window.__ran = true";
      document.body.append(script);
      const box = document.createElement("div");
      box.setAttribute("style", "color: red");  // a style attribute: blocked
      document.body.append(box);
    }""")
    blocked = violations(watched)
    assert any(line.startswith("script-src") for line in blocked), blocked
    assert any(line.startswith("style-src") for line in blocked), blocked
    assert watched.evaluate("window.__ran === undefined")


def test_json_ld_is_read_without_a_nonce_and_is_not_reported(commons_site, watched):
    watched.goto(commons_site.url + "/methodes/forum-ouvert/")
    data = json.loads(watched.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "HowTo" and data["name"]
    assert watched.locator("script[nonce]").count() == 0
    assert violations(watched) == []


def test_the_map_of_territories_works_under_the_policy(commons_site, watched):
    watched.goto(commons_site.url + "/territoires/")
    markers = watched.locator("#carte .leaflet-marker-icon")
    expect(markers.first).to_be_visible()
    assert markers.count() == watched.locator(".territory-item").count() > 0
    assert "translate3d" in markers.first.evaluate("marker => marker.style.transform")  # set by Leaflet
    markers.first.click()
    expect(watched.locator(".leaflet-popup-content a")).to_be_visible()
    assert violations(watched) == []


def test_the_admin_works_under_its_own_policy(commons_site, watched, django_user_model):
    from methods.models import MethodPage

    django_user_model.objects.create_superuser("admin-csp", "admin@example.org", "un mot de passe de test")
    method = MethodPage.objects.live().get(slug="forum-ouvert")
    watched.goto(commons_site.url + "/admin/login/")
    assert violations(watched) == []
    watched.locator("input[name=username]").fill("admin-csp")
    watched.locator("input[name=password]").fill("un mot de passe de test")
    watched.locator("button[type=submit]").click()
    expect(watched).to_have_url(re.compile(r"/admin/$"))
    for url in (
        "/admin/",
        f"/admin/pages/{method.pk}/edit/",
        "/admin/documents/multiple/add/",
        "/admin/images/multiple/add/",
        "/admin/pages/",
    ):
        response = watched.goto(commons_site.url + url)
        assert response.status == 200, url
        assert "'unsafe-inline'" in response.headers["content-security-policy"], url
        assert violations(watched) == [], url
    # The editor's Markdown preview and the page preview panel run under the admin's policy too.
    watched.goto(commons_site.url + f"/admin/pages/{method.pk}/edit/")
    watched.get_by_role("tab", name=re.compile("Contenu|Content")).first.click()
    assert violations(watched) == []


def test_a_signed_in_editor_sees_the_userbar_on_public_pages(commons_site, watched, django_user_model):
    django_user_model.objects.create_superuser("admin-barre", "barre@example.org", "un mot de passe de test")
    watched.goto(commons_site.url + "/admin/login/")
    watched.locator("input[name=username]").fill("admin-barre")
    watched.locator("input[name=password]").fill("un mot de passe de test")
    watched.locator("button[type=submit]").click()
    expect(watched).to_have_url(re.compile(r"/admin/$"))
    watched.goto(commons_site.url + "/methodes/forum-ouvert/")
    expect(watched.locator("wagtail-userbar")).to_be_attached()
    assert violations(watched) == []

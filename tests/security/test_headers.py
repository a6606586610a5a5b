"""Security headers on every public page type and on the admin; no inline script or style in pages."""

from html.parser import HTMLParser
from urllib.parse import urlencode

from django.conf import settings

from wagtail.models import Page

import pytest
from csp.utils import build_policy, default_config

from commons.models import Association, Question
from methods.models import MethodPage, ToolPage
from territories.assessment import grid
from territories.models import TerritoryPage
from tests.views.test_public_pages import version_urls

pytestmark = pytest.mark.django_db

PUBLIC_POLICY = build_policy(default_config(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]))
ADMIN_POLICY = build_policy(default_config(settings.COMMONS_ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]))


def page_types() -> dict[str, str]:
    """One URL of each public page type of the demo, named."""
    method = MethodPage.objects.live().first()
    tool = ToolPage.objects.live().first()
    territory = TerritoryPage.objects.live().first()
    answers = {criterion.slug: 2 for criterion in grid()}
    return {
        "accueil": "/",
        "liste des méthodes": "/methodes/",
        "liste filtrée": "/methodes/?question=par-ou-commencer",
        "méthode": method.url,
        "liste des outils": "/outils/",
        "outil": tool.url,
        "liste des territoires": "/territoires/",
        "territoire": territory.url,
        "questions": "/questions/",
        "question": Question.objects.first().get_absolute_url(),
        "associations": "/associations/",
        "association": Association.objects.first().get_absolute_url(),
        "recherche": "/recherche/?q=atelier",
        "autodiagnostic": "/autodiagnostic/",
        "résultat d'autodiagnostic": f"/autodiagnostic/resultat/?{urlencode(answers)}",
        "feuille de route": "/feuille-de-route/",
        "historique": f"{method.url}historique/",
        "export": "/export/",
    }


class InlineCode(HTMLParser):
    """Collects what a strict policy would block: inline scripts, style elements and attributes,
    event-handler attributes and javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.data_blocks = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            if attributes.get("type") in {"application/ld+json", "application/json"}:
                self.data_blocks += 1  # data, never executed: CSP does not apply
            else:
                self.found.append(f"<script> inline {attributes}")
        if tag == "style":
            self.found.append("<style>")
        for name, value in attrs:
            if name == "style":
                self.found.append(f'<{tag} style="{value}">')
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")


def inline_code(html: str) -> InlineCode:
    parser = InlineCode()
    parser.feed(html)
    return parser


def assert_public_headers(response, url):
    assert response["Content-Security-Policy"] == PUBLIC_POLICY, url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
    assert response["X-Frame-Options"] == "DENY", url
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
    assert response["Permissions-Policy"] == settings.COMMONS_PERMISSIONS_POLICY, url


def directives(policy: str) -> dict[str, str]:
    """A policy header as {directive: sources} (django-csp does not keep the directives' order)."""
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";"))


def test_the_public_policy_allows_no_inline_code_and_no_nonce():
    public = directives(PUBLIC_POLICY)
    assert public["script-src"] == public["style-src"] == public["default-src"] == "'self'"
    assert public["object-src"] == public["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in PUBLIC_POLICY and "unsafe-eval" not in PUBLIC_POLICY
    assert "nonce-" not in PUBLIC_POLICY


def test_every_public_page_type_has_the_headers_and_no_inline_code(client):
    for name, url in page_types().items():
        response = client.get(url)
        assert response.status_code == 200, (name, url)
        assert_public_headers(response, url)
        assert inline_code(response.content.decode()).found == [], (name, url)


def test_version_and_diff_pages_have_the_headers_and_no_inline_code(client):
    for url in version_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert_public_headers(response, url)
        assert inline_code(response.content.decode()).found == [], url


def test_every_live_page_has_no_inline_code(client):
    """All the demo's pages, not one per type: a fiche's own Markdown must not bring any either."""
    for page in Page.objects.live().filter(depth__gt=1).specific():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert inline_code(response.content.decode()).found == [], page.url


def test_a_fiche_keeps_its_json_ld_without_a_nonce(client):
    response = client.get(MethodPage.objects.live().first().url)
    parsed = inline_code(response.content.decode())
    assert parsed.data_blocks == 1 and parsed.found == []
    assert 'nonce="' not in response.content.decode()


def test_not_found_and_server_error_pages_have_the_headers(client, rf):
    response = client.get("/methodes/nexiste-pas/")
    assert response.status_code == 404
    assert_public_headers(response, "404")
    assert inline_code(response.content.decode()).found == []

    from django.template import loader

    assert inline_code(loader.get_template("500.html").render()).found == []


def test_a_page_served_from_the_page_cache_gets_the_headers_of_the_moment(client, settings, with_shortcuts):
    settings.PAGE_CACHE_SECONDS = 600
    client.get("/methodes/")
    response = client.get("/methodes/")
    assert response["X-Page-Cache"] == "hit"
    assert_public_headers(response, "/methodes/ (cache)")
    assert response.content.decode().count("Content-Security-Policy") == 0  # nothing frozen in the page


def test_exports_and_feeds_have_the_headers_too(client):
    for url in ("/export/commons.json", "/flux.xml", "/robots.txt", "/territoires.geojson"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == PUBLIC_POLICY, url
        assert response["X-Content-Type-Options"] == "nosniff", url


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def test_the_admin_login_has_the_admin_policy(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == ADMIN_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["Permissions-Policy"] == settings.COMMONS_PERMISSIONS_POLICY


def test_the_admin_policy_is_looser_only_where_wagtail_needs_it():
    admin, public = directives(ADMIN_POLICY), directives(PUBLIC_POLICY)
    assert admin["script-src"] == admin["style-src"] == "'self' 'unsafe-inline'"
    assert "unsafe-eval" not in ADMIN_POLICY and admin["object-src"] == "'none'"
    assert admin["frame-ancestors"] == admin["frame-src"] == "'self'"  # the preview is a same-origin iframe
    same = {"default-src", "connect-src", "object-src", "base-uri", "form-action"}
    assert {key: admin[key] for key in same} == {key: public[key] for key in same}


def test_admin_pages_have_the_admin_policy(admin_client):
    method = MethodPage.objects.live().first()
    for url in ("/admin/", f"/admin/pages/{method.pk}/edit/", "/admin/documents/", "/admin/password_reset/"):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Security-Policy"] == ADMIN_POLICY, url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url


def test_the_admin_preview_may_be_framed_by_the_admin_only(admin_client):
    method = MethodPage.objects.live().first()
    response = admin_client.get(f"/admin/pages/{method.pk}/edit/preview/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Security-Policy"] == ADMIN_POLICY


def test_the_inline_code_finder_finds_what_a_strict_policy_blocks():
    html = (
        '<script>alert(1)</script><script src="/static/x.js"></script><style>p{}</style>'
        '<p style="color:red" onclick="x()"><a href="javascript:alert(1)">x</a></p>'
        '<script type="application/ld+json">{}</script>'
    )
    parsed = inline_code(html)
    assert len(parsed.found) == 5 and parsed.data_blocks == 1

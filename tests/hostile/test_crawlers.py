"""Crawlers: filtered listings have a canonical link, noindex past one filter, nofollow facet links,
robots.txt says so, and the sitemap still lists every fiche."""

import re

from wagtail.models import Page

import pytest

from methods.models import MethodPage, ToolPage
from territories.models import TerritoryPage

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
NOINDEX = '<meta name="robots" content="noindex, follow">'


def canonical(html: str) -> str:
    links = re.findall(r'<link rel="canonical" href="([^"]*)">', html)
    assert len(links) == 1, links
    return links[0].replace("&amp;", "&")


@pytest.mark.parametrize(
    ("url", "expected", "noindex"),
    [
        ("/methodes/", "/methodes/", False),
        ("/methodes/?page=2", "/methodes/", False),
        ("/methodes/?tri=recent", "/methodes/", False),
        ("/methodes/?question=par-ou-commencer", "/methodes/?question=par-ou-commencer", False),
        (
            "/methodes/?question=par-ou-commencer&page=2&tri=recent",
            "/methodes/?question=par-ou-commencer",
            False,
        ),
        ("/methodes/?question=par-ou-commencer&question=qui-inclure", "/methodes/", True),
        ("/methodes/?question=par-ou-commencer&phase=comprendre-le-territoire", "/methodes/", True),
        (
            "/methodes/?question=par-ou-commencer&phase=comprendre-le-territoire&theme=vulnerabilites",
            "/methodes/",
            True,
        ),
        ("/methodes/?q=atelier", "/methodes/", True),
        ("/methodes/?question=inconnue", "/methodes/", False),  # an unknown value is no filter
        ("/outils/", "/outils/", False),
        ("/outils/?page=2", "/outils/", False),
        ("/territoires/", "/territoires/", False),
        ("/territoires/?population=1000-5000", "/territoires/?population=1000-5000", False),
        ("/territoires/?population=1000-5000&association=la-traverse", "/territoires/", True),
        ("/territoires/?population=inconnue", "/territoires/", False),
    ],
)
def test_filtered_listings_have_a_canonical_link_and_noindex_past_one_filter(client, url, expected, noindex):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert canonical(html) == BASE + expected
    assert (NOINDEX in html) is noindex
    assert html.count('name="robots"') == int(noindex)


def test_the_one_filter_canonical_is_itself_a_one_filter_listing(client):
    html = client.get("/territoires/?association=la-traverse&population=1000-5000").content.decode()
    assert NOINDEX in html
    one = client.get("/territoires/?population=1000-5000").content.decode()
    assert canonical(one) == BASE + "/territoires/?population=1000-5000" and NOINDEX not in one


def facet_links(html: str) -> list[dict]:
    aside = html.split('<aside class="browse__facets"', 1)[1].split("</aside>", 1)[0]
    links = re.findall(r"<a\s[^>]*>", aside)
    chips = re.findall(r'<ul class="chips chips--removable">(.*?)</ul>', html, re.S)
    sorts = re.findall(r'<p class="sort">(.*?)</p>', html, re.S)
    links += [link for part in chips + sorts for link in re.findall(r"<a\s[^>]*>", part)]
    return links


@pytest.mark.parametrize(
    "url",
    [
        "/methodes/",
        "/methodes/?question=par-ou-commencer&phase=comprendre-le-territoire",
        "/territoires/",
        "/territoires/?population=1000-5000",
    ],
)
def test_facet_and_sort_links_are_nofollow(client, url):
    links = facet_links(client.get(url).content.decode())
    filtering = [link for link in links if 'href="?' in link or "?" in link]  # "Effacer" goes to the listing
    assert len(filtering) > 10
    for link in filtering:
        assert 'rel="nofollow"' in link, link


def google_allows(rules: list[tuple[str, str]], path: str) -> bool:
    """Robots matching as Google documents it: `*` is any run of characters, longest rule wins."""
    best = ("", "allow")
    for kind, pattern in rules:
        regex = "^" + re.escape(pattern).replace(r"\*", ".*").replace(r"\$", "$")
        if re.match(regex, path) and len(pattern) > len(best[0]):
            best = (pattern, kind)
    return best[1] == "allow"


def robots_rules(client) -> tuple[str, list[tuple[str, str]]]:
    text = client.get("/robots.txt").content.decode()
    lines = [line.split(":", 1) for line in text.splitlines() if ":" in line and not line.startswith("#")]
    rules = [(kind.strip().lower(), pattern.strip()) for kind, pattern in lines]
    return text, [(kind, pattern) for kind, pattern in rules if kind in {"allow", "disallow"} and pattern]


def test_robots_txt_keeps_crawlers_to_one_filter(client):
    text, rules = robots_rules(client)
    assert text.startswith("# ")  # says why, in French, for whoever reads it
    assert "Disallow: /methodes/?*&" in text and "Disallow: /territoires/?*&" in text
    for allowed in ["/methodes/", "/methodes/?question=par-ou-commencer", "/territoires/?population=1",
                    "/outils/?page=2", "/methodes/forum-ouvert/", "/territoires/leaz/", "/"]:  # fmt: skip
        assert google_allows(rules, allowed), allowed
    for refused in ["/methodes/?question=par-ou-commencer&phase=comprendre-le-territoire",
                    "/methodes/?question=a&question=b", "/territoires/?population=1000-5000&region=x",
                    "/admin/", "/recherche/?q=atelier"]:  # fmt: skip
        assert not google_allows(rules, refused), refused


def test_the_sitemap_lists_every_fiche_and_no_filtered_listing(client):
    xml = client.get("/sitemap.xml").content.decode()
    locations = set(re.findall(r"<loc>([^<]*)</loc>", xml))
    fiches = Page.objects.live().public().type(MethodPage, ToolPage, TerritoryPage)
    assert fiches.count() > 40
    for fiche in fiches:
        assert BASE + fiche.url in locations, fiche.url
    assert not [location for location in locations if "?" in location]
    _text, rules = robots_rules(client)
    for location in locations:
        assert google_allows(rules, location.removeprefix(BASE)), location

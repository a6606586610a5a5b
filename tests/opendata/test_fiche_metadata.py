"""Every fiche page carries schema.org JSON-LD and OpenGraph tags, safely escaped, with no query."""

import json
import re

import pytest

from commons.opendata.jsonld import heading_steps, json_ld_script
from methods.models import MethodPage, ToolPage
from tests.conftest import publish

pytestmark = pytest.mark.django_db

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld(html: str) -> dict:
    scripts = JSON_LD.findall(html)
    assert len(scripts) == 1
    return json.loads(scripts[0])


def meta(html: str, name: str) -> str:
    found = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)
    assert found, name
    return found.group(1)


def test_a_method_is_a_howto_with_its_licence_authors_dates_and_steps(client):
    html = client.get("/methodes/forum-ouvert/").content.decode()
    data = json_ld(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "HowTo"
    assert data["name"] == "Forum ouvert"
    assert data["url"] == "http://testserver/methodes/forum-ouvert/"
    assert data["license"].startswith("https://creativecommons.org/licenses/by/4.0/")
    assert data["inLanguage"] == "fr" and data["isAccessibleForFree"] is True
    assert data["datePublished"] and data["dateModified"]
    assert [a["name"] for a in data["author"]] == ["REACT"]
    assert data["author"][0]["url"] == "http://testserver/associations/react/"
    assert "forum ouvert" in data["keywords"]
    steps = [step["name"] for step in data["step"]]
    assert steps[:2] == ["Objectifs", "Déroulé pas à pas"]


def test_a_tool_is_a_creative_work_and_a_territory_a_place(client):
    tool = ToolPage.objects.live().first()
    assert json_ld(client.get(tool.url).content.decode())["@type"] == "CreativeWork"
    data = json_ld(client.get("/territoires/leaz/").content.decode())
    assert data["@type"] == "Place"
    assert data["geo"]["@type"] == "GeoCoordinates"
    assert isinstance(data["geo"]["latitude"], float) and isinstance(data["geo"]["longitude"], float)
    study = data["subjectOf"]
    assert study["license"].startswith("https://creativecommons.org/") and study["author"]


def test_a_fiche_page_has_its_opengraph_tags(client):
    html = client.get("/methodes/forum-ouvert/").content.decode()
    assert meta(html, "og:title") == "Forum ouvert"
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == "http://testserver/methodes/forum-ouvert/"
    assert meta(html, "og:locale") == "fr_FR"
    assert meta(html, "og:site_name") == "Communs des transitions"
    assert meta(html, "og:description").startswith("Sans ordre du jour")
    assert meta(html, "article:modified_time")
    assert meta(html, "twitter:card") == "summary"


def test_a_hostile_title_cannot_close_the_script(client):
    method = MethodPage.objects.get(slug="forum-ouvert")
    method.title = "Forum </script><script>alert(1)</script> & co"
    publish(method)
    html = client.get("/methodes/forum-ouvert/").content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)["name"] == "Forum </script><script>alert(1)</script> & co"


def test_the_script_escapes_what_html_would_read():
    script = str(json_ld_script({"name": "a</script>&<!--b"}))
    inner = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in inner and ">" not in inner and "&" not in inner
    assert json.loads(inner) == {"name": "a</script>&<!--b"}


def test_steps_are_the_level_two_headings_with_their_anchors():
    html = '<h2 id="objectifs">Objectifs</h2><p>x</p><h3>Non</h3><h2>L&#x27;<em>après</em></h2><h2> </h2>'
    steps = heading_steps(html, "https://x/m/")
    assert [(s["position"], s["name"], s["url"]) for s in steps] == [
        (1, "Objectifs", "https://x/m/#objectifs"),
        (2, "L'après", "https://x/m/"),
    ]


def test_a_past_version_points_to_its_permalink(client):
    method = publish(MethodPage.objects.get(slug="forum-ouvert"))
    html = client.get(f"/methodes/forum-ouvert/historique/{method.live_revision_id}/").content.decode()
    permalink = f"http://testserver/methodes/forum-ouvert/historique/{method.live_revision_id}/"
    assert json_ld(html)["url"] == permalink == meta(html, "og:url")


def test_a_page_that_is_not_a_fiche_has_no_json_ld(client):
    assert "application/ld+json" not in client.get("/questions/").content.decode()

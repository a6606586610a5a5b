"""`/territoires/`: filters with counts, unknown values, pagination; `/territoires.geojson`."""

import json
from decimal import Decimal

import pytest

from territories.atlas import POPULATION_BANDS, band_of
from territories.models import TerritoryPage
from tests.conftest import publish

pytestmark = pytest.mark.django_db

# Metropolitan France, overseas aside: where the demo territories must fall.
FRANCE = {"lon": (-5.2, 9.6), "lat": (41.3, 51.1)}


def geojson(client, query=""):
    response = client.get(f"/territoires.geojson{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    return json.loads(response.content)


@pytest.mark.parametrize(
    ("population", "band"),
    [(None, ""), (0, "moins-de-1000"), (999, "moins-de-1000"), (1000, "1000-5000"), (4999, "1000-5000"),
     (5000, "5000-20000"), (20000, "plus-de-20000"), (46712, "plus-de-20000")],
)  # fmt: skip
def test_population_bands_have_no_gap_and_no_overlap(population, band):
    assert band_of(population) == band
    assert [b.value for b in POPULATION_BANDS] == [
        "moins-de-1000",
        "1000-5000",
        "5000-20000",
        "plus-de-20000",
    ]


def test_the_list_shows_every_published_territory_with_counts(client):
    html = client.get("/territoires/").content.decode()
    territories = TerritoryPage.objects.live()
    assert f"{territories.count()} territoires</h2>" in html
    for territory in territories:
        assert territory.url in html
    la_traverse = territories.filter(accompanying_associations__slug="la-traverse").count()
    assert f'La Traverse <span class="facet__count">({la_traverse}' in html
    assert 'id="carte"' in html and 'data-geojson="/territoires.geojson"' in html
    assert "/static/leaflet/leaflet.js" in html or "leaflet/leaflet." in html


def test_filters_combine_and_count_with_the_others_applied(client):
    html = client.get("/territoires/?region=Nouvelle-Aquitaine&population=moins-de-1000").content.decode()
    assert "1 territoire</h2>" in html  # Jazeneuil: 793 inhabitants in the Vienne
    assert "/territoires/jazeneuil/" in html and "/territoires/migne-auxances/" not in html
    # With the region kept, the bands count Nouvelle-Aquitaine's territories only.
    assert 'plus de 20 000 habitants <span class="facet__count">(1' in html  # Mellois-en-Poitou
    assert (
        'data-geojson="/territoires.geojson?population=moins-de-1000&amp;region=Nouvelle-Aquitaine"' in html
    )


def test_filter_by_method_used_and_by_association(client):
    html = client.get(
        "/territoires/?methode=residence-de-territoire&association=la-traverse"
    ).content.decode()
    assert "2 territoires</h2>" in html
    assert "/territoires/jazeneuil/" in html and "/territoires/migne-auxances/" in html


def test_unknown_filter_values_are_ignored_with_a_notice(client):
    response = client.get("/territoires/?region=Atlantide&population=%3Cscript%3E&type=commune")
    assert response.status_code == 200
    html = response.content.decode()
    assert "la valeur « Atlantide » est inconnue, elle a été ignorée" in html
    assert (
        "&lt;script&gt;" in html and "<script>" not in html.split("</header>", 1)[-1].split("<script", 1)[0]
    )
    assert f"{TerritoryPage.objects.live().filter(kind='commune').count()} territoires</h2>" in html


def test_no_territory_matches_says_so(client):
    html = client.get("/territoires/?region=Occitanie&population=plus-de-20000").content.decode()
    assert "Aucun territoire ne correspond à ces filtres." in html


def test_geojson_is_a_valid_feature_collection_in_longitude_latitude_order(client):
    collection = geojson(client)
    assert collection["type"] == "FeatureCollection"
    located = TerritoryPage.objects.live().exclude(latitude=None).exclude(longitude=None)
    assert len(collection["features"]) == located.count() == 7
    for feature in collection["features"]:
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert FRANCE["lon"][0] < lon < FRANCE["lon"][1] and FRANCE["lat"][0] < lat < FRANCE["lat"][1]
        assert set(feature["properties"]) >= {"name", "url", "kind", "population", "associations", "methods"}
    leaz = next(f for f in collection["features"] if f["properties"]["url"] == "/territoires/leaz/")
    assert leaz["geometry"]["coordinates"] == [5.8867, 46.0981]  # longitude first (RFC 7946)
    assert leaz["properties"]["associations"] == ["Solucracy"]
    assert "Porte-à-porte appréciatif" in leaz["properties"]["methods"]


def test_geojson_follows_the_filters_and_leaves_out_territories_without_coordinates(client):
    assert len(geojson(client, "?association=la-traverse")["features"]) == 3
    leaz = TerritoryPage.objects.get(slug="leaz")
    leaz.latitude = None
    publish(leaz)
    urls = [f["properties"]["url"] for f in geojson(client)["features"]]
    assert "/territoires/leaz/" not in urls and len(urls) == 6


def test_geojson_has_validators_and_changes_on_publish(client):
    first = client.get("/territoires.geojson")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert client.get("/territoires.geojson", HTTP_IF_NONE_MATCH=etag).status_code == 304
    leaz = TerritoryPage.objects.get(slug="leaz")
    leaz.population = 800
    publish(leaz)
    again = client.get("/territoires.geojson", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag
    feature = next(
        f for f in json.loads(again.content)["features"] if f["properties"]["url"] == "/territoires/leaz/"
    )
    assert feature["properties"]["population"] == 800
    assert modified


def test_drafts_are_absent_from_the_list_and_the_map(client):
    leaz = TerritoryPage.objects.get(slug="leaz")
    leaz.title = "Titre en brouillon"
    leaz.latitude = Decimal("10")
    leaz.save_revision()
    lunas = TerritoryPage.objects.get(slug="lunas")
    lunas.unpublish()
    html = client.get("/territoires/").content.decode()
    text = json.dumps(geojson(client), ensure_ascii=False)
    for shown in (html, text):
        assert "Titre en brouillon" not in shown and "/territoires/lunas/" not in shown
    assert "10.0" not in text


def test_the_list_pages_by_twenty(client, territory_index):
    from tests.factories import TerritoryPageFactory

    for number in range(25):
        TerritoryPageFactory(parent=territory_index, title=f"Commune test {number:02d}", region="Bretagne")
    html = client.get("/territoires/?region=Bretagne").content.decode()
    assert "25 territoires</h2>" in html and "Page 1 sur 2" in html
    second = client.get("/territoires/?region=Bretagne&page=2").content.decode()
    assert "Page 2 sur 2" in second and "Commune test 24" in second
    assert client.get("/territoires/?page=999").status_code == 200


def test_the_geojson_joined_from_its_features_is_what_json_dumps_gives(client):
    from territories.atlas import atlas
    from territories.geojson import collection_json, feature_collection

    rows = atlas().rows
    assert json.loads(collection_json(rows, atlas().features)) == json.loads(
        json.dumps(feature_collection(rows))
    )
    assert (
        json.loads(collection_json(rows[:2], atlas().features))["features"]
        == feature_collection(rows[:2])["features"]
    )
    assert collection_json([], atlas().features) == '{"type":"FeatureCollection","features":[]}'


def test_the_method_filter_shows_the_most_used_methods_and_keeps_the_selected_one():
    from territories.atlas import atlas
    from territories.filters import FILTERS, choices, select

    methode = next(f for f in FILTERS if f.name == "methode")
    assert methode.most == 15
    rare = min(atlas().method_titles)  # any method used somewhere
    selection = select(atlas(), {"methode": rare})
    shown = next(c for c in choices(atlas(), selection) if c.filter.name == "methode")
    assert len(shown.options) <= 15 and any(o.value == rare and o.selected for o in shown.options)

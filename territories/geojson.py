"""Territories as GeoJSON (RFC 7946): a FeatureCollection of points, [longitude, latitude].

Each territory's feature is serialised once per content generation, with the atlas
(`feature_json`), and a response only joins them: at 2,000 territories (1 MB) building and
serialising the dictionaries on every request took 41 ms at p50 and 165 ms at p95 on PostgreSQL
(`make bench`, 2 cores); `tests/territories/test_atlas.py` proves the joined text is the
collection `json.dumps` gives.
"""

import json


def feature(row) -> dict:
    """`row`: a `territories.atlas.TerritoryRow` with coordinates."""
    return {
        "type": "Feature",
        "id": row.pk,
        "geometry": {"type": "Point", "coordinates": [row.longitude, row.latitude]},
        "properties": {
            "name": row.title,
            "url": row.url,
            "kind": row.kind,
            "kind_label": row.kind_label,
            "population": row.population,
            "associations": list(row.association_names),
            "methods": list(row.method_titles),
        },
    }


def is_located(row) -> bool:
    """A point needs both coordinates: territories without them are left off the map."""
    return row.latitude is not None and row.longitude is not None


def feature_json(row) -> str:
    return json.dumps(feature(row), ensure_ascii=False, separators=(",", ":"))


def feature_collection(rows) -> dict:
    return {"type": "FeatureCollection", "features": [feature(row) for row in rows if is_located(row)]}


def collection_json(rows, features: dict[int, str]) -> str:
    """The collection of `rows` from their serialised `features` (by territory id)."""
    located = ",".join(features[row.pk] for row in rows if row.pk in features)
    return '{"type":"FeatureCollection","features":[' + located + "]}"

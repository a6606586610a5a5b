"""Territories as GeoJSON (RFC 7946): a FeatureCollection of points, [longitude, latitude]."""

from territories.atlas import TerritoryRow


def feature(row: TerritoryRow) -> dict:
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


def feature_collection(rows: list[TerritoryRow]) -> dict:
    """Territories without coordinates are left out: a point needs both."""
    located = [row for row in rows if row.latitude is not None and row.longitude is not None]
    return {"type": "FeatureCollection", "features": [feature(row) for row in located]}

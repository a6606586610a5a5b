"""The atlas of territories: every published territory as one light row, for `/territoires/`
(filters with counts) and `/territoires.geojson` (the map).

The rows are read in three queries once per content generation (`speed.freshness.per_generation`:
any publication bumps it) and filtered in memory: at 2,000 territories a filtered list costs no
query, and each filter's counts are one pass over the rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commons.speed.freshness import per_generation
from commons.speed.listing import title_key
from commons.speed.visibility import page_url
from territories.geojson import feature_json, is_located


@dataclass(frozen=True)
class PopulationBand:
    value: str
    label: str
    low: int
    high: int | None  # excluded; None: no upper bound

    def holds(self, population: int | None) -> bool:
        return (
            population is not None
            and population >= self.low
            and (self.high is None or population < self.high)
        )


POPULATION_BANDS = (
    PopulationBand("moins-de-1000", _("moins de 1 000 habitants"), 0, 1000),
    PopulationBand("1000-5000", _("1 000 à 5 000 habitants"), 1000, 5000),
    PopulationBand("5000-20000", _("5 000 à 20 000 habitants"), 5000, 20000),
    PopulationBand("plus-de-20000", _("plus de 20 000 habitants"), 20000, None),
)


def band_of(population: int | None) -> str:
    """The value of the population band a territory falls in ("" when its population is unknown)."""
    return next((band.value for band in POPULATION_BANDS if band.holds(population)), "")


@dataclass(frozen=True)
class TerritoryRow:
    pk: int
    title: str
    url: str
    summary: str
    kind: str
    kind_label: str
    region: str
    departement: str
    population: int | None
    latitude: float | None
    longitude: float | None
    association_slugs: tuple[str, ...] = ()
    association_names: tuple[str, ...] = ()
    method_slugs: tuple[str, ...] = ()
    method_ids: tuple[int, ...] = ()
    method_titles: tuple[str, ...] = ()

    @property
    def band(self) -> str:
        return band_of(self.population)


@dataclass
class Atlas:
    rows: list[TerritoryRow] = field(default_factory=list)
    # When this generation's rows were read: after the change that made them (Last-Modified).
    built_at: datetime | None = None
    association_names: dict[str, str] = field(default_factory=dict)  # slug -> name
    method_titles: dict[str, str] = field(default_factory=dict)  # slug -> title
    features: dict[int, str] = field(default_factory=dict)  # territory id -> its GeoJSON feature
    filter_values: list | None = None  # filled by `territories.filters` on first use


def atlas() -> Atlas:
    return per_generation("territory-atlas", build_atlas)


def build_atlas() -> Atlas:
    TerritoryPage = apps.get_model("territories", "TerritoryPage")  # noqa: N806 - a model class
    MethodPage = apps.get_model("methods", "MethodPage")  # noqa: N806
    territories = TerritoryPage.objects.live_public()
    columns = ("pk", "title", "url_path", "summary", "kind", "region", "departement", "population")
    rows = list(territories.values_list(*columns, "latitude", "longitude"))
    partners = territories.filter(accompanying_associations__isnull=False).values_list(
        "pk", "accompanying_associations__slug", "accompanying_associations__name"
    )
    public_methods = MethodPage.objects.live_public().values("pk")
    used = territories.filter(method_uses__method__in=public_methods).order_by(
        "pk", "method_uses__sort_order"
    )
    uses = used.values_list(
        "pk", "method_uses__method_id", "method_uses__method__slug", "method_uses__method__title"
    )
    by_page: dict[int, dict[str, dict[str, str]]] = {}
    for page_id, slug, name in [*partners.order_by("pk", "accompanying_associations__sort_order")]:
        by_page.setdefault(page_id, {}).setdefault("associations", {})[slug] = name
    for page_id, method_id, slug, title in uses:
        by_page.setdefault(page_id, {}).setdefault("methods", {})[slug] = title
        by_page[page_id].setdefault("method_ids", {})[method_id] = slug
    kinds = dict(TerritoryPage.Kind.choices)
    result = Atlas(built_at=timezone.now().replace(microsecond=0))
    for pk, title, url_path, summary, kind, region, departement, population, lat, lon in rows:
        links = by_page.get(pk, {})
        associations, methods = links.get("associations", {}), links.get("methods", {})
        result.association_names.update(associations)
        result.method_titles.update(methods)
        result.rows.append(
            TerritoryRow(
                pk,
                title,
                page_url(url_path),
                summary,
                kind,
                str(kinds.get(kind, kind)),
                region,
                departement,
                population,
                None if lat is None else float(lat),
                None if lon is None else float(lon),
                association_slugs=tuple(associations),
                association_names=tuple(associations.values()),
                method_slugs=tuple(methods),
                method_titles=tuple(methods.values()),
                method_ids=tuple(links.get("method_ids", {})),
            )
        )
    result.rows.sort(key=lambda row: (title_key(row.title), row.pk))
    result.features = {row.pk: feature_json(row) for row in result.rows if is_located(row)}
    return result

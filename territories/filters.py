"""Filters of `/territoires/` and of its GeoJSON: population band, kind, région, département,
association, method used. One value per filter, filters combined (AND); each option counts the
territories it would give with the other filters kept; an unknown value is ignored, with a notice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from territories.atlas import POPULATION_BANDS, Atlas, TerritoryRow


@dataclass(frozen=True)
class Filter:
    name: str  # its GET parameter
    label: str
    values_of: Callable[[TerritoryRow], tuple[str, ...]]
    labels: Callable[[Atlas], dict[str, str]]  # every value it may take -> its label, in display order
    # Show only the `most` options with the most territories (the commons has thousands of
    # methods: listing them all made `/territoires/` weigh 256 KB at 2,000 territories).
    most: int | None = None


def sorted_labels(values) -> dict[str, str]:
    return {value: value for value in sorted(set(values), key=str.casefold) if value}


FILTERS = (
    Filter(
        "population",
        _("Population"),
        lambda r: (r.band,),
        lambda a: {band.value: str(band.label) for band in POPULATION_BANDS},
    ),
    Filter(
        "type", _("Type de territoire"), lambda r: (r.kind,), lambda a: {r.kind: r.kind_label for r in a.rows}
    ),
    Filter("region", _("Région"), lambda r: (r.region,), lambda a: sorted_labels(r.region for r in a.rows)),
    Filter(
        "departement",
        _("Département"),
        lambda r: (r.departement,),
        lambda a: sorted_labels(r.departement for r in a.rows),
    ),
    Filter(
        "association",
        _("Association"),
        lambda r: r.association_slugs,
        lambda a: dict(sorted(a.association_names.items(), key=lambda item: item[1].casefold())),
    ),
    Filter(
        "methode",
        _("Méthode mise en œuvre"),
        lambda r: r.method_slugs,
        lambda a: dict(sorted(a.method_titles.items(), key=lambda item: item[1].casefold())),
        most=15,
    ),
)


@dataclass
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class FilterChoices:
    filter: Filter
    options: list[Option]
    selected: str = ""
    capped: bool = False  # some options are not shown (`Filter.most`)


@dataclass
class Selection:
    values: dict[str, str] = field(default_factory=dict)  # filter name -> selected value
    ignored: list[tuple[str, str]] = field(default_factory=list)  # (label, value) unknown

    def query(self, **changes) -> str:
        """The query string of this selection with `changes` (a value "" removes a filter)."""
        values = {**self.values, **changes}
        return urlencode({name: value for name, value in values.items() if value})


def select(atlas: Atlas, params) -> Selection:
    """The filters asked for in `params` (a QueryDict or dict) that name known values."""
    selection = Selection()
    for each in FILTERS:
        value = params.get(each.name, "")
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            continue
        if value in each.labels(atlas):
            selection.values[each.name] = value
        else:
            selection.ignored.append((str(each.label), value[:80]))
    return selection


def matches(row: TerritoryRow, values: dict[str, str], skip: str = "") -> bool:
    return all(
        value in each.values_of(row)
        for each in FILTERS
        if (value := values.get(each.name)) and each.name != skip
    )


def filtered(atlas: Atlas, selection: Selection) -> list[TerritoryRow]:
    return [row for row in atlas.rows if matches(row, selection.values)]


def choices(atlas: Atlas, selection: Selection) -> list[FilterChoices]:
    """Each filter's options with their counts, the other filters applied; empty options left out
    unless selected. Each territory's values are read once per content generation, then counted."""
    table = filter_values(atlas)

    chosen = [
        (number, value) for number, each in enumerate(FILTERS) if (value := selection.values.get(each.name))
    ]
    result = []
    for number, each in enumerate(FILTERS):
        others = [(other, value) for other, value in chosen if other != number]
        counts = Counter(
            value
            for values in table
            if all(v in values[other] for other, v in others)
            for value in values[number]
        )
        result.append(options_of(each, atlas, counts, selection.values.get(each.name, "")))
    return result


def filter_values(atlas: Atlas) -> list[list[tuple[str, ...]]]:
    """Each territory's values for every filter, kept with the atlas they come from (built once
    per content generation, the atlas is shared: this fills its memo once per process)."""
    if atlas.filter_values is None:
        atlas.filter_values = [[each.values_of(row) for each in FILTERS] for row in atlas.rows]
    return atlas.filter_values


def options_of(each: Filter, atlas: Atlas, counts: Counter, chosen: str) -> FilterChoices:
    options = [
        Option(value, label, counts[value], value == chosen)
        for value, label in each.labels(atlas).items()
        if counts[value] or value == chosen
    ]
    capped = each.most is not None and len(options) > each.most
    if capped:
        ranked = sorted(options, key=lambda option: (not option.selected, -option.count))
        shown = {option.value for option in ranked[: each.most]}
        options = [option for option in options if option.value in shown]
    return FilterChoices(each, options, chosen, capped)

"""An in-memory bitmap index of the browsed fiches, rebuilt once per content generation.

Counting every value of every facet with SQL means a dozen semi-joins over the whole commons on
each request (400 ms at 10,000 fiches on PostgreSQL). Here each live public fiche of a browsed
type (`commons.fiche_types`: methods and tools) gets a position (its rank in title order), and
each facet value a bitmap — a Python int whose bit n is set when the fiche at position n has that
value. Filtering is AND/OR of ints, counting is `int.bit_count()`: microseconds for 10,000
fiches, and no query once the index is built. The facets are those the apps registered.

The index is built in a query per browsed type and one for every facet link when the content
generation changes (`commons.speed.freshness`), then kept in the shared cache and in each
process's memory: it is rebuilt once per change, never stale. Related fiches are ranked on it by
the terms they share (`related_ids`), for a live page and a preview alike.
"""

from dataclasses import dataclass, field

from django.db.models import CharField, Value

from commons import fiche_types
from commons.speed.freshness import per_generation
from commons.speed.listing import read_cards, title_key
from commons.speed.vocabulary import vocabulary


@dataclass(frozen=True)
class SizeBand:
    """A band of group sizes: a fiche fits when its own range overlaps [low, high]."""

    value: str
    label: str
    low: int
    high: int | None = None

    def fits(self, size_min: int | None, size_max: int | None) -> bool:
        # A missing minimum means "from 1", a missing maximum "no limit"; a fiche with neither
        # says nothing about its group and fits no band.
        if size_min is None and size_max is None:
            return False
        low, high = size_min or 0, size_max if size_max is not None else float("inf")
        return high >= self.low and (self.high is None or low <= self.high)


@dataclass
class Facet:
    """A filter of the browsed fiches. `relation` names a many-to-many field; `choice_field` a
    field with fixed choices; `bands` group a (min, max) pair of fields; none means the fiche type.
    `models` are the types it applies to (empty: every browsed type)."""

    param: str
    label: str
    relation: str = ""
    term_model: type | None = None
    models: tuple = ()
    choice_field: str = ""
    choices: tuple = ()
    bands: tuple = ()
    band_fields: tuple = ()
    hierarchical: bool = False

    def applies_to(self, model) -> bool:
        return not self.models or model in self.models

    def fields(self) -> tuple:
        """The columns of a fiche this facet reads."""
        return (self.choice_field,) if self.choice_field else self.band_fields


@dataclass
class FacetIndex:
    ids: list[int]  # page ids in title order: a fiche's position is its bit
    recent: list[int]  # positions, most recently published first
    bitmaps: dict[tuple[str, str], int] = field(default_factory=dict)  # (facet, key) -> fiches
    keys: dict[str, list[str]] = field(default_factory=dict)  # facet -> its keys, once built

    @property
    def everything(self) -> int:
        return (1 << len(self.ids)) - 1

    def bitmap(self, facet: str, key: str) -> int:
        return self.bitmaps.get((facet, key), 0)

    def bitmap_of_ids(self, page_ids) -> int:
        positions = self.positions
        mask = 0
        for page_id in page_ids:
            if page_id in positions:
                mask |= 1 << positions[page_id]
        return mask

    @property
    def positions(self) -> dict[int, int]:
        if not hasattr(self, "_positions"):
            self._positions = {page_id: n for n, page_id in enumerate(self.ids)}
        return self._positions

    def keys_of(self, facet: str) -> list[str]:
        return self.keys.get(facet, [])

    def keys_of_page(self, page_id: int, facets) -> list[tuple[str, str]]:
        """The (facet, key) pairs of `facets` the fiche `page_id` has, as the index holds them."""
        position = self.positions[page_id]
        return [key for key, bits in self.bitmaps.items() if key[0] in facets and bits >> position & 1]

    def ids_in_title_order(self, mask: int, offset: int, limit: int) -> list[int]:
        """Ids of the fiches in `mask`, skipping `offset` of them, at most `limit`."""
        found: list[int] = []
        bits = bin(mask)[:1:-1]  # least significant bit first: bits[n] is position n
        position = bits.find("1")
        skipped = 0
        while position != -1 and len(found) < limit:
            if skipped < offset:
                skipped += 1
            else:
                found.append(self.ids[position])
            position = bits.find("1", position + 1)
        return found

    def ids_in_order(self, mask: int, order: list[int], offset: int, limit: int) -> list[int]:
        """Ids of the fiches in `mask` following `order` (a list of positions)."""
        matching = (position for position in order if mask >> position & 1)
        found = []
        for n, position in enumerate(matching):
            if n >= offset + limit:
                break
            if n >= offset:
                found.append(self.ids[position])
        return found


def facet_index(facets=None) -> FacetIndex:
    """The index of the current content generation over the registered facets (built, or read from
    the shared cache, once per change of content in each process; shared: do not modify it)."""
    return per_generation(
        "facet-index", lambda: build_index(fiche_types.facets() if facets is None else facets)
    )


def build_index(facets) -> FacetIndex:
    rows = browsed_rows(facets)
    rows.sort(key=lambda row: (title_key(row[1]), row[0]))
    index = FacetIndex(ids=[row[0] for row in rows], recent=[])
    index.recent = sorted(
        range(len(rows)),
        key=lambda n: (-(rows[n][2].timestamp() if rows[n][2] else 0), title_key(rows[n][1]), rows[n][0]),
    )
    add = add_bit(index)
    for position, (_pk, _title, _date, fiche_type, values) in enumerate(rows):
        add("type", fiche_type.browse_key, position)
        add_field_values(facets, fiche_type.model, add, position, values)
    positions = index.positions
    for page_id, facet, term_id in facet_links(facets):
        if page_id in positions:
            add(facet, str(term_id), positions[page_id])
    add_parent_bitmaps(facets, index)
    for name, key in index.bitmaps:
        index.keys.setdefault(name, []).append(key)
    return index


def browsed_rows(facets) -> list[tuple]:
    """(id, title, last publication, type, {field: value}) of every live public browsed fiche."""
    rows = []
    for fiche_type in fiche_types.browsed_types():
        model = fiche_type.model
        fields = list(dict.fromkeys(f for facet in facets if facet.applies_to(model) for f in facet.fields()))
        values = model.objects.live_public().values_list("pk", "title", "last_published_at", *fields)
        rows += [
            (pk, title, date, fiche_type, dict(zip(fields, rest, strict=True)))
            for pk, title, date, *rest in values
        ]
    return rows


def add_bit(index: FacetIndex):
    def add(facet: str, key: str, position: int) -> None:
        index.bitmaps[(facet, key)] = index.bitmaps.get((facet, key), 0) | 1 << position

    return add


def add_field_values(facets, model, add, position: int, values: dict) -> None:
    """The fixed-choice facets and the size bands of one fiche."""
    for facet in facets:
        if not facet.applies_to(model):
            continue
        if facet.choice_field and values.get(facet.choice_field):
            add(facet.param, values[facet.choice_field], position)
        if facet.bands:
            low, high = (values[name] for name in facet.band_fields)
            for band in facet.bands:
                if band.fits(low, high):
                    add(facet.param, band.value, position)


def facet_links(facets):
    """(page id, facet, term id) for every link of every relation facet, in one query."""
    parts = []
    for facet in facets:
        if not facet.relation:
            continue
        for model in (t.model for t in fiche_types.browsed_types()):
            if facet.applies_to(model):
                parts.append(relation_links(model, facet))
    return parts[0].union(*parts[1:], all=True) if parts else []


def relation_links(model, facet):
    field_ = model._meta.get_field(facet.relation)
    if facet.relation == "tags":
        through, page_field, term_field = field_.through, "content_object", "tag"
    else:
        through = field_.remote_field.through
        page_field, term_field = field_.m2m_field_name(), field_.m2m_reverse_field_name()
    return (
        through.objects.annotate(facet=Value(facet.param, output_field=CharField()))
        .values_list(f"{page_field}_id", "facet", f"{term_field}_id")
        .order_by()
    )


def add_parent_bitmaps(facets, index: FacetIndex) -> None:
    """A parent theme matches the fiches that have it or any of its children."""
    for facet in facets:
        if not facet.hierarchical:
            continue
        for term in vocabulary().of(facet.term_model).values():
            parent_id = term.parent_id or term.pk
            key = (f"{facet.param}:parent", str(parent_id))
            index.bitmaps[key] = index.bitmaps.get(key, 0) | index.bitmap(facet.param, str(term.pk))


def related_ids(index: FacetIndex, page_id: int | None, kind: str, limit: int, keys) -> list[int]:
    """Ids of the fiches of type `kind` sharing the most of `keys` — the (facet, key) pairs of a
    fiche's terms — with that fiche, ties in title order; the fiche itself is left out.

    The one rule for a live page and for a preview: both give their own terms. Bit-sliced
    counting: `at_least[j]` holds the fiches sharing at least j of the terms, so the best come from
    the highest non-empty layer down, without scoring each candidate.
    """
    shared = [bits for bits in (index.bitmap(*key) for key in dict.fromkeys(keys)) if bits]
    at_least = [index.bitmap("type", kind) & ~index.bitmap_of_ids([page_id])]
    for bits in shared:
        at_least.append(0)
        for j in range(len(at_least) - 1, 0, -1):
            at_least[j] |= at_least[j - 1] & bits
    found: list[int] = []
    for layer in reversed(at_least[1:]):
        if len(found) >= limit:
            break
        found += index.ids_in_title_order(layer & ~index.bitmap_of_ids(found), 0, limit - len(found))
    return found


def fiches_with(fiche_type, param: str, term, limit: int) -> list:
    """The first `limit` live public fiches of a browsed type (by title) linked to `term` through
    the facet `param`, read from the index: one query for the fiches themselves."""
    index = facet_index()
    mask = index.bitmap(param, str(term.pk)) & index.bitmap("type", fiche_type.browse_key)
    ids = index.ids_in_title_order(mask, 0, limit)
    found = read_cards(fiche_type.model, ids)
    return [found[page_id] for page_id in ids if page_id in found]

"""An in-memory bitmap index of the fiches `/methodes/` lists, rebuilt once per content generation.

Counting every value of every facet with SQL means a dozen semi-joins over the whole commons on
each request (400 ms at 10,000 fiches on PostgreSQL). Here each live public method and tool gets a
position (its rank in title order), and each facet value a bitmap — a Python int whose bit n is
set when the fiche at position n has that value. Filtering is AND/OR of ints, counting is
`int.bit_count()`: microseconds for 10,000 fiches, and no query once the index is built.

The index is built in three queries (methods, tools, every facet link) when the content generation
changes (`commons.speed.freshness`: any publication, unpublication, move or taxonomy change), then kept
in the shared cache and in each process's memory: it is rebuilt once per change, never stale.
"""

from dataclasses import dataclass, field

from django.db.models import CharField, Value

from commons.speed.freshness import per_generation
from commons.speed.listing import title_key
from methods.models import MethodPage, ToolPage

METHOD_FIELDS = ("duration", "difficulty", "cost", "audience")


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


def facet_index(facets) -> FacetIndex:
    """The index of the current content generation (built, or read from the shared cache, once per
    change of content in each process; shared: do not modify it)."""
    return per_generation("facet-index", lambda: build_index(facets))


def build_index(facets) -> FacetIndex:
    methods = list(
        MethodPage.objects.live()
        .public()
        .values_list("pk", "title", "last_published_at", "group_size_min", "group_size_max", *METHOD_FIELDS)
    )
    tools = list(ToolPage.objects.live().public().values_list("pk", "title", "last_published_at"))
    rows = [(row[0], row[1], row[2]) for row in methods + tools]
    rows.sort(key=lambda row: (title_key(row[1]), row[0]))
    index = FacetIndex(ids=[row[0] for row in rows], recent=[])
    index.recent = sorted(
        range(len(rows)),
        key=lambda n: (-(rows[n][2].timestamp() if rows[n][2] else 0), title_key(rows[n][1]), rows[n][0]),
    )
    positions = index.positions
    add = add_bit(index)
    for page_id, *_rest in tools:
        add("type", "outil", positions[page_id])
    for page_id, _title, _date, size_min, size_max, *values in methods:
        position = positions[page_id]
        add("type", "methode", position)
        add_method_fields(
            facets, add, position, size_min, size_max, dict(zip(METHOD_FIELDS, values, strict=True))
        )
    for page_id, facet, term_id in facet_links(facets):
        if page_id in positions:
            add(facet, str(term_id), positions[page_id])
    add_parent_bitmaps(facets, index)
    for name, key in index.bitmaps:
        index.keys.setdefault(name, []).append(key)
    return index


def add_bit(index: FacetIndex):
    def add(facet: str, key: str, position: int) -> None:
        index.bitmaps[(facet, key)] = index.bitmaps.get((facet, key), 0) | 1 << position

    return add


def add_method_fields(facets, add, position, size_min, size_max, values) -> None:
    """The fixed-choice facets and the group-size bands of one method."""
    for facet in facets:
        if facet.choice_field and values.get(facet.choice_field):
            add(facet.param, values[facet.choice_field], position)
        for band in facet.bands:
            if band.fits(size_min, size_max):
                add(facet.param, band.value, position)


def facet_links(facets):
    """(page id, facet, term id) for every link of every relation facet, in one query."""
    parts = []
    for facet in facets:
        for model in facet.models if facet.relation else ():
            field = model._meta.get_field(facet.relation)
            if facet.relation == "tags":
                through, page_field, term_field = field.through, "content_object", "tag"
            else:
                through = field.remote_field.through
                page_field, term_field = field.m2m_field_name(), field.m2m_reverse_field_name()
            parts.append(
                through.objects.annotate(facet=Value(facet.param, output_field=CharField()))
                .values_list(f"{page_field}_id", "facet", f"{term_field}_id")
                .order_by()
            )
    return parts[0].union(*parts[1:], all=True) if parts else []


def add_parent_bitmaps(facets, index: FacetIndex) -> None:
    """A parent theme matches the fiches that have it or any of its children."""
    from commons.speed.vocabulary import vocabulary

    for facet in facets:
        if not facet.hierarchical:
            continue
        for term in vocabulary().of(facet.term_model).values():
            parent_id = term.parent_id or term.pk
            key = (f"{facet.param}:parent", str(parent_id))
            index.bitmaps[key] = index.bitmaps.get(key, 0) | index.bitmap(facet.param, str(term.pk))


def related_ids(index: FacetIndex, page_id: int, kind: str, limit: int, facets=("question", "phase", "tag")):
    """Ids of the fiches of type `kind` sharing the most questions, phases and tags with a fiche,
    ties in title order; None when the fiche is not in the index (not live or not public).

    Bit-sliced counting: `at_least[j]` holds the fiches sharing at least j of the fiche's terms,
    so the best come from the highest non-empty layer down, without scoring each candidate.
    """
    position = index.positions.get(page_id)
    if position is None:
        return None
    shared = [
        bits for (facet, _key), bits in index.bitmaps.items() if facet in facets and bits >> position & 1
    ]
    at_least = [index.bitmap("type", kind) & ~(1 << position)]
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

"""Faceted browsing of methods and tools (`/methodes/`).

Filters come from GET parameters and are checked against whitelists: an unknown or malformed value
is dropped with a notice, never an error. Within a facet, values are alternatives (OR); facets
combine (AND). The count shown beside a value is the number of fiches the page would list if that
value were added, given the other facets ("disjunctive" faceting). Filtering, counting and paging
run on an in-memory bitmap index (`commons.speed.bitmaps`), so the page runs the same few queries
(the page of results and the tag names) whatever the size of the commons. With a search text `q`,
the fiches are those Wagtail's search finds (`commons.search`), sorted by relevance by default.
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import and_, or_

from django.utils.translation import gettext_lazy as _

from taggit.models import Tag

from commons import fiche_types
from commons.search import clean_query, search_page_ids
from commons.speed.bitmaps import Facet, FacetIndex, facet_index
from commons.speed.listing import paginate, prefetch_cards, read_cards
from commons.speed.vocabulary import vocabulary
from methods.browse_options import build_facet_options, selected_chips
from methods.selection import SORT_LABELS, Selection

MAX_VALUES_PER_FACET = 20
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
MAX_SLUG_LENGTH = 100


@dataclass
class BrowseResult:
    selection: Selection
    page: object
    facets: list
    chips: list
    clear_url: str
    sorts: list


def browse_fiches(params) -> BrowseResult:
    """Everything `/methodes/` shows for the GET parameters `params`."""
    terms = load_terms(params)
    selection = parse_selection(params, terms)
    index = facet_index()
    browsed = [fiche_type.model for fiche_type in fiche_types.browsed_types()]
    found = search_page_ids(selection.query, browsed) if selection.query else None
    scope = index.everything if found is None else index.bitmap_of_ids(found)
    masks = {param: facet_mask(index, param, values, terms) for param, values in selection.values.items()}
    counts = count_facet_values(index, scope, masks)
    facets = [build_facet_options(facet, selection, terms, counts) for facet in fiche_types.facets()]
    results = MatchingFiches(index, reduce(and_, masks.values(), scope), sort_order(index, selection, found))
    return BrowseResult(
        selection=selection,
        page=paginate(results, params.get("page")),
        facets=[facet for facet in facets if facet["options"]],
        chips=selected_chips(facets, selection),
        clear_url=Selection(values={}, query=selection.query, sort=selection.sort).querystring(),
        sorts=[
            {"value": key, "label": label, "selected": key == selection.sort}
            for key, label in SORT_LABELS.items()
            if key != "pertinence" or selection.query
        ],
    )


# --- Reading the request -------------------------------------------------------------------


def load_terms(params) -> dict[str, dict[str, object]]:
    """The known values of each taxonomy facet, by slug (tags: only those requested)."""
    terms, known = {}, vocabulary()
    for facet in fiche_types.facets():
        if facet.term_model is Tag:
            # Tags are too many to load whole: only these reach the database, so drop what no slug
            # can contain (PostgreSQL refuses NUL bytes outright). No tag asked for, no query.
            requested = [slug for slug in params.getlist(facet.param) if is_plausible_slug(slug)]
            tags = Tag.objects.filter(slug__in=requested[:MAX_VALUES_PER_FACET]) if requested else []
            terms[facet.param] = {tag.slug: tag for tag in tags}
        elif facet.term_model is not None:
            terms[facet.param] = {term.slug: term for term in known.of(facet.term_model).values()}
    return terms


def parse_selection(params, terms) -> Selection:
    """Keep only known values; say which ones were ignored."""
    selection = Selection(values={})
    for facet in fiche_types.facets():
        known = known_values(facet, terms)
        requested = list(dict.fromkeys(params.getlist(facet.param)))
        kept = [value for value in requested if value in known][:MAX_VALUES_PER_FACET]
        ignored = [value for value in requested if value not in known]
        if kept:
            selection.values[facet.param] = kept
        if ignored:
            selection.notices.append(
                _("Filtre « %(facet)s » : valeur inconnue ignorée (%(values)s).")
                % {"facet": facet.label, "values": ", ".join(clip(v, 40) for v in ignored[:5])}
            )
    selection.query = clean_query(params.get("q", ""))
    sort = params.get("tri", selection.default_sort)
    if sort in SORT_LABELS and (sort != "pertinence" or selection.query):
        selection.sort = sort
    else:
        selection.sort = selection.default_sort
        selection.notices.append(
            _("Tri inconnu ignoré : les fiches sont triées par %(sort)s.")
            % {"sort": str(SORT_LABELS[selection.sort]).lower()}
        )
    return selection


def known_values(facet: Facet, terms) -> set[str]:
    if facet.term_model is not None:
        return set(terms[facet.param])
    if facet.choices:
        return {value for value, _label in facet.choices}
    return {fiche_type.browse_key for fiche_type in fiche_types.browsed_types()}


def is_plausible_slug(value: str) -> bool:
    return 0 < len(value) <= MAX_SLUG_LENGTH and not CONTROL_CHARACTERS.search(value)


def clip(text: str, length: int) -> str:
    text = CONTROL_CHARACTERS.sub("", text)
    return text if len(text) <= length else text[: length - 1] + "…"


# --- Filtering and counting, on the bitmap index ------------------------------------------------


def facet_mask(index: FacetIndex, param: str, values: list[str], terms) -> int:
    """The fiches having any of the selected values of one facet."""
    facet = next(facet for facet in fiche_types.facets() if facet.param == param)
    if facet.term_model is None:
        keys = [(param, value) for value in values]
    elif facet.hierarchical:
        # A parent theme selects its children's fiches too.
        keys = [
            (f"{param}:parent" if term.parent_id is None else param, str(term.pk))
            for term in (terms[param][slug] for slug in values)
        ]
    else:
        keys = [(param, str(terms[param][slug].pk)) for slug in values]
    return reduce(or_, (index.bitmap(*key) for key in keys), 0)


def count_facet_values(index: FacetIndex, scope: int, masks: dict[str, int]) -> dict[tuple[str, str], int]:
    """Counts of every value of every facet, given the other facets' selections (disjunctive)."""
    counts = {}
    for facet in fiche_types.facets():
        others = reduce(and_, (mask for param, mask in masks.items() if param != facet.param), scope)
        names = [facet.param, f"{facet.param}:parent"] if facet.hierarchical else [facet.param]
        for name in names:
            for key in index.keys_of(name):
                counts[(name, key)] = (others & index.bitmap(name, key)).bit_count()
    return counts


def sort_order(index: FacetIndex, selection: Selection, found: list[int] | None) -> list[int] | None:
    """Positions in the order of the chosen sort; None for title order (the index's own)."""
    if selection.sort == "pertinence" and found is not None:
        positions = index.positions
        return [positions[page_id] for page_id in found if page_id in positions]
    return index.recent if selection.sort == "recent" else None


class MatchingFiches:
    """The fiches of a bitmap, in a given order, as a sequence Django's Paginator can page through:
    only the requested slice is read from the database (its pages, each as its specific type)."""

    def __init__(self, index: FacetIndex, mask: int, order: list[int] | None):
        self.index, self.mask, self.order = index, mask, order

    def count(self) -> int:
        return self.mask.bit_count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, items: slice) -> list:
        offset, limit = items.start or 0, (items.stop or self.count()) - (items.start or 0)
        if self.order is None:
            ids = self.index.ids_in_title_order(self.mask, offset, limit)
        else:
            ids = self.index.ids_in_order(self.mask, self.order, offset, limit)
        positions, found = self.index.positions, {}
        for fiche_type in fiche_types.browsed_types():
            of_type = self.index.bitmap("type", fiche_type.browse_key)
            found.update(read_cards(fiche_type.model, [i for i in ids if of_type >> positions[i] & 1]))
        return prefetch_cards([found[page_id] for page_id in ids if page_id in found])


# --- Presenting ----------------------------------------------------------------------------

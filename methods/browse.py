"""Faceted browsing of methods and tools (`/methodes/`).

Filters come from GET parameters and are checked against whitelists: an unknown or malformed value
is dropped with a notice, never an error. Within a facet, values are alternatives (OR); facets
combine (AND). The count shown beside a value is the number of fiches the page would list if that
value were added, given the other facets ("disjunctive" faceting). Filtering, counting and paging
run on an in-memory bitmap index (`commons.speed.bitmaps`), so the page runs the same few queries
(the page of results and the tag names) whatever the size of the commons. With a search text `q`,
the fiches are those Wagtail's search finds (`commons.search.engine`), sorted by relevance by default.
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_
from urllib.parse import urlencode

from django.utils.translation import gettext_lazy as _

from taggit.models import Tag

from commons.models import Association, Defi, Phase, Question, Theme
from commons.search.engine import clean_query, search_page_ids
from commons.speed.bitmaps import FacetIndex, facet_index
from commons.speed.listing import paginate, prefetch_cards, read_cards
from commons.speed.vocabulary import vocabulary
from methods.models import MethodPage, ToolPage

FICHE_TYPES = {"methode": MethodPage, "outil": ToolPage}
TYPE_LABELS = {"methode": _("Méthode"), "outil": _("Outil")}
SORT_LABELS = {"pertinence": _("Pertinence"), "titre": _("Titre"), "recent": _("Les plus récentes")}
MAX_VALUES_PER_FACET = 20
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
SHOWN_TAGS = 30
MAX_SLUG_LENGTH = 100


@dataclass
class Option:
    """One value of a facet, as the template shows it."""

    value: str
    label: str
    count: int = 0
    selected: bool = False
    url: str = ""
    children: list["Option"] = field(default_factory=list)


@dataclass(frozen=True)
class SizeBand:
    """A band of group sizes: a method fits when its own range overlaps [low, high]."""

    value: str
    label: str
    low: int
    high: int | None = None

    def fits(self, size_min: int | None, size_max: int | None) -> bool:
        # A missing minimum means "from 1", a missing maximum "no limit"; a method with neither
        # says nothing about its group and fits no band.
        if size_min is None and size_max is None:
            return False
        low, high = size_min or 0, size_max if size_max is not None else float("inf")
        return high >= self.low and (self.high is None or low <= self.high)


GROUP_SIZE_BANDS = (
    SizeBand("moins-de-12", _("Moins de 12 personnes"), 1, 11),
    SizeBand("12-a-30", _("De 12 à 30 personnes"), 12, 30),
    SizeBand("30-a-100", _("De 30 à 100 personnes"), 30, 100),
    SizeBand("plus-de-100", _("Plus de 100 personnes"), 101),
)


@dataclass
class Facet:
    """A filter of the listing. `relation` names a many-to-many field of the fiche models;
    `choices` a field with fixed choices (methods only); neither means the fiche type."""

    param: str
    label: str
    relation: str = ""
    term_model: type | None = None
    models: tuple = (MethodPage, ToolPage)
    choice_field: str = ""
    choices: tuple = ()
    bands: tuple = ()
    hierarchical: bool = False

    def applies_to(self, model) -> bool:
        return model in self.models


FACETS = [
    Facet("type", _("Type de fiche")),
    Facet("question", _("Question"), relation="questions", term_model=Question),
    Facet("phase", _("Phase"), relation="phases", term_model=Phase, models=(MethodPage,)),
    Facet(
        "duree",
        _("Durée"),
        models=(MethodPage,),
        choice_field="duration",
        choices=tuple(MethodPage.Duration.choices),
    ),
    Facet(
        "taille",
        _("Taille du groupe"),
        models=(MethodPage,),
        bands=GROUP_SIZE_BANDS,
        choices=tuple((band.value, band.label) for band in GROUP_SIZE_BANDS),
    ),
    Facet(
        "difficulte",
        _("Difficulté"),
        models=(MethodPage,),
        choice_field="difficulty",
        choices=tuple(MethodPage.Difficulty.choices),
    ),
    Facet(
        "cout", _("Coût"), models=(MethodPage,), choice_field="cost", choices=tuple(MethodPage.Cost.choices)
    ),
    Facet(
        "public",
        _("Public visé"),
        models=(MethodPage,),
        choice_field="audience",
        choices=tuple(MethodPage.Audience.choices),
    ),
    Facet("defi", _("Défi"), relation="defis", term_model=Defi),
    Facet("theme", _("Thème"), relation="themes", term_model=Theme, hierarchical=True),
    Facet("tag", _("Mot-clé"), relation="tags", term_model=Tag),
    Facet("association", _("Association"), relation="associations", term_model=Association),
]
FACETS_BY_PARAM = {facet.param: facet for facet in FACETS}


@dataclass
class Selection:
    """The validated request: selected values per facet, search text, sort, and notices."""

    values: dict[str, list[str]]
    query: str = ""
    sort: str = ""
    notices: list[str] = field(default_factory=list)

    def querystring(self, **changes) -> str:
        """The URL query of this selection with some facets replaced (`None` removes one)."""
        values = {**self.values, **changes}
        pairs = [(param, value) for param in FACETS_BY_PARAM for value in values.get(param) or []]
        if self.query:
            pairs.append(("q", self.query))
        if self.sort and self.sort != self.default_sort:
            pairs.append(("tri", self.sort))
        return "?" + urlencode(pairs) if pairs else "?"

    @property
    def default_sort(self) -> str:
        return "pertinence" if self.query else "titre"

    @property
    def is_filtered(self) -> bool:
        return any(self.values.values())


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
    index = facet_index(FACETS)
    found = search_page_ids(selection.query, list(FICHE_TYPES.values())) if selection.query else None
    scope = index.everything if found is None else index.bitmap_of_ids(found)
    masks = {param: facet_mask(index, param, values, terms) for param, values in selection.values.items()}
    counts = count_facet_values(index, scope, masks)
    facets = [build_facet_options(facet, selection, terms, counts) for facet in FACETS]
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
    for facet in FACETS:
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
    for facet in FACETS:
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
    return set(FICHE_TYPES)


def is_plausible_slug(value: str) -> bool:
    return 0 < len(value) <= MAX_SLUG_LENGTH and not CONTROL_CHARACTERS.search(value)


def clip(text: str, length: int) -> str:
    text = CONTROL_CHARACTERS.sub("", text)
    return text if len(text) <= length else text[: length - 1] + "…"


# --- Filtering and counting, on the bitmap index ------------------------------------------------


def facet_mask(index: FacetIndex, param: str, values: list[str], terms) -> int:
    """The fiches having any of the selected values of one facet."""
    facet = FACETS_BY_PARAM[param]
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
    for facet in FACETS:
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
        methods = self.index.bitmap("type", MethodPage.fiche_type)
        positions = self.index.positions
        found = {}
        for model in (MethodPage, ToolPage):
            wanted = [
                page_id for page_id in ids if (methods >> positions[page_id] & 1) == (model is MethodPage)
            ]
            found.update(read_cards(model, wanted))
        return prefetch_cards([found[page_id] for page_id in ids if page_id in found])


# --- Presenting ----------------------------------------------------------------------------


def build_facet_options(facet: Facet, selection: Selection, terms, counts) -> dict:
    """The options of a facet that have results or are selected, with their toggle URLs."""
    selected = selection.values.get(facet.param, [])

    def option(value: str, label: str, count: int) -> Option:
        is_selected = value in selected
        new_values = [v for v in selected if v != value] if is_selected else [*selected, value]
        return Option(
            value=value,
            label=str(label),
            count=count,
            selected=is_selected,
            url=selection.querystring(**{facet.param: new_values}),
        )

    if facet.term_model is None:
        pairs = facet.choices or tuple(TYPE_LABELS.items())
        options = [option(value, label, counts.get((facet.param, value), 0)) for value, label in pairs]
    elif facet.hierarchical:
        options = theme_options(facet, terms, counts, option)
    elif facet.term_model is Tag:
        options = tag_options(facet, selected, terms, counts, option)
    else:
        options = [
            option(term.slug, str(term), counts.get((facet.param, str(term.pk)), 0))
            for term in terms[facet.param].values()
        ]
    visible = [o for o in options if o.count or o.selected or any(c.count for c in o.children)]
    return {"param": facet.param, "label": facet.label, "options": visible}


def theme_options(facet, terms, counts, option) -> list[Option]:
    themes = list(terms[facet.param].values())
    parents = []
    for parent in (theme for theme in themes if theme.parent_id is None):
        parent_option = option(
            parent.slug, parent.name, counts.get((f"{facet.param}:parent", str(parent.pk)), 0)
        )
        parent_option.children = [
            child_option
            for child in themes
            if child.parent_id == parent.pk
            for child_option in [option(child.slug, child.name, counts.get((facet.param, str(child.pk)), 0))]
            if child_option.count or child_option.selected
        ]
        parents.append(parent_option)
    return parents


def tag_options(facet, selected, terms, counts, option) -> list[Option]:
    """The most used tags (their names fetched in one query) plus the selected ones."""
    tag_counts = sorted(
        ((int(key), number) for (param, key), number in counts.items() if param == facet.param),
        key=lambda pair: -pair[1],
    )[:SHOWN_TAGS]
    tags = Tag.objects.filter(pk__in=[pk for pk, _n in tag_counts]).in_bulk()
    options = [option(tags[pk].slug, tags[pk].name, number) for pk, number in tag_counts if pk in tags]
    shown = {o.value for o in options}
    options += [option(slug, terms[facet.param][slug].name, 0) for slug in selected if slug not in shown]
    return sorted(options, key=lambda o: o.label)


def selected_chips(facets: list[dict], selection: Selection) -> list[dict]:
    """One removable chip per selected value, and one for the search text."""
    chips = []
    for facet in facets:
        for opt in facet["options"]:
            for candidate in [opt, *opt.children]:
                if candidate.selected:
                    chips.append({"label": f"{facet['label']} : {candidate.label}", "url": candidate.url})
    if selection.query:
        # Relevance means nothing without a search: that sort goes with the text.
        sort = "" if selection.sort == "pertinence" else selection.sort
        without_query = Selection(values=selection.values, sort=sort)
        chips.append({"label": f"« {selection.query} »", "url": without_query.querystring()})
    return chips


def fiches_with(model, param: str, term, limit: int) -> list:
    """The first `limit` live public fiches of `model` (by title) linked to `term` through the facet
    `param`, read from the facet index: one query for the fiches themselves."""
    index = facet_index(FACETS)
    mask = index.bitmap(param, str(term.pk)) & index.bitmap("type", model.fiche_type)
    ids = index.ids_in_title_order(mask, 0, limit)
    found = read_cards(model, ids)
    return [found[page_id] for page_id in ids if page_id in found]

"""Faceted browsing of methods and tools (`/methodes/`).

Filters come from GET parameters and are checked against whitelists: an unknown or malformed value
is dropped with a notice, never an error. Within a facet, values are alternatives (OR); facets
combine (AND). The count shown beside a value is the number of fiches the page would list if that
value were added, given the other facets ("disjunctive" faceting). Every count of every facet comes
from a single SQL query, so the page runs a constant number of queries whatever the commons' size.
"""

import re
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from taggit.models import Tag
from wagtail.models import Page

from commons.listing import paginate, prefetch_cards
from commons.models import Association, Defi, Phase, Question, Theme
from commons.vocabulary import vocabulary
from methods.models import MethodPage, ToolPage

FICHE_TYPES = {"methode": MethodPage, "outil": ToolPage}
TYPE_LABELS = {"methode": _("Méthode"), "outil": _("Outil")}
SORTS = {"titre": ("title",), "recent": ("-last_published_at", "title")}
SORT_LABELS = {"titre": _("Titre"), "recent": _("Les plus récentes")}
MAX_QUERY_LENGTH = 200
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

    def q(self) -> Q:
        # A missing minimum means "from 1", a missing maximum "no limit"; a method with neither
        # says nothing about its group and fits no band.
        only_min = Q(group_size_max__isnull=True, group_size_min__isnull=False)
        only_max = Q(group_size_min__isnull=True, group_size_max__isnull=False)
        fits_low = Q(group_size_max__gte=self.low) | only_min
        if self.high is None:
            return fits_low
        return fits_low & (Q(group_size_min__lte=self.high) | only_max)


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
    sort: str = "titre"
    notices: list[str] = field(default_factory=list)

    def querystring(self, **changes) -> str:
        """The URL query of this selection with some facets replaced (`None` removes one)."""
        values = {**self.values, **changes}
        pairs = [(param, value) for param in FACETS_BY_PARAM for value in values.get(param) or []]
        if self.query:
            pairs.append(("q", self.query))
        if self.sort != "titre":
            pairs.append(("tri", self.sort))
        return "?" + urlencode(pairs) if pairs else "?"

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
    # public() reads the view restrictions once here; every query below derives from these.
    live = {model: model.objects.live().public() for model in FICHE_TYPES.values()}
    filtered = {model: filter_fiches(live[model], selection, terms) for model in live}
    counts = count_facet_values(live, selection, terms)
    facets = [build_facet_options(facet, selection, terms, counts) for facet in FACETS]
    return BrowseResult(
        selection=selection,
        page=paginate_results(filtered, selection, params.get("page")),
        facets=[facet for facet in facets if facet["options"]],
        chips=selected_chips(facets, selection),
        clear_url=Selection(values={}, query=selection.query, sort=selection.sort).querystring(),
        sorts=[
            {"value": key, "label": label, "selected": key == selection.sort}
            for key, label in SORT_LABELS.items()
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
    sort = params.get("tri", "titre")
    if sort in SORTS:
        selection.sort = sort
    else:
        selection.notices.append(_("Tri inconnu ignoré : les fiches sont triées par titre."))
    return selection


def known_values(facet: Facet, terms) -> set[str]:
    if facet.term_model is not None:
        return set(terms[facet.param])
    if facet.choices:
        return {value for value, _label in facet.choices}
    return set(FICHE_TYPES)


def is_plausible_slug(value: str) -> bool:
    return 0 < len(value) <= MAX_SLUG_LENGTH and not CONTROL_CHARACTERS.search(value)


def clean_query(text: str) -> str:
    """Search text without control characters, trimmed to a sensible length."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", text).split())[:MAX_QUERY_LENGTH]


def clip(text: str, length: int) -> str:
    text = CONTROL_CHARACTERS.sub("", text)
    return text if len(text) <= length else text[: length - 1] + "…"


# --- Filtering -----------------------------------------------------------------------------


def filter_fiches(queryset: QuerySet, selection: Selection, terms, skip: str = "") -> QuerySet:
    """The fiches of `queryset` matching the selection, ignoring the facet `skip`."""
    model = queryset.model
    if selection.query:
        queryset = queryset.filter(
            Q(title__icontains=selection.query) | Q(summary__icontains=selection.query)
        )
    for param, values in selection.values.items():
        if param == skip:
            continue
        facet = FACETS_BY_PARAM[param]
        if facet.param == "type":
            if not any(FICHE_TYPES[value] is model for value in values):
                return model.objects.none()
        elif not facet.applies_to(model):
            return model.objects.none()
        elif facet.choice_field:
            queryset = queryset.filter(**{f"{facet.choice_field}__in": values})
        elif facet.bands:
            queryset = queryset.filter(
                reduce(or_, (band.q() for band in facet.bands if band.value in values))
            )
        else:
            queryset = queryset.filter(pk__in=pages_with_terms(model, facet, values, terms))
    return queryset


def relation_table(model, relation: str):
    """The through model of a fiche relation, with its page and term field names."""
    relation_field = model._meta.get_field(relation)
    if relation == "tags":
        return relation_field.through, "content_object", "tag"
    through = relation_field.remote_field.through
    return through, relation_field.m2m_field_name(), relation_field.m2m_reverse_field_name()


def pages_with_terms(model, facet: Facet, slugs: list[str], terms) -> QuerySet:
    """Ids of `model` pages linked to any of the terms (a parent theme includes its children)."""
    ids = {terms[facet.param][slug].pk for slug in slugs}
    if facet.hierarchical:
        ids |= {term.pk for term in terms[facet.param].values() if term.parent_id in ids}
    through, page_field, term_field = relation_table(model, facet.relation)
    return through.objects.filter(**{f"{term_field}__in": ids}).values(page_field)


# --- Counting ------------------------------------------------------------------------------


def count_facet_values(live: dict, selection: Selection, terms) -> dict[tuple[str, str], int]:
    """Counts of every value of every facet, keyed by (facet, value), in one SQL query."""
    parts = []
    for facet in FACETS:
        for model in facet.models:
            fiches = filter_fiches(live[model], selection, terms, skip=facet.param)
            parts.extend(facet_count_querysets(facet, model, fiches))
    if not parts:
        return {}
    union = parts[0].union(*parts[1:], all=True)
    counts: dict[tuple[str, str], int] = {}
    for facet_param, key, number in union:
        counts[(facet_param, key)] = counts.get((facet_param, key), 0) + number
    return counts


def facet_count_querysets(facet: Facet, model, fiches: QuerySet) -> list[QuerySet]:
    """Querysets of (facet, value, count) rows for one facet and one fiche model."""
    label = Value(facet.param, output_field=CharField())
    if facet.param == "type":
        type_key = next(key for key, fiche_model in FICHE_TYPES.items() if fiche_model is model)
        grouped = fiches.order_by().annotate(facet=label, key=Value(type_key, output_field=CharField()))
        return [
            grouped.values("facet", "key").annotate(n=Count("pk")).values_list("facet", "key", "n").order_by()
        ]
    if facet.bands:
        return [
            fiches.filter(band.q())
            .order_by()
            .annotate(facet=label, key=Value(band.value, output_field=CharField()))
            .values("facet", "key")
            .annotate(n=Count("pk"))
            .values_list("facet", "key", "n")
            for band in facet.bands
        ]
    if facet.choice_field:
        grouped = fiches.order_by().annotate(facet=label, key=Cast(F(facet.choice_field), CharField()))
        return [
            grouped.values("facet", "key").annotate(n=Count("pk")).values_list("facet", "key", "n").order_by()
        ]
    through, page_field, term_field = relation_table(model, facet.relation)
    links = through.objects.filter(**{f"{page_field}__in": fiches.values("pk")})
    querysets = [
        links.annotate(facet=label, key=Cast(F(term_field), CharField()))
        .values("facet", "key")
        .annotate(n=Count(page_field, distinct=True))
        .values_list("facet", "key", "n")
        .order_by()
    ]
    if facet.hierarchical:
        # A parent theme counts each fiche once, whether it has the parent or any of its children.
        parent_label = Value(f"{facet.param}:parent", output_field=CharField())
        parent_key = Cast(Coalesce(F(f"{term_field}__parent_id"), F(term_field)), CharField())
        querysets.append(
            links.annotate(facet=parent_label, key=parent_key)
            .values("facet", "key")
            .annotate(n=Count(page_field, distinct=True))
            .values_list("facet", "key", "n")
            .order_by()
        )
    return querysets


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
        without_query = Selection(values=selection.values, sort=selection.sort)
        chips.append({"label": f"« {selection.query} »", "url": without_query.querystring()})
    return chips


def paginate_results(filtered: dict, selection: Selection, page_number):
    """The requested page of matching methods and tools, each as its specific page type."""
    results = Page.objects.filter(
        Q(pk__in=filtered[MethodPage].values("pk")) | Q(pk__in=filtered[ToolPage].values("pk"))
    ).order_by(*SORTS[selection.sort])
    page = paginate(results, page_number)
    page.object_list = prefetch_cards(page.object_list.specific())
    return page

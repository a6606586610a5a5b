"""The self-assessment ("autodiagnostic"): the grid, reading answers from a URL, the score, and
the methods recommended for the weakest criteria.

Answers live in the URL (`?connaissance=2&habitants=1…`, optionally `population=<band>`):
nothing is stored. The grid (published criteria with their live methods) is read once per content
generation, and the territories where each method was tried come from the atlas: a result page
costs no query once warm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import parse_qs

from django.apps import apps
from django.utils.translation import gettext as _

from commons.speed.freshness import per_generation
from commons.speed.listing import LinkedFiche
from commons.speed.visibility import page_url
from territories.atlas import POPULATION_BANDS, atlas
from territories.radar import Radar, radar

LEVELS = (0, 1, 2, 3)
LEVEL_NAMES = {0: "à amorcer", 1: "en émergence", 2: "en structuration", 3: "solide"}
WEAKEST = 3  # criteria for which methods are recommended
METHODS_PER_CRITERION = 3


@dataclass(frozen=True)
class GridCriterion:
    slug: str
    name: str
    question: str
    levels: tuple[str, ...]  # the descriptions of levels 0 to 3
    methods: tuple[LinkedFiche, ...]  # live, public methods that help progress, editors' order


def grid() -> list[GridCriterion]:
    return per_generation("assessment-grid", build_grid)


def build_grid() -> list[GridCriterion]:
    Criterion = apps.get_model("territories", "Criterion")  # noqa: N806 - a model class
    CriterionMethod = apps.get_model("territories", "CriterionMethod")  # noqa: N806
    MethodPage = apps.get_model("methods", "MethodPage")  # noqa: N806
    criteria = list(Criterion.objects.filter(live=True).order_by("sort_order", "pk"))
    public = MethodPage.objects.live_public().values("pk")
    links = (
        CriterionMethod.objects.filter(criterion__in=criteria, method__in=public)
        .order_by("sort_order", "pk")
        .values_list("criterion_id", "method_id", "method__title", "method__url_path", "method__summary")
    )
    methods: dict[int, list[LinkedFiche]] = {}
    for criterion_id, pk, title, url_path, summary in links:
        methods.setdefault(criterion_id, []).append(LinkedFiche(pk, title, page_url(url_path), summary))
    return [
        GridCriterion(
            c.slug,
            c.name,
            c.question,
            (c.level_0, c.level_1, c.level_2, c.level_3),
            tuple(methods.get(c.pk, ())),
        )
        for c in criteria
    ]


@dataclass
class Answers:
    levels: dict[str, int] = field(default_factory=dict)  # criterion slug -> level
    population: str = ""  # a population band's value, or ""
    errors: dict[str, str] = field(default_factory=dict)  # criterion slug (or "population") -> message

    @property
    def is_valid(self) -> bool:
        return not self.errors


def parse_answers(criteria: list[GridCriterion], query) -> Answers:
    """The answers of a query string or a QueryDict: every criterion once, a level from 0 to 3.
    Other parameters are ignored; a missing, repeated or out-of-range answer is an error."""
    params = (
        parse_qs(query, keep_blank_values=True)
        if isinstance(query, str)
        else {k: query.getlist(k) for k in query}
    )
    answers = Answers()
    for criterion in criteria:
        values = params.get(criterion.slug, [])
        if not values or values == [""]:
            answers.errors[criterion.slug] = _("Choisissez un niveau pour « %s ».") % criterion.name
        elif len(values) > 1:
            answers.errors[criterion.slug] = (
                _("« %s » a reçu plusieurs réponses : gardez-en une.") % criterion.name
            )
        elif values[0] not in {str(level) for level in LEVELS}:
            answers.errors[criterion.slug] = _("« %s » : le niveau doit être 0, 1, 2 ou 3.") % criterion.name
        else:
            answers.levels[criterion.slug] = int(values[0])
    population = (params.get("population") or [""])[-1]
    if population and population not in {band.value for band in POPULATION_BANDS}:
        answers.errors["population"] = _("Taille de commune inconnue : choisissez-en une dans la liste.")
    else:
        answers.population = population
    return answers


def overall_level(answers: Answers) -> float:
    """The mean of the levels, from 0 to 3, to one decimal."""
    levels = list(answers.levels.values())
    return round(sum(levels) / len(levels), 1) if levels else 0.0


def level_name(level: float) -> str:
    return LEVEL_NAMES[min(3, int(level + 0.5))]


def weakest(criteria: list[GridCriterion], answers: Answers, count: int = WEAKEST) -> list[GridCriterion]:
    """The `count` lowest criteria; ties keep the grid's order. All at level 3: none."""
    scored = [
        (answers.levels[c.slug], position, c)
        for position, c in enumerate(criteria)
        if c.slug in answers.levels
    ]
    return [c for level, _position, c in sorted(scored, key=lambda item: item[:2]) if level < 3][:count]


@dataclass
class Recommendation:
    method: LinkedFiche
    tried_in: list[str]  # "Lunas, 672 hab.", territories of the same size first
    similar: bool  # tried in a territory of the population band given


def recommend(criterion: GridCriterion, population: str, limit: int = METHODS_PER_CRITERION):
    """The criterion's methods, those tried in territories of the same population band first (in
    the editors' order otherwise), each saying where it was tried."""
    wanted = {method.pk for method in criterion.methods}
    used_on: dict[int, list] = {}
    for row in atlas().rows:
        for pk in row.method_ids:
            if pk in wanted:
                used_on.setdefault(pk, []).append(row)

    def similar(method) -> bool:
        return bool(population) and any(row.band == population for row in used_on.get(method.pk, []))

    ranked = sorted(enumerate(criterion.methods), key=lambda item: (not similar(item[1]), item[0]))
    return [
        Recommendation(method, places(used_on.get(method.pk, []), population), similar(method))
        for _position, method in ranked[:limit]
    ]


def places(rows: list, population: str, limit: int = 3) -> list[str]:
    """ "Lunas, 672 hab.": where a method was tried, territories of the same size first."""
    ordered = sorted(rows, key=lambda row: (row.band != population, row.title.casefold()))
    return [
        f"{row.title}, {thousands(row.population)}\u00a0hab." if row.population else row.title
        for row in ordered[:limit]
    ]


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")  # French: a narrow no-break space between thousands


SHOWN_DIAGNOSTICS = 3  # the radar overlays the latest three


@dataclass
class Profile:
    """A territory's diagnostics over time: one radar overlaying the latest, a table of them all."""

    criteria: list[GridCriterion]
    dates: list  # oldest first
    levels: list[list[int | None]]  # per date, per criterion (None: not answered then)
    chart: Radar | None = None


def diagnostics_over_time(diagnostics: list) -> Profile | None:
    """`diagnostics` (date, answers as a query string) read against the current grid."""
    criteria = grid()
    if not diagnostics or not criteria:
        return None
    ordered = sorted(diagnostics, key=lambda diagnostic: diagnostic.date)
    levels = []
    for diagnostic in ordered:
        answers = parse_answers(criteria, diagnostic.answers)
        levels.append([answers.levels.get(criterion.slug) for criterion in criteria])
    # The latest first: it is drawn as the first series, in a solid line.
    shown = [[level or 0 for level in row] for row in reversed(levels[-SHOWN_DIAGNOSTICS:])]
    chart = radar([criterion.name for criterion in criteria], shown)
    return Profile(criteria, [diagnostic.date for diagnostic in ordered], levels, chart)

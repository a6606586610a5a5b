"""The views of territories besides their pages: the commons' roadmap (`/feuille-de-route/`), the
territories' GeoJSON (`/territoires.geojson`) and the self-assessment (`/autodiagnostic/`)."""

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition, require_GET

from commons.speed.freshness import content_generation
from commons.speed.listing import LinkedFiche
from commons.speed.visibility import page_url, pages
from territories.assessment import (
    LEVELS,
    Answers,
    grid,
    level_name,
    overall_level,
    parse_answers,
    recommend,
    weakest,
)
from territories.atlas import POPULATION_BANDS, atlas
from territories.board import actions_board
from territories.filters import filtered, select
from territories.geojson import collection_json
from territories.models import RoadmapAction, RoadmapFicheLink, RoadmapPhase
from territories.radar import radar


def live_roadmap() -> list[RoadmapAction]:
    """Published actions only (a draft, or the unpublished edit of a live one, stays private)."""
    return list(RoadmapAction.objects.filter(live=True).select_related("association"))


def fiches_of(actions: list[RoadmapAction]) -> dict[int, list[LinkedFiche]]:
    """The live, public fiches each action links to, in two queries for the whole board."""
    links = RoadmapFicheLink.objects.filter(action__in=actions).order_by("sort_order")
    pairs = list(links.values_list("action_id", "fiche_id"))
    shown = pages().live_public().filter(pk__in={fiche for _a, fiche in pairs})
    fiches = {
        pk: LinkedFiche(pk, title, page_url(path))
        for pk, title, path in shown.values_list("pk", "title", "url_path")
    }
    linked: dict[int, list[LinkedFiche]] = {}
    for action_id, fiche_id in pairs:
        if fiche_id in fiches:
            linked.setdefault(action_id, []).append(fiches[fiche_id])
    return linked


@require_GET
def roadmap(request):
    actions = live_roadmap()
    context = {
        "board": actions_board(actions),
        "fiches": fiches_of(actions) if actions else {},
        "phases": [
            (label, [action for action in actions if action.phase == value])
            for value, label in RoadmapPhase.choices
        ],
    }
    return render(request, "territories/roadmap.html", context)


@require_GET
def territories_geojson(request):
    """The published territories as an RFC 7946 FeatureCollection ([longitude, latitude]), with the
    filters of `/territoires/`; cached by browsers until something is published."""
    current = atlas()
    selection = select(current, request.GET)
    text = collection_json(filtered(current, selection), current.features)
    return HttpResponse(text, content_type="application/geo+json; charset=utf-8")


def geojson_etag(request) -> str:
    return f'"{content_generation()}-{request.GET.urlencode()}"'


def geojson_last_modified(request):
    return atlas().built_at


territories_geojson = condition(etag_func=geojson_etag, last_modified_func=geojson_last_modified)(
    territories_geojson
)


def assessment_context(criteria, answers) -> dict:
    return {"criteria": criteria, "answers": answers, "levels": LEVELS, "bands": POPULATION_BANDS}


@require_GET
def assessment_form(request):
    """`/autodiagnostic/`: one fieldset per criterion, radio buttons, no JavaScript needed; answers
    in the address (back from the result, "Modifier mes réponses") are checked again."""
    criteria = grid()
    answers = parse_answers(criteria, request.GET) if request.GET else Answers()
    answers.errors = {}  # nothing was submitted yet: nothing to reproach
    return render(request, "territories/assessment_form.html", assessment_context(criteria, answers))


@require_GET
def assessment_result(request):
    """`/autodiagnostic/resultat/?…`: the radar, the overall level and methods for the weakest
    criteria; answers that are missing, repeated or out of range bring the form back (400)."""
    criteria = grid()
    answers = parse_answers(criteria, request.GET)
    if not criteria or not answers.is_valid:
        context = assessment_context(criteria, answers)
        return render(request, "territories/assessment_form.html", context, status=400)
    overall = overall_level(answers)
    levels = [answers.levels[criterion.slug] for criterion in criteria]
    band = next((band for band in POPULATION_BANDS if band.value == answers.population), None)
    context = {
        "criteria": criteria,
        "answers": answers,
        "rows": list(zip(criteria, levels, strict=True)),
        "overall": overall,
        "overall_name": level_name(overall),
        "chart": radar([criterion.name for criterion in criteria], [levels]),
        "band": band,
        "recommendations": [(c, recommend(c, answers.population)) for c in weakest(criteria, answers)],
        "share_url": request.build_absolute_uri(),
    }
    return render(request, "territories/assessment_result.html", context)

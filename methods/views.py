"""The questions of the élus, each leading to the methods that answer it (`/questions/`)."""

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from commons import fiche_types
from commons.models import Phase
from commons.models.home import questions_with_method_counts
from commons.speed.bitmaps import fiches_with
from commons.speed.listing import prefetch_cards
from commons.speed.vocabulary import vocabulary
from methods.models import MethodPage

# The page shows at most this many methods and tools; the rest is one link away, in the faceted
# listing, so a page stays light whatever the size of the commons.
QUESTION_METHODS_SHOWN = 60
TOOLS_SHOWN = 12


@require_GET
def question_list(request):
    return render(request, "methods/question_list.html", {"questions": questions_with_method_counts()})


@require_GET
def question_detail(request, slug):
    """One question: why it matters, and the methods that answer it in phase order."""
    question = next((q for q in vocabulary().questions.values() if q.slug == slug), None)
    if question is None:
        raise Http404
    methods = prefetch_cards(
        fiches_with(fiche_types.fiche_type("methods"), "question", question, QUESTION_METHODS_SHOWN)
    )
    prefetch_related_objects(methods, "phases")
    context = {
        "question": question,
        "methods_by_phase": group_by_first_phase(methods),
        "methods_capped": len(methods) == QUESTION_METHODS_SHOWN,
        "tools": prefetch_cards(
            fiches_with(fiche_types.fiche_type("tools"), "question", question, TOOLS_SHOWN)
        ),
        "other_questions": [q for q in vocabulary().questions.values() if q.pk != question.pk],
    }
    return render(request, "methods/question_detail.html", context)


def group_by_first_phase(methods: list[MethodPage]) -> list[tuple[Phase | None, list[MethodPage]]]:
    """Methods grouped by their earliest phase, phases in order, methods without phase last."""
    groups: dict[Phase | None, list[MethodPage]] = {}
    for method in methods:
        phases = sorted(method.phases.all(), key=lambda phase: (phase.sort_order, phase.name))
        groups.setdefault(phases[0] if phases else None, []).append(method)
    return sorted(
        groups.items(),
        key=lambda item: (item[0] is None, item[0].sort_order if item[0] else 0, str(item[0] or "")),
    )

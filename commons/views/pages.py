"""Public pages of the shared core that are not Wagtail pages: questions, associations, robots."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery, prefetch_related_objects
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from commons.models import Association, Phase
from commons.models.home import questions_with_method_counts
from commons.rendering.markdown import render_markdown
from commons.search.engine import search_context, title_suggestions
from commons.speed.freshness import per_generation
from commons.speed.listing import prefetch_cards
from commons.speed.vocabulary import vocabulary
from methods.browse import fiches_with
from methods.models import MethodPage, ToolPage
from territories.models import TerritoryPage

# Pages that list fiches without pagination show at most this many; the rest is one link away,
# in the faceted listing, so a page stays light whatever the size of the commons.
QUESTION_METHODS_SHOWN = 60
CARDS_SHOWN = 12


@require_GET
def question_list(request):
    return render(request, "commons/question_list.html", {"questions": questions_with_method_counts()})


@require_GET
def question_detail(request, slug):
    """One question: why it matters, and the methods that answer it in phase order."""
    question = next((q for q in vocabulary().questions.values() if q.slug == slug), None)
    if question is None:
        raise Http404
    methods = prefetch_cards(fiches_with(MethodPage, "question", question, QUESTION_METHODS_SHOWN))
    prefetch_related_objects(methods, "phases")
    context = {
        "question": question,
        "methods_by_phase": group_by_first_phase(methods),
        "methods_capped": len(methods) == QUESTION_METHODS_SHOWN,
        "tools": prefetch_cards(fiches_with(ToolPage, "question", question, CARDS_SHOWN)),
        "other_questions": [q for q in vocabulary().questions.values() if q.pk != question.pk],
    }
    return render(request, "commons/question_detail.html", context)


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


def contribution_count(model, relation: str = "associations"):
    """Subquery counting the live fiches of `model` an association contributed to."""
    relation_field = model._meta.get_field(relation)
    through = relation_field.remote_field.through
    page_field, association_field = relation_field.m2m_field_name(), relation_field.m2m_reverse_field_name()
    counted = (
        through.objects.filter(**{association_field: OuterRef("pk"), f"{page_field}__live": True})
        .values(association_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


@require_GET
def association_list(request):
    # Counting over the whole commons is the costly part: once per change of content.
    associations = per_generation(
        "association-list",
        lambda: list(
            Association.objects.annotate(
                method_count=contribution_count(MethodPage),
                tool_count=contribution_count(ToolPage),
                territory_count=contribution_count(TerritoryPage, "accompanying_associations"),
            )
        ),
    )
    return render(request, "commons/association_list.html", {"associations": associations})


@require_GET
def association_detail(request, slug):
    """A partner and what it contributed: methods, tools, territories it accompanied."""
    association = next((a for a in vocabulary().associations.values() if a.slug == slug), None)
    if association is None:
        raise Http404
    context = {
        "association": association,
        "methods": prefetch_cards(fiches_with(MethodPage, "association", association, CARDS_SHOWN)),
        "tools": prefetch_cards(fiches_with(ToolPage, "association", association, CARDS_SHOWN)),
        "territories": live_cards(TerritoryPage).filter(accompanying_associations=association)[:CARDS_SHOWN],
        "cards_shown": CARDS_SHOWN,
    }
    return render(request, "commons/association_detail.html", context)


def live_cards(model):
    """Live fiches of `model` by title, with what a card shows prefetched."""
    return model.objects.live().public().order_by("title").prefetch_related("associations")


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /markdownx/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_POST
def markdown_preview(request):
    """Live preview of the admin's Markdown editor, through the one renderer of the site."""
    user = request.user
    if not (user.is_active and user.has_perm("wagtailadmin.access_admin")):
        raise PermissionDenied
    return HttpResponse(render_markdown(request.POST.get("content", "")))


@require_GET
def search(request):
    """`/recherche/?q=`: full-text search of methods, tools, territories and associations."""
    return render(request, "commons/search.html", search_context(request))


@require_GET
def search_suggestions(request):
    """`/recherche/suggestions/?q=`: titles of fiches as the visitor types (JSON, at most 8)."""
    suggestions = title_suggestions(request.GET.get("q", ""), request)
    response = JsonResponse(suggestions, safe=False)
    response["Cache-Control"] = "public, max-age=60"
    return response

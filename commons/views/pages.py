"""Public pages of the shared core that are not Wagtail pages: associations, search, robots."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from commons import fiche_types
from commons.models import Association
from commons.rendering.markdown import render_markdown
from commons.search import search_context, title_suggestions
from commons.speed.bitmaps import fiches_with
from commons.speed.freshness import per_generation
from commons.speed.listing import prefetch_cards
from commons.speed.vocabulary import vocabulary

# Pages that list fiches without pagination show at most this many; the rest is one link away,
# in the faceted listing, so a page stays light whatever the size of the commons.
CARDS_SHOWN = 12
# Listings whose filters combine without end: robots.txt keeps crawlers to one parameter there.
FILTERED_LISTINGS = ("/methodes/", "/territoires/", "/territoires.geojson")


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
    associations = per_generation("association-list", associations_with_counts)
    return render(request, "commons/association_list.html", {"associations": associations})


def associations_with_counts() -> list:
    """Every association with `counts`: the live fiches of each kind it contributed to."""
    types = fiche_types.fiche_types()
    annotations = {f"count_{t.kind}": contribution_count(t.model, t.association_relation) for t in types}
    associations = list(Association.objects.annotate(**annotations))
    for association in associations:
        association.counts = {t.kind: getattr(association, f"count_{t.kind}") or 0 for t in types}
    return associations


@require_GET
def association_detail(request, slug):
    """A partner and what it contributed: methods, tools, territories it accompanied."""
    association = next((a for a in vocabulary().associations.values() if a.slug == slug), None)
    if association is None:
        raise Http404
    context = {"association": association, "cards_shown": CARDS_SHOWN}
    context.update((t.kind, contributed_cards(t, association)) for t in fiche_types.fiche_types())
    return render(request, "commons/association_detail.html", context)


def contributed_cards(fiche_type, association) -> list:
    """The first cards, by title, of the fiches of a type the association contributed to: from the
    browse index for a browsed type, else one query."""
    if fiche_type.browse_key and fiche_type.association_relation == "associations":
        return prefetch_cards(fiches_with(fiche_type, "association", association, CARDS_SHOWN))
    cards = fiche_type.model.objects.live_public().order_by("title").prefetch_related("associations")
    return list(cards.filter(**{fiche_type.association_relation: association})[:CARDS_SHOWN])


@require_GET
def robots_txt(request):
    lines = [
        "# Les fiches sont toutes dans le plan du site. Les listes filtrées se combinent sans fin :",
        "# une liste à un filtre reste ouverte, au-delà (plusieurs paramètres) elle n'est pas à explorer.",
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /markdownx/",
        *(f"Disallow: {listing}?*&" for listing in FILTERED_LISTINGS),
        "Disallow: /recherche/",
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

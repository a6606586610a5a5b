"""What `/recherche/` and its title suggestions show, in a constant number of queries."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from wagtail.search.backends import get_search_backend

from commons import fiche_types
from commons.models.taxonomy import Question
from commons.search.backend import french
from commons.search.query import MAX_TERMS, clean_query, live_public_pages, query_terms, search_page_ids
from commons.search.results import association_hits, fiche_hits, kind_label
from commons.search.spelling import spelling_suggestions
from commons.speed.listing import paginate

SUGGESTIONS_SHOWN = 8


def search_context(request) -> dict:
    """Everything `/recherche/` shows for `?q=&page=`, in at most a dozen queries."""
    query = clean_query(request.GET.get("q", ""))
    terms = query_terms(query)
    context = {"query": query, "terms": terms, "hits": [], "associations": [], "page_obj": None, "total": 0}
    if terms:
        page_obj = paginate(search_page_ids(query, fiche_types.fiche_models()), request.GET.get("page"))
        associations = association_hits(terms)
        context.update(
            page_obj=page_obj,
            hits=fiche_hits(page_obj.object_list, terms, request),
            associations=associations if page_obj.number == 1 else [],
            total=page_obj.paginator.count + len(associations),
        )
    if not context["total"]:
        context["questions"] = Question.objects.order_by("sort_order", "name")
        context["spellings"] = spelling_suggestions(query) if terms else []
    return context


def title_suggestions(query: str, request=None) -> list[dict[str, str]]:
    """Live public fiches whose title has words starting as typed (the last one a prefix), at most 8."""
    words = french.words(clean_query(query))[:MAX_TERMS]
    if not words:
        return []
    pages = get_search_backend().autocomplete(
        " ".join(words),
        live_public_pages().only("title", "url_path", "content_type_id"),
        operator="and",
    )[:SUGGESTIONS_SHOWN]
    return [
        {
            "title": page.title,
            "url": page.get_url(request=request),
            "type": kind_label(ContentType.objects.get_for_id(page.content_type_id).model_class()),
        }
        for page in pages
    ]

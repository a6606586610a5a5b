"""Filters of the pages endpoint: by taxonomy term and association, and Wagtail's field filters
made safe (a value of the wrong kind is a 400 with a message, never a 500)."""

from django.core.exceptions import ValidationError
from django.db.models import Q

from wagtail.api.v2.filters import FieldsFilter, SearchFilter
from wagtail.api.v2.utils import BadRequestError

from rest_framework.filters import BaseFilterBackend

from commons import fiche_types
from commons.speed.vocabulary import vocabulary

# Query parameter -> (relation of every fiche, vocabulary attribute, the message for an unknown term).
TAXONOMY_PARAMETERS = {
    "question": ("questions", "questions", "question inconnue"),
    "theme": ("themes", "themes", "thème inconnu"),
    "defi": ("defis", "defis", "défi inconnu"),
    "association": ("associations", "associations", "association inconnue"),
}


class SafeFieldsFilter(FieldsFilter):
    """Wagtail's `?field=value` filters; a value Django cannot compare (`?latitude=nord`) is a 400."""

    def filter_queryset(self, request, queryset, view):
        try:
            return super().filter_queryset(request, queryset, view)
        except (ValueError, TypeError, ValidationError) as error:
            raise BadRequestError(f"valeur de filtre invalide : {error}") from error


class SafeSearchFilter(SearchFilter):
    """Wagtail's `?search=`; an operator other than `and` or `or` is a 400, not the backend's ValueError."""

    def filter_queryset(self, request, queryset, view):
        operator = request.GET.get("search_operator")
        if "search" in request.GET and operator and operator not in {"and", "or"}:
            raise BadRequestError(f"search_operator vaut « and » ou « or », pas « {operator} »")
        return super().filter_queryset(request, queryset, view)


class TaxonomyFilter(BaseFilterBackend):
    """`?question=<slug>`, `?theme=<slug>` (a first-level thème includes its sub-thèmes),
    `?defi=<slug or number>`, `?association=<slug>`: fiches of every type linked to that term.

    Terms are looked up in the cached vocabulary (no query); an unknown one is a 400 that names it.
    """

    def filter_queryset(self, request, queryset, view):
        for parameter, (relation, kind, unknown) in TAXONOMY_PARAMETERS.items():
            if parameter in request.GET:
                term_ids = matching_term_ids(parameter, kind, request.GET[parameter])
                if not term_ids:
                    raise BadRequestError(f"{unknown} : « {request.GET[parameter]} »")
                queryset = queryset.filter(fiches_linked_to(relation, term_ids))
        return queryset


def matching_term_ids(parameter: str, kind: str, value: str) -> set[int]:
    """Ids of the terms `value` names: by slug, a défi also by number, a thème with its children."""
    terms = getattr(vocabulary(), kind)
    value = value.strip()
    found = {pk for pk, term in terms.items() if term.slug == value}
    if parameter == "defi" and value.isascii() and value.isdigit():  # "²" is a digit int() refuses
        found |= {pk for pk, term in terms.items() if term.number == int(value)}
    if parameter == "theme":
        found |= {pk for pk, term in terms.items() if term.parent_id in found}
    return found


def fiches_linked_to(relation: str, term_ids: set[int]) -> Q:
    """Pages that are fiches of a registered type linked to one of these terms, one subquery per
    type (a territory counts its accompanying associations as its associations)."""
    linked = Q(pk__in=[])
    for fiche_type in fiche_types.fiche_types():
        condition = Q(**{f"{relation}__in": term_ids})
        if relation == "associations" and fiche_type.association_relation != relation:
            condition |= Q(**{f"{fiche_type.association_relation}__in": term_ids})
        linked |= Q(pk__in=fiche_type.model.objects.filter(condition).values("pk"))
    return linked

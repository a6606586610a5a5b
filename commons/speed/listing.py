"""Helpers shared by every public listing: pagination and what fiche cards need."""

import unicodedata
from collections.abc import Callable
from typing import NamedTuple

from django.core.paginator import Page, Paginator
from django.db.models import CharField, IntegerField, Value

from commons.speed import shortcuts
from commons.speed.prepared import MARKERS, prepared
from commons.speed.visibility import page_url

PAGE_SIZE = 20


def paginate(object_list, page_number, per_page: int = PAGE_SIZE) -> Page:
    """The requested page of `object_list`; a malformed or out-of-range number gives a valid page."""
    return Paginator(object_list, per_page).get_page(page_number)


def prefetch_cards(pages) -> list:
    """Set the associations every card shows, in one query whatever the number and types of cards."""
    from commons.speed.vocabulary import in_order, linked_term_ids, vocabulary

    pages = list(pages)
    if pages:
        links, associations = linked_term_ids(pages, ["associations"]), vocabulary().associations
        for page in pages:
            page._card_associations = in_order(associations, links.get((page.pk, "associations"), []))
    return pages


def read_cards(model, ids: list[int]) -> dict:
    """The fiches of `model` with these ids, with the fields a card shows, by id: one query,
    compiled once per type and number of ids (`commons.speed.prepared`)."""

    def cards(wanted):
        return model.objects.filter(pk__in=wanted).only("title", "url_path", "summary")

    if not ids:
        return {}
    if len(ids) > len(MARKERS):  # more than a page of cards: compiled as usual
        return cards(ids).in_bulk()
    query = prepared(("cards", model._meta.label, len(ids)), lambda *markers: cards(markers), len(ids))
    return {page.pk: page for page in query.objects(*ids)}


class LinkedFiche(NamedTuple):
    """A fiche as one line of a list on another fiche (its related fiches, a method's tools…)."""

    pk: int
    title: str
    url: str
    summary: str = ""
    note: str = ""  # what the link itself says: how the method went on that territory

    @classmethod
    def of(cls, page, note: str = "") -> "LinkedFiche":
        return cls(page.pk, page.title, page.url, getattr(page, "summary", ""), note)


LINK_COLUMNS = ("pk", "title", "url_path", "summary", "note", "position")


def linkable(queryset, note=None, position=None):
    """Fiches with the `note` and the `position` (order in their list) of `read_linked_fiches`."""
    return queryset.annotate(
        note=Value("", output_field=CharField()) if note is None else note,
        position=Value(0, output_field=IntegerField()) if position is None else position,
    )


def read_linked(queryset) -> list[LinkedFiche]:
    """The `linkable` fiches of `queryset`, in their list's order."""
    return in_list_order(queryset.order_by().values_list(*LINK_COLUMNS))


def in_list_order(rows) -> list[LinkedFiche]:
    """`LINK_COLUMNS` rows as fiches, by position (none: first), then by title."""
    fiches = [
        ((position or 0, title_key(title)), LinkedFiche(pk, title, page_url(url_path), summary, note or ""))
        for pk, title, url_path, summary, note, position in rows
    ]
    return [fiche for _order, fiche in sorted(fiches, key=lambda item: item[0])]


def read_linked_fiches(key: tuple, build: Callable[..., dict], *values) -> dict[str, list[LinkedFiche]]:
    """Lists of fiches shown on a page, by name, read in one `UNION ALL` query compiled once per
    `key` (`commons.speed.prepared`: `key` names what the SQL depends on besides `values`).

    `build(*markers)` gives the querysets of the lists by name, each annotated with the `note` and
    the `position` of its fiches; a list is in position order, then in title order.
    """

    def union(*markers):
        querysets = build(*markers)
        _linked_list_names[key] = list(querysets)
        return union_of(querysets)

    if not shortcuts.enabled("linked_lists"):
        return {name: read_linked(queryset) for name, queryset in build(*values).items()}
    found = prepared(key, union, len(values)).rows(*values)
    return split_lists(found, _linked_list_names[key])  # the names were set when the query was built


def read_linked_together(querysets: dict) -> dict[str, list[LinkedFiche]]:
    """Several lists of `linkable` fiches by name, in one `UNION ALL` query (not prepared: for
    previews and past versions, whose lists are not the same every time)."""
    if not querysets:
        return {}
    if not shortcuts.enabled("linked_lists"):
        return {name: read_linked(queryset) for name, queryset in querysets.items()}
    return split_lists(union_of(querysets), list(querysets))


def union_of(querysets: dict):
    """The lists as one query of `LINK_COLUMNS` rows, each led by the number of its list."""
    parts = [
        queryset.order_by().annotate(list_number=Value(number)).values_list("list_number", *LINK_COLUMNS)
        for number, queryset in enumerate(querysets.values())
    ]
    return parts[0].union(*parts[1:], all=True)


def split_lists(found, names: list[str]) -> dict[str, list[LinkedFiche]]:
    rows: dict[int, list] = {number: [] for number in range(len(names))}
    for number, *columns in found:
        rows[number].append(columns)
    return {name: in_list_order(rows[number]) for number, name in enumerate(names)}


_linked_list_names: dict[tuple, list[str]] = {}


def title_key(title: str) -> str:
    """Sort key for French titles: accents and case do not change the order ("Écoute" ~ "ecoute")."""
    decomposed = unicodedata.normalize("NFKD", title.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))

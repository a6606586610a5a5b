"""Helpers shared by every public listing: pagination and what fiche cards need."""

from django.core.paginator import Page, Paginator

from commons.prepared import MARKERS, prepared

PAGE_SIZE = 20


def paginate(object_list, page_number, per_page: int = PAGE_SIZE) -> Page:
    """The requested page of `object_list`; a malformed or out-of-range number gives a valid page."""
    return Paginator(object_list, per_page).get_page(page_number)


def prefetch_cards(pages) -> list:
    """Set the associations every card shows, in one query whatever the number and types of cards."""
    from commons.vocabulary import in_order, linked_term_ids, vocabulary

    pages = list(pages)
    if pages:
        links, associations = linked_term_ids(pages, ["associations"]), vocabulary().associations
        for page in pages:
            page._card_associations = in_order(associations, links.get((page.pk, "associations"), []))
    return pages


def read_cards(model, ids: list[int]) -> dict:
    """The fiches of `model` with these ids, with the fields a card shows, by id: one query,
    compiled once per type and number of ids (`commons.prepared`)."""

    def cards(wanted):
        return model.objects.filter(pk__in=wanted).only("title", "url_path", "summary")

    if not ids:
        return {}
    if len(ids) > len(MARKERS):  # more than a page of cards: compiled as usual
        return cards(ids).in_bulk()
    query = prepared(("cards", model._meta.label, len(ids)), lambda *markers: cards(markers), len(ids))
    return {page.pk: page for page in query.objects(*ids)}

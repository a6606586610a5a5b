"""Helpers shared by every public listing: pagination and what fiche cards need."""

from django.core.paginator import Page, Paginator
from django.db.models import prefetch_related_objects

PAGE_SIZE = 20


def paginate(object_list, page_number, per_page: int = PAGE_SIZE) -> Page:
    """The requested page of `object_list`; a malformed or out-of-range number gives a valid page."""
    return Paginator(object_list, per_page).get_page(page_number)


def prefetch_cards(pages) -> list:
    """Load the associations every card shows, one query per fiche type whatever the number of cards."""
    pages = list(pages)
    for model in {type(page) for page in pages}:
        prefetch_related_objects([page for page in pages if type(page) is model], "associations")
    return pages

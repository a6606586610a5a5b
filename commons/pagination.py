"""Pagination shared by every public listing."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 20


def paginate(object_list, page_number, per_page: int = PAGE_SIZE) -> Page:
    """The requested page of `object_list`; a malformed or out-of-range number gives a valid page."""
    return Paginator(object_list, per_page).get_page(page_number)

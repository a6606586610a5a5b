"""URLs worked out without a `reverse()` per link: Django's takes some 20 µs, and a fiche shows a
dozen links (its related fiches, tools, territories, questions, associations)."""

import re
from functools import lru_cache

from django.urls import get_script_prefix, reverse

from commons.speed import shortcuts

# What `reverse()` leaves as it is in a path: Wagtail's ASCII slugs and the slashes between them.
PLAIN_PATH = re.compile(r"[A-Za-z0-9_\-/]*")


def slug_url(viewname: str, slug: str) -> str:
    """`reverse(viewname, args=[slug])`, once per process for each slug (questions, associations)."""
    if not shortcuts.enabled("page_urls"):
        return reverse(viewname, args=[slug])
    return _reverse(get_script_prefix(), viewname, slug)


@lru_cache(maxsize=1024)
def _reverse(_script_prefix: str, viewname: str, slug: str) -> str:
    return reverse(viewname, args=[slug])


def served_page_path(path: str) -> str | None:
    """The URL of Wagtail's serve view for a page at `path` under its site's root, as `reverse()`
    gives it; None when the path has characters `reverse()` would quote (it then has to run)."""
    if not PLAIN_PATH.fullmatch(path) or not shortcuts.enabled("page_urls"):
        return None
    return _serve_prefix(get_script_prefix()) + path


@lru_cache(maxsize=16)
def _serve_prefix(_script_prefix: str) -> str:
    return reverse("wagtail_serve", args=("",))

"""The fence around the speed layer: every shortcut the site takes past Django or Wagtail, by name.

Each shortcut gives the framework's own result faster (a test proves it for each) and can be
turned off, so that the framework's own path runs instead: `COMMONS_FALLBACKS` (environment
variable and setting) is `all`, or a comma-separated list of the names below. CI runs the whole
suite once with every fallback on. Next to each name: what a page costs with that shortcut off,
from `make bench-shortcuts` (PostgreSQL, 2 cores, 10,000 fiches, 2,000 territories,
`bench/results/shortcuts-20261203T085211Z.json`); the README has the table.
"""

from django.conf import settings

SHORTCUTS = {
    "page_cache": (
        "whole public pages kept for anonymous visitors (speed.page_cache) — off: median +5,740 %"
    ),
    "routing": (
        "a page found in one query from the route table, the Site cached (speed.serving)"
        " — off: +50 % median, up to 5 more queries"
    ),
    "prepared_queries": (
        "a fiche's querysets compiled to SQL once per process (speed.prepared)"
        " — off: +11 % median, +251 % on a method fiche"
    ),
    "page_urls": (
        "page, question and association URLs without reverse() (speed.reversing, speed.visibility)"
        " — off: +22 % median"
    ),
    "static_urls": (
        "static file URLs worked out once per process (speed.storage)"
        " — off: +0 % median, +33 % on a filtered listing"
    ),
    "view_restrictions": (
        "view restrictions read once per content generation (speed.visibility)"
        " — off: +40 % median, up to 3 more queries"
    ),
    "memo": (
        "taxonomy, indexes and tables built once per content generation (speed.freshness)"
        " — off: +4,798 % median, up to 40 more queries"
    ),
    "linked_lists": (
        "a fiche's lists of fiches read in one UNION ALL query (speed.listing)"
        " — off: +22 % median, +230 % on a method fiche"
    ),
    "choice_labels": (
        "only the shown choice label translated (models.fiche) — off: +9 % median, +90 % on a territory fiche"
    ),
    "truncation": (
        "truncatechars without a walk over every character (rendering.jinja2)"
        " — off: +4 % median, +16 % on a filtered listing"
    ),
}


def enabled(name: str) -> bool:
    """Whether the shortcut `name` runs, rather than Django's or Wagtail's own path."""
    return name not in settings.COMMONS_FALLBACKS


def fallbacks_from(value: str) -> frozenset[str]:
    """The shortcuts turned off by a `COMMONS_FALLBACKS` value: "", "all" or "a,b"."""
    names = {name.strip() for name in value.split(",") if name.strip()}
    if names == {"all"}:
        return frozenset(SHORTCUTS)
    unknown = names - set(SHORTCUTS)
    if unknown:
        raise ValueError(
            f"COMMONS_FALLBACKS: unknown shortcut(s) {', '.join(sorted(unknown))}; "
            f"known: all, {', '.join(SHORTCUTS)}"
        )
    return frozenset(names)

"""The fence around the speed layer: every shortcut the site takes past Django or Wagtail, by name.

Each shortcut gives the framework's own result faster (a test proves it for each) and can be
turned off, so that the framework's own path runs instead: `COMMONS_FALLBACKS` (environment
variable and setting) is `all`, or a comma-separated list of the names below. CI runs the whole
suite once with every fallback on. The figures are `bench/shortcuts.py`'s and the README's.
"""

from django.conf import settings

SHORTCUTS = {
    "page_cache": "whole public pages kept for anonymous visitors (speed.page_cache)",
    "routing": "a page found in one query from the route table, the Site cached (speed.serving)",
    "prepared_queries": "a fiche's querysets compiled to SQL once per process (speed.prepared)",
    "page_urls": "page, question and association URLs without reverse() (speed.reversing, speed.visibility)",
    "static_urls": "static file URLs worked out once per process (speed.storage)",
    "view_restrictions": "view restrictions read once per content generation (speed.visibility)",
    "memo": "taxonomy, indexes and tables built once per content generation (speed.freshness)",
    "linked_lists": "a fiche's lists of fiches read in one UNION ALL query (speed.listing)",
    "choice_labels": "only the shown choice label translated (models.fiche)",
    "truncation": "truncatechars without a walk over every character (rendering.jinja2)",
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

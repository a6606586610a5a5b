"""The speed layer, behind one fence (`shortcuts`): every way the site is faster than Django's or
Wagtail's plain path, each giving the framework's own result (a test proves it) and each with a
switch back to that path (`COMMONS_FALLBACKS`).

- `freshness`: the content generation, and what is built once per generation (`per_generation`)
- `page_cache`: whole public pages for anonymous visitors
- `serving`: a page found in one query from the route table; the Site without a query
- `prepared`: querysets compiled to SQL once per process
- `reversing`, `storage`: URLs of pages, questions, associations and static files worked out once
- `visibility`: what the public may see (`live_public()`), the view restrictions read once
- `vocabulary`: the taxonomy and the associations, once per generation
- `listing`: pagination, fiche cards, a fiche's lists of fiches in one query (`LinkedFiche`)
- `bitmaps`: the browse index of facets and the ranking of related fiches

Submodules are imported by their full name: this package imports none of them, since the
settings read `shortcuts` before any model is loaded.
"""

__all__ = [
    "bitmaps",
    "freshness",
    "listing",
    "page_cache",
    "prepared",
    "reversing",
    "serving",
    "shortcuts",
    "storage",
    "visibility",
    "vocabulary",
]

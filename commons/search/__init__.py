"""Full-text search of the public site: `/recherche/`, title suggestions, page ids for `/methodes/`.

`query` cleans what the public types and runs it through Wagtail's search backend (`backend/`:
French stemming, accents ignored, on PostgreSQL and SQLite alike); `results` turns found pages
into hits with highlighted excerpts; `spelling` suggests close spellings; `pages` assembles what
the search page shows. Every function runs a constant number of queries.
"""

from commons.search.pages import SUGGESTIONS_SHOWN, search_context, title_suggestions
from commons.search.query import (
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    clean_query,
    live_public_pages,
    query_terms,
    search_page_ids,
    search_pages,
)
from commons.search.results import (
    EXCERPT_LENGTH,
    SearchHit,
    association_hits,
    excerpt,
    fiche_hits,
    highlight,
    plain_text,
    stems,
)
from commons.search.spelling import spelling_suggestions, spelling_words

__all__ = [
    "EXCERPT_LENGTH",
    "MAX_QUERY_LENGTH",
    "MAX_TERMS",
    "SUGGESTIONS_SHOWN",
    "SearchHit",
    "association_hits",
    "clean_query",
    "excerpt",
    "fiche_hits",
    "highlight",
    "live_public_pages",
    "plain_text",
    "query_terms",
    "search_context",
    "search_page_ids",
    "search_pages",
    "spelling_suggestions",
    "spelling_words",
    "stems",
    "title_suggestions",
]

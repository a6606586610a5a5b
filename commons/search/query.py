"""The query: the text the public types, cleaned, reduced to its words, and run.

Everything goes through Wagtail's search backend (`commons.search.backend`: French stemming,
accents ignored, on PostgreSQL and SQLite alike). Only live pages outside private sections are
searched: Wagtail indexes drafts too (for the admin), so the filter is applied to every query.
No punctuation, quotes or operators ever reach the database, so a hostile query finds nothing
rather than failing.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Sequence

from django.core.cache import cache

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from commons import fiche_types
from commons.search.backend import french
from commons.speed import visibility
from commons.speed.freshness import content_generation

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12  # an AND of more words finds nothing anyway
RESULTS_TIMEOUT = 24 * 60 * 60


def clean_query(text: str) -> str:
    """The search text as typed, made safe: trimmed, single-spaced, at most 200 characters.

    Control characters (NUL bytes, which PostgreSQL refuses, new lines, tabs) become spaces; other
    invisible characters (format, private use, unassigned) are dropped.
    """
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFC", text[: MAX_QUERY_LENGTH * 4])
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            kept.append(" ")
        elif category[0] != "C":
            kept.append(char)
    return " ".join("".join(kept).split())[:MAX_QUERY_LENGTH].rstrip()


def query_terms(query: str) -> list[str]:
    """The words of `query` worth searching, as typed: no punctuation, operators or French stop words."""
    terms, seen = [], set()
    for word in french.words(query):
        folded = french.fold(word)
        if folded in french.STOP_WORDS or folded in seen or (len(folded) < 2 and not folded.isdigit()):
            continue
        seen.add(folded)
        terms.append(word)
    return terms[:MAX_TERMS]


def live_public_pages(models: Iterable[type[Page]] | None = None):
    """Live pages of `models` (default: every fiche type) outside private sections."""
    return visibility.pages().live_public().type(*(fiche_types.fiche_models() if models is None else models))


def search_pages(terms: Sequence[str], models: Iterable[type[Page]] | None = None, queryset=None):
    """Lazy search results over live public pages of `models`, best first; every term must match."""
    if queryset is None:
        queryset = live_public_pages(models)
    return get_search_backend().search(" ".join(terms), queryset, operator="and")


def search_page_ids(query: str, models: Sequence[type]) -> list[int]:
    """Ids of the live public pages of `models` matching `query`, best first.

    One query, whose result is cached until the content changes (a popular word matches thousands
    of fiches, and ranking them all is the costly part); hostile or empty text gives an empty list.
    """
    terms = query_terms(clean_query(query))
    if not terms or not models:
        return []
    labels = sorted(model._meta.label_lower for model in models)
    digest = hashlib.sha256(repr((terms, labels)).encode()).hexdigest()
    key = f"commons:search-ids:{content_generation()}:{digest}"
    ids = cache.get(key)
    if ids is None:
        # The ranked queryset behind the results, reduced to the ids: no page objects are built.
        results = search_pages(terms, queryset=live_public_pages(models))
        ids = list(results.get_queryset().values_list("pk", flat=True))
        cache.set(key, ids, RESULTS_TIMEOUT)
    return ids

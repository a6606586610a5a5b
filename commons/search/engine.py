"""Full-text search of the public site: `/recherche/`, title suggestions, page ids for `/methodes/`.

Everything goes through Wagtail's search backend (`commons.search.backend`: French stemming,
accents ignored, on PostgreSQL and SQLite alike). Only live pages outside private sections are
searched: Wagtail indexes drafts too (for the admin), so the filter is applied to every query.
The index follows publish, unpublish and deletion through Wagtail's save and delete signals; a
draft revision of a published page changes nothing, since the page row keeps the published text.

The text the public types is cleaned first (`clean_query`), then reduced to its words
(`query_terms`): no punctuation, quotes or operators ever reach the database, so a hostile query
finds nothing rather than failing. Every function runs a constant number of queries.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from commons.models import Association, Question
from commons.search.backend import french
from commons.speed import visibility
from commons.speed.freshness import content_generation, per_generation
from commons.speed.listing import paginate
from methods.models import MethodPage, ToolPage
from territories.models import TerritoryPage

MAX_QUERY_LENGTH = 200
MAX_TERMS = 12  # an AND of more words finds nothing anyway
FICHE_MODELS = (MethodPage, ToolPage, TerritoryPage)
SUGGESTIONS_SHOWN = 8
SPELLINGS_SHOWN = 3
EXCERPT_LENGTH = 280
VOCABULARY_TIMEOUT = 24 * 60 * 60
# What a result shows, and what its URL needs.
HIT_FIELDS = ("title", "url_path", "summary", "body_html", "content_type_id")


# --- The query ---------------------------------------------------------------------------------


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


def live_public_pages(models: Iterable[type[Page]]):
    """Live pages of `models` outside private sections (the view restrictions are cached)."""
    return visibility.pages().live().public().type(*models)


def search_pages(terms: Sequence[str], models: Iterable[type[Page]] = FICHE_MODELS, queryset=None):
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
        cache.set(key, ids, VOCABULARY_TIMEOUT)
    return ids


# --- Results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One result as the results page shows it."""

    title: str
    url: str
    kind: str
    kind_slug: str
    excerpt: SafeString


def kind_label(model) -> str:
    """What a result is, as its label shows it: Méthode, Outil, Territoire."""
    return str(model._meta.verbose_name).capitalize()


def fiche_hits(page_ids: Sequence[int], terms: Sequence[str], request=None) -> list[SearchHit]:
    """Results for found pages (in their order): one query per page type, whatever their number."""
    specific = {}
    for model in FICHE_MODELS:
        specific.update(model.objects.only(*HIT_FIELDS).in_bulk(page_ids))
    forms = stems(terms)
    hits = []
    for page_id in page_ids:
        fiche = specific.get(page_id)
        if fiche is None:  # deleted between the two queries
            continue
        hits.append(
            SearchHit(
                title=fiche.title,
                url=fiche.get_url(request=request),
                kind=kind_label(type(fiche)),
                kind_slug=fiche._meta.model_name,
                excerpt=excerpt([fiche.summary, plain_text(fiche.body_html)], forms),
            )
        )
    return hits


def association_hits(terms: Sequence[str]) -> list[SearchHit]:
    """The partner associations matching every term (one query)."""
    found = get_search_backend().search(" ".join(terms), Association.objects.all(), operator="and")
    forms, texts = stems(terms), association_texts()
    return [
        SearchHit(
            title=association.full_name or association.name,
            url=association.get_absolute_url(),
            kind="Association",
            kind_slug="association",
            excerpt=excerpt([texts.get(association.pk, ""), association.departements], forms),
        )
        for association in found
    ]


# --- Excerpts ----------------------------------------------------------------------------------


# A tag of sanitized HTML, quoted attribute values included (they may hold a ">"). Django's
# `strip_tags` parses the whole document with `HTMLParser`: 1 to 2 ms for each result's body.
TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")


def plain_text(rendered_html: str) -> str:
    """The text of sanitized HTML (a rendered Markdown field), on one line; tags separate words."""
    return " ".join(html.unescape(TAG.sub(" ", rendered_html)).split())


def association_texts() -> dict[int, str]:
    """The plain text of each association's description, rendered once per content generation."""
    return per_generation(
        "association-texts",
        lambda: {
            association.pk: plain_text(association.description_html)
            for association in Association.objects.all()
        },
    )


def stems(terms: Iterable[str]) -> frozenset[str]:
    return frozenset(french.stem(term) for term in terms)


def first_match(text: str, forms: frozenset[str]) -> int | None:
    for match in french.WORD.finditer(text):
        if french.stem(match.group()) in forms:
            return match.start()
    return None


def window(text: str, position: int, length: int = EXCERPT_LENGTH) -> str:
    """About `length` characters of `text` around `position`, cut between words, with ellipses."""
    if len(text) <= length:
        return text
    start = max(0, position - length // 3)
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + length
    if end < len(text):
        cut = text.rfind(" ", start, end)
        end = cut if cut > position else end
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def highlight(text: str, forms: frozenset[str]) -> SafeString:
    """`text` escaped, with `<mark>` around the words whose stem is one of `forms`."""
    parts, last = [], 0
    for match in french.WORD.finditer(text):
        if french.stem(match.group()) in forms:
            parts.append(escape(text[last : match.start()]))
            parts.append(format_html("<mark>{}</mark>", match.group()))
            last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


def excerpt(texts: Sequence[str], forms: frozenset[str]) -> SafeString:
    """The first of `texts` with a matching word, around that word and highlighted; else the first."""
    for text in texts:
        position = first_match(text or "", forms)
        if position is not None:
            return highlight(window(text, position), forms)
    return highlight(window(texts[0] or "", 0), forms)


# --- Close spellings ---------------------------------------------------------------------------


def vocabulary() -> dict[str, str]:
    """Words of the published titles and summaries and of the associations' names, by folded form.

    Read in two queries at most once per content generation, then kept in the cache.
    """
    key = f"commons:search-vocabulary:{content_generation()}"
    words = cache.get(key)
    if words is None:
        words = build_vocabulary()
        cache.set(key, words, VOCABULARY_TIMEOUT)
    return words


def build_vocabulary() -> dict[str, str]:
    summaries = [f"{model._meta.model_name}__summary" for model in FICHE_MODELS]
    rows = live_public_pages(FICHE_MODELS).values_list("title", *summaries)
    counts = Counter()
    for row in [*rows, *Association.objects.values_list("name", "full_name")]:
        for text in row:
            counts.update(word for word in french.words(text or "") if len(word) > 2 and not word.isdigit())
    words: dict[str, str] = {}
    for word, _count in counts.most_common():  # the most frequent spelling of each folded form
        words.setdefault(french.fold(word), word)
    return words


def close_words(word: str, words: dict[str, str]) -> list[str]:
    """Folded words of `words` close to the folded `word`, closest first."""
    candidates = [other for other in words if abs(len(other) - len(word)) <= 2]
    return difflib.get_close_matches(word, candidates, n=SPELLINGS_SHOWN, cutoff=0.75)


def spelling_suggestions(query: str) -> list[str]:
    """Queries spelled like the words of the commons: "concertaton" -> ["concertation"]."""
    words = french.words(query)[:MAX_TERMS]
    known = vocabulary()
    known_stems = {french.stem(word) for word in known}
    replacements = {}
    for index, word in enumerate(words):
        folded = french.fold(word)
        if len(folded) < 3 or folded.isdigit() or folded in french.STOP_WORDS or folded in known:
            continue
        if french.stem(folded) in known_stems:
            continue
        close = close_words(folded, known)
        if close:
            replacements[index] = close
    suggestions = []
    for rank in range(SPELLINGS_SHOWN if replacements else 0):
        corrected = [
            known[replacements[index][min(rank, len(replacements[index]) - 1)]]
            if index in replacements
            else word
            for index, word in enumerate(words)
        ]
        suggestion = " ".join(corrected)
        if suggestion not in suggestions:
            suggestions.append(suggestion)
    return suggestions


# --- Pages -------------------------------------------------------------------------------------


def search_context(request) -> dict:
    """Everything `/recherche/` shows for `?q=&page=`, in at most a dozen queries."""
    query = clean_query(request.GET.get("q", ""))
    terms = query_terms(query)
    context = {"query": query, "terms": terms, "hits": [], "associations": [], "page_obj": None, "total": 0}
    if terms:
        page_obj = paginate(search_page_ids(query, FICHE_MODELS), request.GET.get("page"))
        associations = association_hits(terms)
        context.update(
            page_obj=page_obj,
            hits=fiche_hits(page_obj.object_list, terms, request),
            associations=associations if page_obj.number == 1 else [],
            total=page_obj.paginator.count + len(associations),
        )
    if not context["total"]:
        context["questions"] = Question.objects.order_by("sort_order", "name")
        context["spellings"] = spelling_suggestions(query) if terms else []
    return context


def title_suggestions(query: str, request=None) -> list[dict[str, str]]:
    """Live public fiches whose title has words starting as typed (the last one a prefix), at most 8."""
    words = french.words(clean_query(query))[:MAX_TERMS]
    if not words:
        return []
    pages = get_search_backend().autocomplete(
        " ".join(words),
        live_public_pages(FICHE_MODELS).only("title", "url_path", "content_type_id"),
        operator="and",
    )[:SUGGESTIONS_SHOWN]
    return [
        {
            "title": page.title,
            "url": page.get_url(request=request),
            "type": kind_label(ContentType.objects.get_for_id(page.content_type_id).model_class()),
        }
        for page in pages
    ]

"""Search results as the results page shows them: kind, title, highlighted excerpt."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from wagtail.search.backends import get_search_backend

from commons import fiche_types
from commons.models.association import Association
from commons.search.backend import french
from commons.speed.freshness import per_generation

EXCERPT_LENGTH = 280
# What a result shows, and what its URL needs.
HIT_FIELDS = ("title", "url_path", "summary", "body_html", "content_type_id")


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
    for model in fiche_types.fiche_models():
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

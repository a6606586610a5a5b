"""One record per published fiche, streamed in a fixed number of queries and constant memory.

The fiches of a type are read in one query ordered by id, and every term they link to (taxonomy,
partners, tags, other fiches) in one more: a `UNION ALL` over the through tables, ordered by page id
too. Both are read with `.iterator()` and walked together, so only a chunk of rows is in memory at
a time, besides the vocabulary (cached per content generation) and the slugs and titles of the
published fiches a type names (a method's tools). The fields are those of the exchange format
(`commons.exchange.fields`): the shared ones, then the type's own scalars and relations.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.db.models import CharField, Value

from commons import fiche_types
from commons.exchange.fields import SHARED
from commons.speed.visibility import page_url
from commons.speed.vocabulary import vocabulary

ROWS_PER_FETCH = 1000  # rows held at a time by each of the two streams
TAGS = "tags"  # free words: a relation of every fiche, outside the exchange's relations


class Term(NamedTuple):
    """What a fiche links to: a term, a partner, a tag or another fiche."""

    slug: str
    name: str


@dataclass(frozen=True)
class FicheRecord:
    """A published fiche as the exports give it."""

    kind: str
    slug: str
    url: str  # absolute
    first_published_at: datetime | None
    last_published_at: datetime | None
    values: dict  # scalar name -> stored value: title, summary, license, credits, the type's own
    terms: dict  # relation name -> its terms, in display order


def scalar_names(fiche_type) -> list[str]:
    return [*SHARED.scalars, *fiche_type.exchange.scalars]


def relation_kinds(fiche_type) -> dict[str, str]:
    """Relation name -> the kind of what it names, for the relations the type's model has."""
    named = {**SHARED.relations, TAGS: TAGS, **fiche_type.exchange.relations}
    fields = {field.name for field in fiche_type.model._meta.many_to_many}
    return {relation: kind for relation, kind in named.items() if relation in fields}


def fiche_records(fiche_type, base_url: str) -> Iterator[FicheRecord]:
    """The published fiches of `fiche_type`, by id; `base_url` makes their addresses absolute."""
    relations = relation_kinds(fiche_type)
    terms = {kind: TermTable.of_kind(kind) for kind in set(relations.values())}
    scalars = scalar_names(fiche_type)
    rows = (
        fiche_type.model.objects.live_public()
        .order_by("pk")
        .values_list("pk", "slug", "url_path", "first_published_at", "last_published_at", *scalars)
        .iterator(chunk_size=ROWS_PER_FETCH)
    )
    for row, links in merged_with_links(rows, link_rows(fiche_type.model, list(relations))):
        pk, slug, url_path, first, last, *values = row
        yield FicheRecord(
            kind=fiche_type.kind,
            slug=slug,
            url=absolute_url(base_url, page_url(url_path) or ""),
            first_published_at=first,
            last_published_at=last,
            values=dict(zip(scalars, values, strict=True)),
            terms={
                relation: terms[kind].terms(links.get(relation, ())) for relation, kind in relations.items()
            },
        )


def absolute_url(base_url: str, url: str) -> str:
    """`url` below `base_url`, unless it is absolute already (a page of another site)."""
    return url if url.startswith(("http://", "https://")) or not url else base_url + url


@dataclass(frozen=True)
class TermTable:
    """The terms of one kind by id, and their display order."""

    by_id: dict[int, Term]
    rank: dict[int, int]

    @classmethod
    def of_kind(cls, kind: str) -> TermTable:
        if kind in fiche_types.kinds():  # other fiches: only the published ones may be named
            rows = (
                fiche_types.fiche_type(kind)
                .model.objects.live_public()
                .order_by("title", "pk")
                .values_list("pk", "slug", "title")
            )
            by_id = {pk: Term(slug, title) for pk, slug, title in rows}
        elif kind == TAGS:
            by_id = {pk: Term(tag.slug, tag.name) for pk, tag in vocabulary().tags.items()}
        else:
            by_id = {pk: Term(term.slug, term.name) for pk, term in getattr(vocabulary(), kind).items()}
        return cls(by_id, {pk: position for position, pk in enumerate(by_id)})

    def terms(self, ids) -> list[Term]:
        known = [pk for pk in ids if pk in self.by_id]
        return [self.by_id[pk] for pk in sorted(known, key=self.rank.__getitem__)]


def link_rows(model, relations: list[str]) -> Iterator[tuple[int, str, int]]:
    """(page id, relation, term id) of every link of the published fiches of `model`, by page id."""
    fields = {field.name: field for field in model._meta.many_to_many}
    published = model.objects.live_public().values("pk")
    parts = []
    for relation in relations:
        field = fields[relation]
        # Tags (taggit) link through `content_object`; other relations name their own fields.
        page_field = field.m2m_field_name() if hasattr(field, "m2m_field_name") else "content_object"
        parts.append(
            field.remote_field.through.objects.filter(**{f"{page_field}__in": published})
            .annotate(relation=Value(relation, output_field=CharField()))
            .values_list(f"{page_field}_id", "relation", f"{field.m2m_reverse_field_name()}_id")
            .order_by()
        )
    if not parts:
        return iter(())
    # A union is ordered by the columns of its first part.
    first_column = parts[0].query.values_select[0]
    union = parts[0].union(*parts[1:], all=True).order_by(first_column)
    return union.iterator(chunk_size=ROWS_PER_FETCH)


def merged_with_links(rows, links) -> Iterator[tuple[tuple, dict[str, list[int]]]]:
    """Each fiche row with its term ids by relation: both streams are in page id order."""
    links = iter(links)
    pending = next(links, None)
    for row in rows:
        pk, found = row[0], {}
        while pending is not None and pending[0] <= pk:
            if pending[0] == pk:
                found.setdefault(pending[1], []).append(pending[2])
            pending = next(links, None)
        yield row, found


def capitalized(text) -> str:
    """A verbose name as a header or label: "public visé" -> "Public visé"."""
    text = str(text)
    return text[:1].upper() + text[1:]


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None

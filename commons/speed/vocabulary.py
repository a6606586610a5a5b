"""The taxonomy and the associations, read once per content generation and kept in the cache.

Questions, phases, défis, thèmes and associations are a few dozen rows that nearly every public
page shows (facets, fiche classification, cards, the home page). They change rarely, and any change
bumps the content generation (`commons.speed.freshness`), so they are cached whole; pages then resolve
the term ids they link to without a query per kind of term.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.apps import apps
from django.db.models import CharField, Value

from wagtail.models import Page

from commons.speed.freshness import per_generation
from commons.speed.prepared import prepared


@dataclass(frozen=True)
class Link:
    title: str
    url: str


@dataclass
class Vocabulary:
    """Each kind of term by primary key, in display order (dicts keep insertion order)."""

    questions: dict
    phases: dict
    defis: dict
    themes: dict
    associations: dict
    tags: dict
    sections: dict  # tree path -> Link, for the home page and the section index pages

    def of(self, model) -> dict:
        """The terms of a taxonomy model (or associations), by primary key."""
        return getattr(self, RELATION_OF_MODEL[model.__name__])


RELATION_OF_MODEL = {
    "Question": "questions",
    "Phase": "phases",
    "Defi": "defis",
    "Theme": "themes",
    "Association": "associations",
    "Tag": "tags",
}


def vocabulary() -> Vocabulary:
    """The vocabulary of the current content generation (shared: do not modify it)."""
    return per_generation("vocabulary", load_vocabulary)


def load_vocabulary() -> Vocabulary:
    from taggit.models import Tag

    # From the app registry: the content model imports this module.
    Association, Question, Phase, Defi, Theme = (  # noqa: N806 - model classes
        apps.get_model("commons", name) for name in ("Association", "Question", "Phase", "Defi", "Theme")
    )
    return Vocabulary(
        questions=Question.objects.in_bulk(),
        phases=Phase.objects.in_bulk(),
        defis=Defi.objects.in_bulk(),
        themes=Theme.objects.select_related("parent").in_bulk(),
        associations=Association.objects.in_bulk(),
        tags={tag.pk: tag for tag in Tag.objects.order_by("name", "pk")},
        sections={page.path: Link(page.title, page.get_url()) for page in Page.objects.filter(depth__lte=3)},
    )


def in_order(terms: dict, ids) -> list:
    """The terms of these ids, in the vocabulary's display order."""
    wanted = set(ids)
    return [term for pk, term in terms.items() if pk in wanted]


def linked_term_ids(pages, relations: Sequence[str]) -> dict[tuple[int, str], list[int]]:
    """Term ids linked to each page by each many-to-many relation, in ONE query for all of them.

    `pages` may mix page types; a relation a type does not have is skipped. Keys are
    (page id, relation name).
    """
    parts = [
        part
        for model in {type(page) for page in pages}
        for part in _link_parts(model, [page.pk for page in pages if type(page) is model], relations)
    ]
    return _by_page_and_relation(parts[0].union(*parts[1:], all=True) if parts else [])


def page_term_ids(page, relations: Sequence[str]) -> dict[tuple[int, str], list[int]]:
    """`linked_term_ids` for one stored page, with SQL compiled once per page type (a fiche's hot path)."""
    model = type(page)

    def build(page_id):
        parts = _link_parts(model, [page_id], relations)
        return parts[0].union(*parts[1:], all=True)

    query = prepared(("page-term-ids", model._meta.label, tuple(relations)), build)
    return _by_page_and_relation(query.rows(page.pk))


def _link_parts(model, ids: list, relations: Sequence[str]) -> list:
    """One `(page id, relation, term id)` queryset per relation of `model` among `relations`."""
    fields = {field.name: field for field in model._meta.many_to_many}
    parts = []
    for field in (fields[relation] for relation in relations if relation in fields):
        through = field.remote_field.through
        # Tags (taggit) link through `content_object`; other relations name their own fields.
        page_field = field.m2m_field_name() if hasattr(field, "m2m_field_name") else "content_object"
        term_field = field.m2m_reverse_field_name()
        parts.append(
            through.objects.filter(**{f"{page_field}__in": ids})
            .annotate(relation=Value(field.name, output_field=CharField()))
            .values_list(f"{page_field}_id", "relation", f"{term_field}_id")
            .order_by()
        )
    return parts


def _by_page_and_relation(rows) -> dict[tuple[int, str], list[int]]:
    links: dict[tuple[int, str], list[int]] = {}
    for page_id, relation, term_id in rows:
        links.setdefault((page_id, relation), []).append(term_id)
    return links

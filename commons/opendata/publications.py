"""The latest publications of public fiches, for the Atom feeds: three queries whatever the size
of the commons and of its history.

A publication is Wagtail's log entry of a published revision, as in the public history
(`commons.history.versions`): only live public fiches of a registered type count, and a revision
overwritten after it was published (its content is no longer what the public saw) is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import F, Q
from django.db.models.fields.json import KeyTextTransform

from wagtail.models import PageLogEntry

from commons import fiche_types
from commons.history import associations_by_author, version_url
from commons.history.versions import PUBLISH_ACTIONS
from commons.opendata.records import capitalized
from commons.speed.visibility import page_url, pages
from commons.speed.vocabulary import in_order, linked_term_ids, vocabulary

FEED_SIZE = 50


@dataclass(frozen=True)
class Publication:
    """One published version of a fiche, as a feed entry shows it."""

    number: int  # the log entry's id: two publications of one revision are two entries
    title: str
    url: str  # the fiche
    version_url: str  # `<fiche>/historique/<n>/`
    published_at: datetime
    change_note: str
    kind_label: str  # "Méthode"
    associations: tuple  # the fiche's partners, then its author's associations


def latest_publications(question=None, limit: int = FEED_SIZE) -> list[Publication]:
    """The `limit` latest publications, newest first; only of fiches answering `question` if given."""
    rows = list(publication_rows(question)[:limit])
    authors = associations_by_author(row["revision__user_id"] for row in rows)
    partners = fiche_partner_ids(rows)
    known = vocabulary().associations
    return [
        Publication(
            number=row["pk"],
            title=row["page__title"],
            url=(url := page_url(row["page__url_path"]) or ""),
            version_url=version_url(model_of(row)(pk=row["page_id"]), row["revision_id"], url),
            published_at=row["timestamp"],
            change_note=(row["change_note"] or "").strip(),
            kind_label=capitalized(model_of(row)._meta.verbose_name),
            associations=unique_associations(
                in_order(known, partners.get((row["page_id"], "associations"), [])),
                authors.get(row["revision__user_id"], []),
            ),
        )
        for row in rows
    ]


def publication_rows(question=None):
    """Publication log entries of live public fiches, newest first, with what an entry shows."""
    content_types = ContentType.objects.get_for_models(*fiche_types.fiche_models()).values()
    public = pages().live_public().filter(content_type__in=[ct.pk for ct in content_types])
    entries = PageLogEntry.objects.filter(
        action__in=PUBLISH_ACTIONS,
        page_id__in=public.values("pk"),
        revision__isnull=False,
        revision__created_at__lte=F("timestamp"),
    )
    if question is not None:
        entries = entries.filter(answering(question))
    return entries.order_by("-timestamp", "-pk").values(
        "pk",
        "page_id",
        "revision_id",
        "timestamp",
        "revision__user_id",
        "page__title",
        "page__url_path",
        "page__content_type_id",
        change_note=KeyTextTransform("change_note", "revision__content"),
    )


def answering(question) -> Q:
    """Log entries of the fiches, of any type, that answer `question` (one subquery per type)."""
    condition = Q(pk__in=[])
    for model in fiche_types.fiche_models():
        field = model._meta.get_field("questions")
        through = field.remote_field.through
        page_ids = through.objects.filter(**{field.m2m_reverse_field_name(): question.pk})
        condition |= Q(page_id__in=page_ids.values(f"{field.m2m_field_name()}_id"))
    return condition


def fiche_partner_ids(rows) -> dict:
    """The `associations` of the fiches of these entries, in one query (`linked_term_ids`)."""
    fiches = {row["page_id"]: model_of(row)(pk=row["page_id"]) for row in rows}
    return linked_term_ids(list(fiches.values()), ["associations"]) if fiches else {}


def model_of(row):
    return ContentType.objects.get_for_id(row["page__content_type_id"]).model_class()


def unique_associations(*groups) -> tuple:
    unique = {}
    for group in groups:
        for association in group:
            unique.setdefault(association.pk, association)
    return tuple(unique.values())

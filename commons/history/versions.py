"""Published versions of a fiche: which revisions count, who wrote them, in a fixed number of queries."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.db.models.fields.json import KT
from django.http import Http404

from wagtail.models import Page, PageLogEntry, Revision

from commons.models.association import Association
from commons.speed.prepared import prepared

PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")
# Revision primary keys are 32-bit integers: a larger number can only be a 404, and must not
# reach the database (PostgreSQL raises an error for out-of-range integers).
MAX_VERSION_NUMBER = 2**31 - 1


@dataclass(frozen=True)
class PublishedVersion:
    """A revision of a fiche that was published, when it was, and who wrote it."""

    revision: Revision
    published_at: datetime
    associations: tuple[Association, ...] = ()
    # Every published version of the page, newest first, read in the same query as this one: the
    # version page credits and links them without reading them again.
    history: Sequence[PublishedVersion] = dataclasses.field(default=(), repr=False, compare=False)

    @property
    def number(self) -> int:
        return self.revision.pk

    @property
    def author_id(self) -> int | None:
        return self.revision.user_id

    @property
    def change_note(self) -> str:
        """The "Résumé de la modification" saved with this revision."""
        return self.revision.change_note_text or ""

    @property
    def wiki_name(self) -> str:
        """The wiki this version was imported from ("" for a version written on the site)."""
        return getattr(self.revision, "wiki_name", None) or ""

    @property
    def wiki_author(self) -> str:
        """Its author's name on that wiki, credited as the licence asks ("" when anonymous)."""
        return getattr(self.revision, "wiki_author", None) or ""

    @property
    def tool_version(self) -> str:
        """The `version` field of a tool in this revision ("" for other fiches)."""
        return self.revision.tool_version or ""


# --- Published versions ---------------------------------------------------------------------


def _published_revisions_queryset(page):
    """Revisions of `page` that a publication log entry points to, newest publication first.

    `published_at` is the latest publication of each revision. A revision whose content was
    overwritten after it was published (Wagtail's autosave may overwrite the latest revision in
    place) is left out: its stored content is no longer what the public saw.
    """
    publications = PageLogEntry.objects.filter(
        page_id=page.pk, action__in=PUBLISH_ACTIONS, revision_id=OuterRef("pk")
    ).order_by("-timestamp")
    return (
        Revision.page_revisions.filter(object_id=str(page.pk))
        .annotate(published_at=Subquery(publications.values("timestamp")[:1]))
        .filter(published_at__isnull=False, created_at__lte=F("published_at"))
        .annotate(change_note_text=KT("content__change_note"), tool_version=KT("content__version"))
        # Set on revisions imported from a wiki (commons.mediawiki): the author's name there.
        .annotate(wiki_name=KT("content__mediawiki__site_name"), wiki_author=KT("content__mediawiki__author"))
        .order_by("-published_at", "-pk")
    )


def associations_by_author(user_ids: Iterable[int | None]) -> dict[int, list[Association]]:
    """The associations of each user, as `Association.objects.of_user` gives them, in one query.

    A user belongs to an association through its editors' group; the result keeps the
    associations' usual order (`sort_order`, then name).
    """
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    memberships = (
        get_user_model()
        .groups.through.objects.filter(user_id__in=ids, group__association__isnull=False)
        .select_related("group__association")
        .order_by("group__association__sort_order", "group__association__name", "group__association__pk")
    )
    by_user: dict[int, list[Association]] = defaultdict(list)
    for membership in memberships:
        by_user[membership.user_id].append(membership.group.association)
    return dict(by_user)


def _versions(revisions: Sequence[Revision]) -> list[PublishedVersion]:
    associations = associations_by_author(revision.user_id for revision in revisions)
    versions: list[PublishedVersion] = []
    versions.extend(
        PublishedVersion(
            revision=revision,
            published_at=revision.published_at,
            associations=tuple(associations.get(revision.user_id, ())),
            history=versions,
        )
        for revision in revisions
    )
    return versions


def published_revisions(page) -> list[PublishedVersion]:
    """Every published version of `page`, newest first (two queries, whatever their number).

    The revisions' content is not loaded: the list only needs the change note and the tool
    version, read from the JSON by the database.
    """
    if page.pk is None:
        return []
    query = prepared(
        ("published-revisions",),
        lambda page_id: _published_revisions_queryset(Page(pk=page_id)).defer("content"),
    )
    return _versions(query.objects(page.pk))


def published_revisions_or_404(page, numbers: Sequence[int]) -> list[PublishedVersion]:
    """The published versions `numbers` of `page`, in that order, with their content (two queries).

    Every other published version is read in the same query, without its content, as the
    versions' `history`. Drafts, revisions in review or rejected, revisions of another page and
    numbers that do not exist are all "not found", so that nothing tells them apart.
    """
    if page.pk is None or not all(0 < number <= MAX_VERSION_NUMBER for number in numbers):
        raise Http404
    wanted = set(numbers)
    revisions = list(
        _published_revisions_queryset(page)
        .defer("content")
        .annotate(
            wanted_content=Case(
                When(pk__in=wanted, then=F("content")), default=Value(None), output_field=models.JSONField()
            )
        )
    )
    for revision in revisions:
        if revision.pk in wanted:
            revision.content = revision.wanted_content
    found = {version.number: version for version in _versions(revisions)}
    if not wanted <= found.keys():
        raise Http404
    return [found[number] for number in numbers]


def published_revision_or_404(page, number: int) -> PublishedVersion:
    """The published version `number` of `page`, with its content; 404 for anything else."""
    return published_revisions_or_404(page, [number])[0]


def versions_up_to(versions: Sequence[PublishedVersion], version: PublishedVersion | None):
    """The versions published up to `version` included (all of them when it is None)."""
    if version is None:
        return list(versions)
    for index, candidate in enumerate(versions):
        if candidate.number == version.number:
            return list(versions[index:])
    return [version]


def contributor_associations(
    page, versions: Sequence[PublishedVersion] | None = None, own: Sequence[Association] | None = None
) -> list[Association]:
    """Who to credit: the fiche's `associations` plus those of the authors of its published versions.

    Deduplicated and in the associations' usual order, so the credit line is stable. `versions`
    defaults to every published version of the page; `own` to the page's `associations` field.
    """
    if versions is None:
        versions = published_revisions(page)
    own = page.associations.all() if own is None else own
    unique = {association.pk: association for association in own}
    for version in versions:
        for association in version.associations:
            unique.setdefault(association.pk, association)
    return sorted(unique.values(), key=lambda a: (a.sort_order, a.name.casefold(), a.pk))


def wiki_authors(versions: Sequence[PublishedVersion]) -> list[str]:
    """The wiki names of the authors of imported versions, oldest contribution first."""
    names = (version.wiki_author for version in reversed(versions) if version.wiki_author)
    return list(dict.fromkeys(names))


def ordered_pair(first: PublishedVersion, second: PublishedVersion):
    """The two versions as (older, newer), whatever order the URL gave them in."""
    return tuple(sorted((first, second), key=lambda v: (v.published_at, v.number)))

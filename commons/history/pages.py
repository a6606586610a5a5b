"""The public history pages of a fiche: their addresses and contexts, and "Comment citer"."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from commons.history.diff import field_changes, has_field
from commons.history.restore import restore_versions
from commons.history.versions import (
    PublishedVersion,
    contributor_associations,
    ordered_pair,
    published_revisions,
    published_revisions_or_404,
    versions_up_to,
    wiki_authors,
)


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the public history: a version, its address and the diff with the previous one."""

    version: PublishedVersion
    url: str
    diff_url: str
    is_current: bool


# --- Addresses and page contexts -------------------------------------------------------------


def history_url(page, base: str | None = None) -> str:
    """`<fiche>/historique/`; `base` is the fiche's URL when the caller already has it."""
    base = page.url if base is None else base
    return base + page.reverse_subpage("history") if base else ""


def version_url(page, number: int, base: str | None = None) -> str:
    """`<fiche>/historique/<n>/`, the permalink of version n."""
    base = page.url if base is None else base
    return base + page.reverse_subpage("history_version", args=[number]) if base else ""


def diff_url(page, older: int, newer: int, base: str | None = None) -> str:
    """`<fiche>/historique/<a>/<b>/`."""
    base = page.url if base is None else base
    return base + page.reverse_subpage("history_diff", args=[older, newer]) if base else ""


def history_entries(page, versions: Sequence[PublishedVersion]) -> list[HistoryEntry]:
    """The history list: each version with its address and the diff with the one before it."""
    base = page.url
    entries = []
    for index, version in enumerate(versions):
        older = versions[index + 1] if index + 1 < len(versions) else None
        entries.append(
            HistoryEntry(
                version=version,
                url=version_url(page, version.number, base),
                diff_url=diff_url(page, older.number, version.number, base) if older else "",
                is_current=version.number == page.live_revision_id,
            )
        )
    return entries


def history_page_context(page, request) -> dict:
    """`<fiche>/historique/`: the published versions, newest first."""
    return {
        "page": page,
        "self": page,
        "request": request,
        "entries": history_entries(page, published_revisions(page)),
        "show_tool_version": has_field(type(page), "version"),
        "history_url": history_url(page),
    }


def diff_page_context(page, request, first: int, second: int) -> dict:
    """`<fiche>/historique/<a>/<b>/`: what changed from the older of two versions to the newer."""
    older, newer = ordered_pair(*published_revisions_or_404(page, [first, second]))
    same = older.number == newer.number
    changes = [] if same else field_changes(*restore_versions(page, [older, newer]))
    return {
        "page": page,
        "self": page,
        "request": request,
        "older": older,
        "newer": newer,
        "versions": [
            (_("Version la plus ancienne"), older, version_url(page, older.number)),
            (_("Version la plus récente"), newer, version_url(page, newer.number)),
        ],
        "changes": changes,
        "show_tool_version": has_field(type(page), "version"),
        "history_url": history_url(page),
    }


def citation_context(
    page, request, shown_version: PublishedVersion | None = None, associations: Sequence | None = None
) -> dict:
    """What the contributors list and "Comment citer" need for the version shown.

    On the fiche itself the version shown is the live one, dated by its last publication; on
    `historique/<n>/` it is version n. Contributors are those of the versions up to the shown one.
    The versions are read once: on `historique/<n>/` they came with version n.
    """
    if shown_version is not None and shown_version.history:
        versions = list(shown_version.history)
    else:
        versions = published_revisions(page)
    if getattr(request, "is_preview", False):
        cited, cite_date = None, page.last_published_at or page.latest_revision_created_at
    elif shown_version is None:
        cited = next((v for v in versions if v.number == page.live_revision_id), None)
        cite_date = page.last_published_at or page.latest_revision_created_at
    else:
        cited, cite_date = shown_version, shown_version.published_at
    base = page.url
    permalink = version_url(page, cited.number, base) if cited else ""
    live = next((v for v in versions if v.number == page.live_revision_id), None)
    compare_with_live = shown_version is not None and live is not None and live.number != shown_version.number
    credited = versions_up_to(versions, cited)
    return {
        "contributors": contributor_associations(page, credited, associations),
        "wiki_authors": wiki_authors(credited),
        "cited_version": cited,
        "cite_date": cite_date,
        "permalink": request.build_absolute_uri(permalink) if permalink else "",
        "history_url": history_url(page, base),
        "diff_with_live_url": diff_url(page, shown_version.number, live.number, base)
        if compare_with_live
        else "",
    }

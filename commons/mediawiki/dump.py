"""Reading a MediaWiki XML export (Special:Export, full history) with mwxml, and checking it.

The whole file is read and checked before anything is written: malformed XML, a page without
revisions, a revision without text or date, the same revision twice are problems (file, page,
message in French), raised together as `CommonsFilesInvalid`.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import mwxml

from commons.exchange.checks import CommonsFilesInvalid, Problem, first_line

ARTICLE_NAMESPACE = 0


@dataclass(frozen=True)
class WikiRevision:
    id: int
    timestamp: datetime
    author: str  # "" for an anonymous edit (its IP address is not kept)
    comment: str
    text: str


@dataclass
class WikiPage:
    id: int
    title: str
    revisions: list[WikiRevision] = field(default_factory=list)  # oldest first


@dataclass
class WikiDump:
    site_name: str
    site_key: str  # the wiki's database name or address: imported revisions remember it
    pages: list[WikiPage]
    skipped: list[str] = field(default_factory=list)  # pages of other namespaces


def read_wiki_dump(path: Path) -> WikiDump:
    """The articles of the dump, each with its revisions in order; every problem at once."""
    name = Path(path).name
    problems: list[Problem] = []
    try:
        with open(path, "rb") as handle:
            dump = _read(handle, name, problems)
    except OSError as error:
        raise CommonsFilesInvalid([Problem(name, "", f"lecture impossible : {first_line(error)}")]) from error
    except Exception as error:  # noqa: BLE001 — mwxml and expat raise many kinds of errors
        problems.append(Problem(name, "", f"export XML illisible : {first_line(error)}"))
        dump = None
    if not problems and dump is not None and not dump.pages:
        problems.append(Problem(name, "", "aucune page à importer"))
    if problems:
        raise CommonsFilesInvalid(problems)
    return dump


def _read(handle, name: str, problems: list[Problem]) -> WikiDump:
    dump = mwxml.Dump.from_file(handle)
    info = dump.site_info
    site_name = (info.name or "").strip() or "wiki"
    site_key = (info.dbname or "").strip() or (info.base or "").strip() or site_name
    pages, skipped = [], []
    for page in dump:
        if page.namespace != ARTICLE_NAMESPACE:
            revisions = list(page)  # read to the end of the page all the same
            skipped.append(f"{page.title} (espace de noms {page.namespace}, {len(revisions)} révision(s))")
            continue
        pages.append(_read_page(page, name, problems))
    seen: dict[int, str] = {}
    for page in pages:
        for revision in page.revisions:
            if revision.id in seen:
                problems.append(Problem(name, page.title, f"révision {revision.id} en double"))
            seen[revision.id] = page.title
    return WikiDump(site_name=site_name, site_key=site_key, pages=pages, skipped=skipped)


def _read_page(page, name: str, problems: list[Problem]) -> WikiPage:
    title = (page.title or "").strip()
    where = title or f"page {page.id}"
    if not title:
        problems.append(Problem(name, where, "page sans titre"))
    revisions = []
    for revision in page:
        label = f"{where} — révision {revision.id}"
        if revision.timestamp is None:
            problems.append(Problem(name, label, "révision sans date"))
        if not (revision.text or "").strip():
            problems.append(Problem(name, label, "révision sans texte"))
        if revision.timestamp is None or not (revision.text or "").strip():
            continue
        revisions.append(
            WikiRevision(
                id=int(revision.id),
                timestamp=datetime.fromtimestamp(revision.timestamp.unix(), tz=UTC),
                author=_author(revision.user),
                comment=" ".join((revision.comment or "").split()),
                text=revision.text,
            )
        )
    if not revisions and not any(p.field.startswith(where) for p in problems):
        problems.append(Problem(name, where, "page sans révision"))
    revisions.sort(key=lambda r: (r.timestamp, r.id))
    return WikiPage(id=int(page.id), title=title, revisions=revisions)


def _author(user) -> str:
    """The wiki name of a registered author; "" for an IP address or a hidden name."""
    name = (getattr(user, "text", None) or "").strip()
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return name
    return ""

"""What a fiche file holds: the fields every type shares and how a type declares its own.

A type's fields (`ExchangeFields`, registered with it in `commons.fiche_types`) are plain values
with their defaults, lists of slugs naming other things (terms, associations, other fiches), and
"extras" — fields of their own shape, such as a tool's files or the methods used on a territory,
each knowing how to validate itself, read itself from a file or a page, and set itself on a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class FicheFile:
    """One fiche file as read from the exchange directory (front matter and Markdown body)."""

    kind: str  # a registered fiche kind: "methods", "tools", "territories"…
    slug: str
    path: Path
    meta: dict
    body: str

    @property
    def name(self) -> str:
        """The file as problems name it: `methods/forum-ouvert.md`."""
        return f"{self.kind}/{self.path.name}"


@dataclass(frozen=True)
class Extra:
    """A field of its own shape (a tool's files, a territory's method uses).

    `validate(fiche, known, problems)` checks it in the file, `desired(fiche)` gives its state from
    the file and `current(page)` from a page, in the same shape, and `assign(page, state)` sets it;
    `export(page, attachments)` writes it back as the file holds it (`commons.exchange.writing`).
    """

    key: str  # its name in the front matter
    validate: Callable
    desired: Callable
    current: Callable
    assign: Callable
    references: str = ""  # the fiche kind it names, loaded before this one
    export: Callable | None = None
    prefetch: tuple[str, ...] = ()  # what `export` reads, prefetched when many pages are written


@dataclass(frozen=True)
class ExchangeFields:
    """The fields of one type besides the shared ones (`SHARED`)."""

    scalars: dict[str, object] = field(default_factory=dict)  # name -> value when the file has none
    relations: dict[str, str] = field(default_factory=dict)  # name -> the kind of what it names
    validate: Callable | None = None  # (meta, file name, problems): checks of the scalars
    extras: tuple[Extra, ...] = ()

    def keys(self) -> set[str]:
        return {*self.scalars, *self.relations, *(extra.key for extra in self.extras)}

    def references(self) -> set[str]:
        """The kinds of fiches this type names: they are loaded first."""
        return {*self.relations.values(), *(extra.references for extra in self.extras if extra.references)}


# Fields every fiche has; "tags" are free words, the relations name taxonomy terms and partners.
SHARED = ExchangeFields(
    scalars={"title": "", "summary": "", "license": "CC-BY-SA-4.0", "credits": ""},
    relations={
        "questions": "questions",
        "defis": "defis",
        "themes": "themes",
        "associations": "associations",
    },
)
SHARED_KEYS = SHARED.keys() | {"tags"}
# What `fiche.md` adds for its reader (address, version, contributors): accepted and ignored on import.
PROVENANCE_KEYS = ("url", "revision", "version_date", "contributors", "license_url")

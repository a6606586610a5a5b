"""Writing the exchange format: the inverse of `reading`, for `fiche.md` and `export_commons`.

A fiche file holds the fields every fiche shares, then its type's own (`ExchangeFields`), each read
from the live page in the same shape the reader expects, so that importing an export and exporting
again gives the same bytes. Empty values are left out, as in `fixtures/`. `fiche.md` adds what a
reader of one fiche needs to reuse it (address, version, contributors): `PROVENANCE_KEYS`, which the
reader accepts and ignores.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify

import yaml

from commons import fiche_types
from commons.exchange.fields import SHARED
from commons.models.association import Association
from commons.models.taxonomy import Defi, Phase, Question, Theme

FILES_FOLDER = "files"  # a type's attached files, next to its fiche files


WORD_LENGTH = 60  # lists of slugs and tags on one line, lists of sentences one item a line


class _Dumper(yaml.SafeDumper):
    """Block lists of mappings, flow lists of words, multi-line texts as `|` blocks."""


def _represent_text(dumper, value: str):
    # Digits are quoted: "01209" must stay a text for YAML 1.2 readers too (an INSEE code).
    style = "|" if "\n" in value else '"' if value.isdigit() else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_decimal(dumper, value: Decimal):
    return dumper.represent_float(float(value))


def _represent_list(dumper, value: list):
    words = all(isinstance(item, str | int) and len(str(item)) <= WORD_LENGTH for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=words)


_Dumper.add_representer(str, _represent_text)
_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(list, _represent_list)


def dump_yaml(data) -> str:
    """YAML as `fixtures/` is written: one line per value (no folding), blocks for the rest."""
    return yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False, width=10_000
    )


@dataclass
class ExportContext:
    """What writing several fiches shares: the files they name (`files/<name>`, to be written next
    to them) and the published fiches of each kind, the only ones a file may name (a draft's slug
    would be refused on import, and is nobody's business)."""

    files: dict[str, object] = field(default_factory=dict)  # relative name -> document
    _published: dict[str, set[str]] = field(default_factory=dict)

    def is_published(self, kind: str, slug: str) -> bool:
        if kind not in self._published:
            model = fiche_types.fiche_type(kind).model
            self._published[kind] = set(model.objects.live_public().values_list("slug", flat=True))
        return slug in self._published[kind]

    def published_address(self, page) -> bool:
        """True for a published fiche of a registered kind (a roadmap or a project may name one)."""
        fiche_type = fiche_types.type_of_model(page.specific_class) if page is not None else None
        return fiche_type is not None and self.is_published(fiche_type.kind, page.slug)

    def add(self, document, stem: str) -> str:
        """The name the file gets in its type's folder: its title's slug, made unique."""
        suffix = Path(document.file.name).suffix.lower()
        base = slugify(stem)[:80] or "fichier"
        name, number = f"{FILES_FOLDER}/{base}{suffix}", 1
        while name in self.files and self.files[name].pk != document.pk:
            number += 1
            name = f"{FILES_FOLDER}/{base}-{number}{suffix}"
        self.files[name] = document
        return name


def prefetch_paths(fields) -> list[str]:
    """Everything writing a fiche of these fields reads, for `prefetch_related`: its queries
    then stay the same in number however many rows a relation or a list holds."""
    paths = [*SHARED.relations, "tags", *fields.relations]
    return paths + [path for extra in fields.extras for path in extra.prefetch]


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == ()


def fiche_meta(page, fields, context: ExportContext | None = None) -> dict:
    """The front matter of `page`: shared fields, then the type's, empty ones left out."""
    context = context if context is not None else ExportContext()
    meta = {}
    for key in ("title", "summary"):
        meta[key] = getattr(page, key).strip()
    for key in SHARED.relations:
        meta[key] = slugs(getattr(page, key).all())
    meta["tags"] = sorted({tag.name.lower() for tag in page.tags.all()})
    meta["license"] = page.license
    meta["credits"] = page.credits.strip()
    for key in fields.scalars:
        value = getattr(page, key)
        meta[key] = value.strip() if isinstance(value, str) else value
    for key, kind in fields.relations.items():
        # Other fiches by slug (their order in the tree is no one's choice); terms in display order.
        named = slugs(getattr(page, key).all())
        if kind in fiche_types.kinds():
            named = sorted(slug for slug in named if context.is_published(kind, slug))
        meta[key] = named
    for extra in fields.extras:
        meta[extra.key] = extra.export(page, context) if extra.export else None
    return {key: value for key, value in meta.items() if not is_empty(value)}


def slugs(objects) -> list[str]:
    """Slugs in the relation's own order (each taxonomy has a display order)."""
    return [item.slug for item in objects]


def fiche_text(meta: dict, body: str) -> str:
    return f"---\n{dump_yaml(meta)}---\n{body.strip()}\n"


def fiche_file(page, fields, provenance: dict | None = None, context=None) -> str:
    """The whole file of one fiche; `provenance` (see `PROVENANCE_KEYS`) goes first when given."""
    meta = {**(provenance or {}), **fiche_meta(page, fields, context)}
    return fiche_text(meta, page.body)


def taxonomy_data() -> dict:
    """`taxonomy.yaml`: every term in display order, themes with their children."""
    data = {}
    for kind, model in (("questions", Question), ("phases", Phase), ("defis", Defi)):
        data[kind] = [term_data(term, number=kind == "defis") for term in model.objects.all()]
    themes = list(Theme.objects.all())
    data["themes"] = [
        {
            **term_data(theme),
            "children": [term_data(child) for child in themes if child.parent_id == theme.pk],
        }
        for theme in themes
        if theme.parent_id is None
    ]
    for entry in data["themes"]:
        if not entry["children"]:
            del entry["children"]
    return data


def term_data(term, number: bool = False) -> dict:
    data = {"slug": term.slug, "name": term.name}
    if number and term.number is not None:
        data["number"] = term.number
    if term.description.strip():
        data["description"] = term.description.strip()
    return data


def associations_data() -> list[dict]:
    keys = ("name", "full_name", "description", "website", "departements")
    return [
        {"slug": association.slug}
        | {key: getattr(association, key).strip() for key in keys if getattr(association, key).strip()}
        for association in Association.objects.all()
    ]

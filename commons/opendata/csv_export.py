"""`/export/<type>.csv`: one row per published fiche of a type, for spreadsheets.

UTF-8 with a byte order mark (LibreOffice and Excel then read the accents right), commas, quoted
as the `csv` module does. Headers are in French; a choice shows its label, a list its names joined
with " ; ". The columns are the shared fields, then the type's own scalars and relations
(`commons.exchange.fields`), so a new type gets its CSV without code here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from commons import fiche_types
from commons.opendata.licensing import license_label, license_url
from commons.opendata.records import FicheRecord, capitalized, fiche_records, relation_kinds, scalar_names

BOM = "\ufeff"
LIST_SEPARATOR = " ; "
ROWS_PER_CHUNK = 200
# A cell starting with one of these is a formula for a spreadsheet: it is shown as text instead.
FORMULA_STARTS = ("=", "+", "@", "\t", "\r")
SHARED_HEADERS = {
    "slug": "Identifiant",
    "title": "Titre",
    "summary": "En bref",
    "url": "Adresse",
    "license": "Licence",
    "license_url": "Texte de la licence",
    "credits": "Crédits",
    "first_published_at": "Première publication",
    "last_published_at": "Dernière publication",
    "questions": "Questions",
    "defis": "Défis",
    "themes": "Thèmes",
    "associations": "Associations contributrices",
    "tags": "Mots-clés",
}


class _Lines:
    """What `csv.writer` writes to: it hands each line back instead of storing it."""

    def write(self, line: str) -> str:
        return line


def fiches_csv_chunks(kind: str, base_url: str) -> Iterator[str]:
    """The CSV of the published fiches of `kind` as text chunks, the BOM first."""
    fiche_type = fiche_types.fiche_type(kind)
    columns = csv_columns(fiche_type)
    writer = csv.writer(_Lines())
    yield BOM + writer.writerow([header for _name, header in columns])
    lines = []
    for record in fiche_records(fiche_type, base_url):
        lines.append(writer.writerow(csv_row(record, columns)))
        if len(lines) >= ROWS_PER_CHUNK:
            yield "".join(lines)
            lines = []
    yield "".join(lines)


def csv_columns(fiche_type) -> list[tuple[str, str]]:
    """(field name, French header) of each column."""
    model = fiche_type.model
    own = [name for name in scalar_names(fiche_type) if name not in SHARED_HEADERS]
    own_relations = [name for name in relation_kinds(fiche_type) if name not in SHARED_HEADERS]
    shared = [(name, header) for name, header in SHARED_HEADERS.items() if not is_absent(model, name)]
    return shared + [(name, field_header(model, name)) for name in own + own_relations]


def is_absent(model, name: str) -> bool:
    """A shared relation the type's model does not have (the others are every fiche's)."""
    relations = {field.name for field in model._meta.many_to_many}
    return name in {"questions", "defis", "themes", "associations", "tags"} and name not in relations


def field_header(model, name: str) -> str:
    return capitalized(model._meta.get_field(name).verbose_name)


def csv_row(record: FicheRecord, columns: list[tuple[str, str]]) -> list[str]:
    return [as_text(cell_value(record, name)) for name, _header in columns]


def cell_value(record: FicheRecord, name: str):
    if name in record.terms:
        return LIST_SEPARATOR.join(term.name for term in record.terms[name])
    if name == "license":
        return license_label(record.values[name])
    if name == "license_url":
        return license_url(record.values["license"])
    if name in ("slug", "url", "first_published_at", "last_published_at"):
        return getattr(record, name)
    return choice_label(record, name)


def choice_label(record: FicheRecord, name: str):
    """The label of a choice ("Une demi-journée"), the stored value otherwise."""
    value = record.values[name]
    field = fiche_types.fiche_type(record.kind).model._meta.get_field(name)
    if field.choices and value not in (None, ""):
        return str(dict(field.flatchoices).get(value, value))
    return value


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    text = str(value) if not isinstance(value, Decimal) else format(value, "f")
    return "'" + text if text.startswith(FORMULA_STARTS) else text

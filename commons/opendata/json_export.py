"""`/export/commons.json`: every published fiche with its metadata, licence and addresses.

Written incrementally: the header (`{"name": …, "fiches": [`), then the fiches a batch at a time,
then `]}`. Keys are those of the exchange format (`fiche.md`); terms are named by their slugs,
tags by their words, as in a fiche file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from commons import fiche_types
from commons.opendata.licensing import ATTRIBUTION_NOTICE, SITE_NAME, license_entries, license_url
from commons.opendata.records import TAGS, FicheRecord, fiche_records, iso

FICHES_PER_CHUNK = 100  # fiches joined into one chunk of the response (some 100 KB)


def commons_json_chunks(base_url: str, last_published_at: datetime | None = None) -> Iterator[str]:
    """The whole export as text chunks; `base_url` ("https://host") makes the addresses absolute."""
    header = json.dumps(export_header(base_url, last_published_at), ensure_ascii=False, indent=1)
    yield header[: header.rindex("]")]  # `"fiches": [` left open
    batch: list[str] = []
    first = True
    for fiche_type in fiche_types.fiche_types():
        for record in fiche_records(fiche_type, base_url):
            batch.append(("\n" if first else ",\n") + json.dumps(record_json(record), ensure_ascii=False))
            first = False
            if len(batch) >= FICHES_PER_CHUNK:
                yield "".join(batch)
                batch = []
    yield "".join(batch) + "\n]\n}\n"


def export_header(base_url: str, last_published_at: datetime | None) -> dict:
    return {
        "name": SITE_NAME,
        "url": base_url + "/",
        "documentation": base_url + "/export/",
        "last_published_at": iso(last_published_at),
        "license_notice": ATTRIBUTION_NOTICE,
        "licenses": license_entries(),
        "fiches": [],
    }


def record_json(record: FicheRecord) -> dict:
    """A fiche as the export gives it: addresses, dates, licence, then its fields."""
    values = {name: plain(value) for name, value in record.values.items()}
    terms = {
        relation: [term.name if relation == TAGS else term.slug for term in terms]
        for relation, terms in record.terms.items()
    }
    return {
        "type": record.kind,
        "slug": record.slug,
        "title": values.pop("title"),
        "summary": values.pop("summary"),
        "url": record.url,
        "fiche_file_url": record.url + "fiche.md" if record.url else "",
        "history_url": record.url + "historique/" if record.url else "",
        "license": values["license"],
        "license_url": license_url(values.pop("license")),
        "first_published_at": iso(record.first_published_at),
        "last_published_at": iso(record.last_published_at),
        **values,
        **terms,
    }


def plain(value):
    """A stored value as JSON holds it: coordinates as numbers."""
    return float(value) if isinstance(value, Decimal) else value

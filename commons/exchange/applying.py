"""Writing a validated bundle: taxonomy, associations and fiches, in one transaction.

Only what changed is written and published: a run that finds nothing new changes nothing, and a
page edited in the admin since it was loaded is left alone unless `force` is given, so no editor's
work is lost.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify

from wagtail.documents import get_document_model

from commons import fiche_types
from commons.editing.site_tree import ensure_site_tree
from commons.exchange.sync import sync_fiche
from commons.models.association import Association
from commons.models.taxonomy import Defi, Phase, Question, Theme

TAXONOMY_MODELS = {"questions": Question, "phases": Phase, "defis": Defi, "themes": Theme}


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@transaction.atomic
def apply_commons(bundle, force: bool = False, change_note: str = "") -> Report:
    """Create or update everything in `bundle`; publish only what changed, each new revision
    carrying `change_note` (its public history says where the version came from)."""
    report = Report()
    home = ensure_site_tree()
    apply_taxonomy(bundle.taxonomy, report)
    apply_associations(bundle.associations, report)
    for fiche_type in in_load_order(fiche_types.fiche_types()):
        for fiche in bundle.fiches.get(fiche_type.kind, []):
            sync_fiche(home, fiche, fiche_type, report, force=force, change_note=change_note)
    for collection in fiche_types.collections():
        if collection.name in bundle.collections:
            collection.apply(bundle.collections[collection.name], report)
    return report


def in_load_order(types: list) -> list:
    """The types, each after the kinds of fiches it names (a method names its tools)."""
    ordered, pending = [], list(types)
    while pending:
        waiting = {fiche_type.kind for fiche_type in pending}
        ready = [t for t in pending if not (t.exchange.references() & waiting) - {t.kind}]
        for fiche_type in ready or pending[:1]:  # a circle of references: registration order
            ordered.append(fiche_type)
            pending.remove(fiche_type)
    return ordered


def upsert(model, slug: str, values: dict, report: Report, label: str):
    """Create or update one row by slug; record it only when something changed."""
    instance = model.objects.filter(slug=slug).first()
    if instance is None:
        instance = model.objects.create(slug=slug, **values)
        report.created.append(label)
        return instance
    changed = {key: value for key, value in values.items() if getattr(instance, key) != value}
    if changed:
        for key, value in changed.items():
            setattr(instance, key, value)
        instance.save(update_fields=list(changed))
        report.updated.append(label)
    return instance


def apply_taxonomy(taxonomy: dict, report: Report) -> None:
    for kind, model in TAXONOMY_MODELS.items():
        for order, entry in enumerate(taxonomy.get(kind, []), start=1):
            values = term_values(entry, order)
            if kind == "defis":
                values["number"] = entry.get("number")
            if kind == "themes":
                values["parent"] = None
            parent = upsert(model, entry["slug"], values, report, f"{kind}:{entry['slug']}")
            for child_order, child in enumerate(entry.get("children", []) if kind == "themes" else [], 1):
                child_values = {**term_values(child, child_order), "parent": parent}
                upsert(Theme, child["slug"], child_values, report, f"themes:{child['slug']}")


def term_values(entry: dict, order: int) -> dict:
    return {
        "name": str(entry["name"]).strip(),
        "description": str(entry.get("description") or "").strip(),
        "sort_order": order,
    }


def apply_associations(associations: list, report: Report) -> None:
    for order, entry in enumerate(associations, start=1):
        values = {
            "name": str(entry["name"]).strip(),
            "full_name": str(entry.get("full_name") or "").strip(),
            "description": str(entry.get("description") or "").strip(),
            "website": str(entry.get("website") or "").strip(),
            "departements": str(entry.get("departements") or "").strip(),
            "sort_order": order,
        }
        upsert(Association, entry["slug"], values, report, f"associations:{entry['slug']}")


def document_for(path: Path, title: str):
    """The Wagtail document holding this file's bytes, created once (found again by its hash)."""
    Document = get_document_model()
    content = path.read_bytes()
    file_hash = hashlib.sha1(content, usedforsecurity=False).hexdigest()
    existing = Document.objects.filter(file_hash=file_hash).first()
    if existing is not None:
        return existing
    document = Document(title=title or path.stem, file_hash=file_hash, file_size=len(content))
    document.file.save(
        f"{slugify(path.stem) or 'fichier'}{path.suffix.lower()}", ContentFile(content), save=False
    )
    document.save()
    return document

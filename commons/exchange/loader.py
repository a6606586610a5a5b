"""Load the commons from readable files (see fixtures/README.md for the format).

`read_commons` parses and validates every file and collects every problem with its file and field;
`apply_commons` then creates or updates the taxonomy, associations and pages in one transaction and
publishes what changed. A run that finds nothing new changes nothing, and a page edited in the
admin since it was loaded is left alone unless `force` is given, so no editor's work is lost.
"""

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.text import slugify

from wagtail.documents import get_document_model

import yaml

from commons.editing.site_tree import ensure_site_tree
from commons.models import Association, Defi, License, Phase, Question, Theme

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)\Z", re.DOTALL)
SLUG = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
TAXONOMY_KINDS = {"questions": Question, "phases": Phase, "defis": Defi, "themes": Theme}
COMMON_FIELDS = {
    "title",
    "summary",
    "questions",
    "defis",
    "themes",
    "tags",
    "associations",
    "license",
    "credits",
}
KIND_FIELDS = {
    "methods": {
        "phases", "audience", "group_size_min", "group_size_max", "duration", "duration_detail",
        "difficulty", "cost", "materials", "tools",
    },
    "tools": {"version", "changelog", "files"},
    "territories": {
        "kind", "insee_code", "departement", "region", "population", "population_year", "latitude",
        "longitude", "period", "accompanying_associations", "methods_used",
    },
}  # fmt: skip
MAX_SUMMARY = 300
MAX_SLUG = 100


@dataclass
class Problem:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file} — {self.field} : {self.message}" if self.field else f"{self.file} : {self.message}"
        )


class CommonsFilesInvalid(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problème(s) dans les fichiers du commun")


@dataclass
class Fiche:
    kind: str  # "methods", "tools" or "territories"
    slug: str
    path: Path
    meta: dict
    body: str


@dataclass
class Bundle:
    """Everything read from a fixtures directory, already validated."""

    directory: Path
    taxonomy: dict
    associations: list
    fiches: dict[str, list[Fiche]] = field(default_factory=dict)


@dataclass
class Report:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


# --- Reading and validating ------------------------------------------------------------------


def read_commons(directory: Path) -> Bundle:
    """Parse and validate every file; raise `CommonsFilesInvalid` listing every problem."""
    directory = Path(directory)
    problems: list[Problem] = []
    taxonomy = read_yaml(directory / "taxonomy.yaml", problems, expected=dict) or {}
    associations = read_yaml(directory / "associations.yaml", problems, expected=list) or []
    bundle = Bundle(directory=directory, taxonomy=taxonomy, associations=associations)
    known = {
        **validate_taxonomy(taxonomy, problems),
        "associations": validate_associations(associations, problems),
    }
    for kind in KIND_FIELDS:
        bundle.fiches[kind] = read_fiches(directory, kind, problems)
        known[kind] = {fiche.slug for fiche in bundle.fiches[kind]}
    for fiches in bundle.fiches.values():
        for fiche in fiches:
            validate_fiche(fiche, known, problems)
    if problems:
        raise CommonsFilesInvalid(problems)
    return bundle


def read_yaml(path: Path, problems: list[Problem], expected: type):
    if not path.is_file():
        problems.append(Problem(path.name, "", "fichier introuvable"))
        return None
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        problems.append(Problem(path.name, "", f"YAML illisible ({first_line(error)})"))
        return None
    if not isinstance(data, expected):
        kind = "une liste" if expected is list else "un dictionnaire"
        problems.append(Problem(path.name, "", f"le fichier doit contenir {kind}"))
        return None
    return data


def first_line(error: Exception) -> str:
    return " ".join(str(error).split())[:200]


def validate_terms(entries, file: str, kind: str, problems: list[Problem], seen: set[str]) -> None:
    if not isinstance(entries, list):
        problems.append(Problem(file, kind, "doit être une liste"))
        return
    for position, entry in enumerate(entries, start=1):
        where = f"{kind}[{position}]"
        if not isinstance(entry, dict):
            problems.append(Problem(file, where, "doit être un dictionnaire"))
            continue
        check_slug(entry.get("slug"), file, f"{where}.slug", problems, seen)
        check_text(entry, "name", file, where, problems, required=True, max_length=200)
        check_text(entry, "description", file, where, problems)
        if kind == "defis":
            check_integer(entry, "number", file, problems, minimum=1, maximum=999, where=where)
        if kind == "themes":
            validate_terms(entry.get("children", []), file, f"{where}.children", problems, seen)


def validate_taxonomy(taxonomy: dict, problems: list[Problem]) -> dict[str, set[str]]:
    known = {}
    for kind in TAXONOMY_KINDS:
        seen: set[str] = set()
        validate_terms(taxonomy.get(kind, []), "taxonomy.yaml", kind, problems, seen)
        known[kind] = seen
    return known


def validate_associations(associations: list, problems: list[Problem]) -> set[str]:
    seen: set[str] = set()
    for position, entry in enumerate(associations, start=1):
        where = f"[{position}]"
        if not isinstance(entry, dict):
            problems.append(Problem("associations.yaml", where, "doit être un dictionnaire"))
            continue
        check_slug(entry.get("slug"), "associations.yaml", f"{where}.slug", problems, seen)
        for name, required, length in [
            ("name", True, 200),
            ("full_name", False, 300),
            ("departements", False, 200),
        ]:
            check_text(
                entry, name, "associations.yaml", where, problems, required=required, max_length=length
            )
        check_text(entry, "description", "associations.yaml", where, problems)
        website = entry.get("website") or ""
        if website:
            try:
                URLValidator(schemes=["http", "https"])(str(website))
            except Exception:
                problems.append(Problem("associations.yaml", f"{where}.website", "adresse web invalide"))
    return seen


def read_fiches(directory: Path, kind: str, problems: list[Problem]) -> list[Fiche]:
    fiches = []
    for path in sorted((directory / kind).glob("*.md")):
        name = f"{kind}/{path.name}"
        if not SLUG.match(path.stem):
            problems.append(
                Problem(name, "", "le nom du fichier doit être un identifiant (a-z, 0-9, tirets)")
            )
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            problems.append(Problem(name, "", "le fichier n'est pas en UTF-8"))
            continue
        match = FRONT_MATTER.match(text)
        if not match:
            problems.append(Problem(name, "", "en-tête YAML manquant (entre deux lignes « --- »)"))
            continue
        try:
            meta = yaml.safe_load(match.group(1))
        except yaml.YAMLError as error:
            problems.append(Problem(name, "", f"en-tête YAML illisible ({first_line(error)})"))
            continue
        if not isinstance(meta, dict):
            problems.append(Problem(name, "", "l'en-tête YAML doit être un dictionnaire"))
            continue
        fiches.append(
            Fiche(kind=kind, slug=path.stem, path=path, meta=meta, body=match.group(2).strip() + "\n")
        )
    return fiches


def validate_fiche(fiche: Fiche, known: dict[str, set[str]], problems: list[Problem]) -> None:
    from methods.models import MethodPage
    from territories.models import TerritoryPage

    name, meta = f"{fiche.kind}/{fiche.path.name}", fiche.meta
    for unknown in sorted(set(meta) - COMMON_FIELDS - KIND_FIELDS[fiche.kind], key=str):
        problems.append(Problem(name, str(unknown), "champ inconnu"))
    check_text(meta, "title", name, "", problems, required=True, max_length=255)
    check_text(meta, "summary", name, "", problems, required=True, max_length=MAX_SUMMARY)
    check_text(meta, "credits", name, "", problems)
    check_choice(meta, "license", License.values, name, problems)
    for field_name, kind in [("questions", "questions"), ("defis", "defis"), ("themes", "themes"),
                             ("associations", "associations")]:  # fmt: skip
        check_references(meta, field_name, known[kind], name, problems)
    check_string_list(meta, "tags", name, problems)
    if fiche.kind == "methods":
        check_references(meta, "phases", known["phases"], name, problems)
        check_references(meta, "tools", known["tools"], name, problems)
        check_choice(meta, "audience", MethodPage.Audience.values, name, problems)
        check_choice(meta, "duration", MethodPage.Duration.values, name, problems)
        check_choice(meta, "difficulty", MethodPage.Difficulty.values, name, problems)
        check_choice(meta, "cost", MethodPage.Cost.values, name, problems)
        check_text(meta, "duration_detail", name, "", problems, max_length=200)
        check_text(meta, "materials", name, "", problems)
        for size in ("group_size_min", "group_size_max"):
            check_integer(meta, size, name, problems, minimum=1, maximum=1_000_000)
        low, high = meta.get("group_size_min"), meta.get("group_size_max")
        if is_int(low) and is_int(high) and low > high:
            problems.append(Problem(name, "group_size_min", "doit être inférieur ou égal à group_size_max"))
    elif fiche.kind == "tools":
        check_text(meta, "version", name, "", problems, max_length=20)
        check_text(meta, "changelog", name, "", problems)
        validate_tool_files(fiche, name, problems)
    else:
        check_choice(meta, "kind", TerritoryPage.Kind.values, name, problems)
        for text_field, length in [
            ("insee_code", 12),
            ("departement", 100),
            ("region", 100),
            ("period", 100),
        ]:
            check_text(meta, text_field, name, "", problems, max_length=length)
        check_integer(meta, "population", name, problems, minimum=0, maximum=100_000_000)
        check_integer(meta, "population_year", name, problems, minimum=1800, maximum=2100)
        check_coordinate(meta, "latitude", 90, name, problems)
        check_coordinate(meta, "longitude", 180, name, problems)
        check_references(meta, "accompanying_associations", known["associations"], name, problems)
        validate_method_uses(meta, known["methods"], name, problems)


def validate_tool_files(fiche: Fiche, name: str, problems: list[Problem]) -> None:
    files = fiche.meta.get("files") or []
    if not isinstance(files, list):
        problems.append(Problem(name, "files", "doit être une liste"))
        return
    base = fiche.path.parent.resolve()
    for position, entry in enumerate(files, start=1):
        where = f"files[{position}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            problems.append(Problem(name, where, "chaque fichier doit avoir un chemin « path »"))
            continue
        check_text(entry, "title", name, where, problems, max_length=200)
        target = (base / entry["path"]).resolve()
        if not target.is_relative_to(base) or not target.is_file():
            problems.append(Problem(name, f"{where}.path", f"fichier introuvable : {entry['path']}"))


def validate_method_uses(meta: dict, methods: set[str], name: str, problems: list[Problem]) -> None:
    uses = meta.get("methods_used") or []
    if not isinstance(uses, list):
        problems.append(Problem(name, "methods_used", "doit être une liste"))
        return
    for position, entry in enumerate(uses, start=1):
        where = f"methods_used[{position}]"
        if not isinstance(entry, dict):
            problems.append(Problem(name, where, "doit contenir « method » et « how_it_went »"))
            continue
        method = entry.get("method")
        if not isinstance(method, str) or method not in methods:
            problems.append(Problem(name, f"{where}.method", f"méthode inconnue : {entry.get('method')}"))
        check_text(entry, "how_it_went", name, where, problems)


def check_slug(value, file: str, where: str, problems: list[Problem], seen: set[str]) -> None:
    if not isinstance(value, str) or not SLUG.match(value) or len(value) > MAX_SLUG:
        problems.append(
            Problem(
                file,
                where,
                f"identifiant manquant ou invalide (a-z, 0-9, tirets, {MAX_SLUG} caractères au plus)",
            )
        )
    elif value in seen:
        problems.append(Problem(file, where, f"identifiant en double : {value}"))
    else:
        seen.add(value)


def check_text(data: dict, key: str, file: str, where: str, problems, required=False, max_length=None):
    value = data.get(key)
    label = f"{where}.{key}" if where else key
    if value is None or value == "":
        if required:
            problems.append(Problem(file, label, "champ obligatoire"))
        return
    if not isinstance(value, str | int | float):
        problems.append(Problem(file, label, "doit être un texte"))
    elif max_length and len(str(value)) > max_length:
        problems.append(Problem(file, label, f"{len(str(value))} caractères, {max_length} au plus"))


def check_choice(meta: dict, key: str, allowed, file: str, problems: list[Problem]) -> None:
    value = meta.get(key)
    if value not in (None, "") and value not in allowed:
        problems.append(
            Problem(file, key, f"valeur « {value} » inconnue ; valeurs possibles : {', '.join(allowed)}")
        )


def check_references(meta: dict, key: str, known: set[str], file: str, problems: list[Problem]) -> None:
    values = meta.get(key) or []
    if not isinstance(values, list):
        problems.append(Problem(file, key, "doit être une liste"))
        return
    for value in values:
        if not isinstance(value, str) or value not in known:
            problems.append(Problem(file, key, f"référence inconnue : {value}"))


def check_string_list(meta: dict, key: str, file: str, problems: list[Problem]) -> None:
    values = meta.get(key) or []
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        problems.append(Problem(file, key, "doit être une liste de textes"))
    elif any(len(v) > 100 for v in values):
        problems.append(Problem(file, key, "un mot-clé fait plus de 100 caractères"))


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_integer(
    meta: dict, key: str, file: str, problems, minimum: int, maximum: int, where: str = ""
) -> None:
    value = meta.get(key)
    if value is None:
        return
    if not is_int(value) or not minimum <= value <= maximum:
        label = f"{where}.{key}" if where else key
        problems.append(Problem(file, label, f"doit être un nombre entier entre {minimum} et {maximum}"))


def check_coordinate(meta: dict, key: str, limit: int, file: str, problems: list[Problem]) -> None:
    value = meta.get(key)
    if value is None:
        return
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or isinstance(value, bool) or not number.is_finite() or not -limit <= number <= limit:
        problems.append(Problem(file, key, f"doit être un nombre entre -{limit} et {limit}"))


# --- Applying --------------------------------------------------------------------------------


@transaction.atomic
def apply_commons(bundle: Bundle, force: bool = False) -> Report:
    """Create or update everything in `bundle`; publish only what changed."""
    report = Report()
    home = ensure_site_tree()
    apply_taxonomy(bundle.taxonomy, report)
    apply_associations(bundle.associations, report)
    from commons.exchange.sync import sync_fiche

    for kind in ("tools", "methods", "territories"):
        for fiche in bundle.fiches[kind]:
            sync_fiche(home, fiche, bundle.directory, report, force=force)
    return report


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
    for kind, model in TAXONOMY_KINDS.items():
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

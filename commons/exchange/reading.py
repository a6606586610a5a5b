"""Reading an exchange directory: every file parsed and validated before anything is written.

`read_commons` collects every problem with its file and field and raises `CommonsFilesInvalid`
listing them all, so one run shows everything to fix. A fiche's fields are those every fiche
shares (`fields.SHARED`) and those its type registered (`commons.fiche_types`).
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.validators import URLValidator

import yaml

from commons import fiche_types
from commons.exchange.checks import (
    CommonsFilesInvalid,
    Problem,
    check_choice,
    check_integer,
    check_references,
    check_slug,
    check_string_list,
    check_text,
    first_line,
)
from commons.exchange.fields import PROVENANCE_KEYS, SHARED, SHARED_KEYS, FicheFile
from commons.models.fiche import License

CHECKSUMS = "SHA256SUMS"  # `sha256sum -c SHA256SUMS` checks an export by hand

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)(.*)\Z", re.DOTALL)
SLUG = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
TAXONOMY_KINDS = ("questions", "phases", "defis", "themes")
MAX_SUMMARY = 300


@dataclass
class Bundle:
    """Everything read from an exchange directory, already validated."""

    directory: Path
    taxonomy: dict
    associations: list
    fiches: dict[str, list[FicheFile]] = field(default_factory=dict)
    collections: dict[str, list] = field(default_factory=dict)  # registered by apps, by name


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
    for fiche_type in fiche_types.fiche_types():
        bundle.fiches[fiche_type.kind] = read_fiches(directory, fiche_type.kind, problems)
        # A file that cannot be read is one problem, not one more for each file that names it.
        known[fiche_type.kind] = {fiche.slug for fiche in bundle.fiches[fiche_type.kind]} | {
            path.stem for path in (directory / fiche_type.kind).glob("*.md") if SLUG.match(path.stem)
        }
    for kind, fiches in bundle.fiches.items():
        for fiche in fiches:
            validate_fiche(fiche, fiche_types.fiche_type(kind).exchange, known, problems)
    read_collections(bundle, known, problems)
    check_checksums(directory, problems)
    if problems:
        raise CommonsFilesInvalid(problems)
    return bundle


def sha256_of(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_collections(bundle: Bundle, known: dict, problems: list[Problem]) -> None:
    """The apps' own files (`fiche_types.register_collection`); each is optional."""
    for collection in fiche_types.collections():
        path = bundle.directory / f"{collection.name}.yaml"
        if path.is_file():
            entries = read_yaml(path, problems, expected=list) or []
            collection.validate(entries, known, path.name, problems)
            bundle.collections[collection.name] = entries


def check_checksums(directory: Path, problems: list[Problem]) -> None:
    """When the directory has `SHA256SUMS` (an export does), every file it lists must match."""
    manifest = directory / CHECKSUMS
    if not manifest.is_file():
        return
    try:
        lines = manifest.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        problems.append(Problem(CHECKSUMS, "", "le fichier n'est pas en UTF-8"))
        return
    root = directory.resolve()
    for number, line in enumerate(lines, start=1):
        digest, _spaces, relative = line.partition("  ")
        path = (directory / relative).resolve()
        if not relative or not path.is_relative_to(root):
            problems.append(Problem(CHECKSUMS, f"ligne {number}", "ligne illisible"))
        elif not path.is_file():
            problems.append(Problem(CHECKSUMS, relative, "fichier manquant"))
        elif sha256_of(path.read_bytes()) != digest.strip().lower():
            problems.append(Problem(CHECKSUMS, relative, "somme de contrôle différente (fichier modifié ?)"))


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


def read_fiches(directory: Path, kind: str, problems: list[Problem]) -> list[FicheFile]:
    fiches = []
    for path in sorted((directory / kind).glob("*.md")):
        fiche = read_fiche(path, kind, problems)
        if fiche is not None:
            fiches.append(fiche)
    return fiches


def read_fiche(path: Path, kind: str, problems: list[Problem]) -> FicheFile | None:
    """One fiche file, or None with a problem when it cannot be read."""
    name = f"{kind}/{path.name}"
    if not SLUG.match(path.stem):
        problems.append(Problem(name, "", "le nom du fichier doit être un identifiant (a-z, 0-9, tirets)"))
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(name, "", "le fichier n'est pas en UTF-8"))
        return None
    match = FRONT_MATTER.match(text)
    if not match:
        problems.append(Problem(name, "", "en-tête YAML manquant (entre deux lignes « --- »)"))
        return None
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        problems.append(Problem(name, "", f"en-tête YAML illisible ({first_line(error)})"))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(name, "", "l'en-tête YAML doit être un dictionnaire"))
        return None
    return FicheFile(kind=kind, slug=path.stem, path=path, meta=meta, body=match.group(2).strip() + "\n")


def validate_fiche(fiche: FicheFile, fields, known: dict[str, set[str]], problems: list[Problem]) -> None:
    """The shared fields, then the type's relations, its own checks and its extras."""
    name, meta = fiche.name, fiche.meta
    for unknown in sorted(set(meta) - SHARED_KEYS - fields.keys() - set(PROVENANCE_KEYS), key=str):
        problems.append(Problem(name, str(unknown), "champ inconnu"))
    check_text(meta, "title", name, "", problems, required=True, max_length=255)
    check_text(meta, "summary", name, "", problems, required=True, max_length=MAX_SUMMARY)
    check_text(meta, "credits", name, "", problems)
    check_choice(meta, "license", License.values, name, problems)
    for field_name, kind in SHARED.relations.items():
        check_references(meta, field_name, known[kind], name, problems)
    check_string_list(meta, "tags", name, problems)
    for field_name, kind in fields.relations.items():
        check_references(meta, field_name, known[kind], name, problems)
    if fields.validate is not None:
        fields.validate(meta, name, problems)
    for extra in fields.extras:
        extra.validate(fiche, known, problems)

"""The whole commons as an exchange directory and back: `export_commons` and `import_commons`.

The directory is the documented backup format (README): `taxonomy.yaml`, `associations.yaml`, a
folder of fiche files per registered kind (with the files they name under `<kind>/files/`), the
apps' collections (`roadmap.yaml`, `criteria.yaml`) and `SHA256SUMS`, the checksum of every file.
Only what the public sees is written: live fiches without a view restriction, live collection
entries; drafts and private pages stay out. Importing an export into an empty database, then
exporting again, gives the same bytes.
"""

from dataclasses import dataclass, field
from pathlib import Path

from commons import fiche_types
from commons.exchange.applying import Report, apply_commons
from commons.exchange.reading import CHECKSUMS, read_commons, sha256_of
from commons.exchange.writing import (
    ExportContext,
    associations_data,
    dump_yaml,
    fiche_file,
    prefetch_paths,
    taxonomy_data,
)

CHUNK = 200  # fiches read at a time, with their relations prefetched


@dataclass
class ExportReport:
    directory: Path
    written: dict[str, str] = field(default_factory=dict)  # relative path -> sha256

    def count(self, kind: str) -> int:
        return sum(1 for path in self.written if path.startswith(f"{kind}/") and path.endswith(".md"))


class DirectoryNotEmpty(Exception):
    """An export never mixes its files with others' (a backup must be exactly what was exported)."""


def export_commons(directory: Path) -> ExportReport:
    """Write the published commons into `directory`, which must be empty or absent."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise DirectoryNotEmpty(str(directory))
    directory.mkdir(parents=True, exist_ok=True)
    report = ExportReport(directory)
    write(report, "taxonomy.yaml", dump_yaml(taxonomy_data()))
    write(report, "associations.yaml", dump_yaml(associations_data()))
    for fiche_type in fiche_types.fiche_types():
        context = ExportContext()
        for page in published_pages(fiche_type):
            text = fiche_file(page, fiche_type.exchange, context=context)
            write(report, f"{fiche_type.kind}/{page.slug}.md", text)
        for name, document in sorted(context.files.items()):
            with document.file.open("rb") as source:
                write(report, f"{fiche_type.kind}/{name}", source.read())
    collections_context = ExportContext()
    for collection in fiche_types.collections():
        if collection.export is not None:
            write(report, f"{collection.name}.yaml", dump_yaml(collection.export(collections_context)))
    lines = "".join(f"{digest}  {path}\n" for path, digest in sorted(report.written.items()))
    (directory / CHECKSUMS).write_text(lines, encoding="utf-8")
    return report


def published_pages(fiche_type):
    """The type's live public pages by slug, their relations read a chunk at a time."""
    prefetch = prefetch_paths(fiche_type.exchange)
    pages = fiche_type.model.objects.live_public().order_by("slug", "path").prefetch_related(*prefetch)
    seen = set()
    for page in pages.iterator(chunk_size=CHUNK):
        if page.slug not in seen:  # one file per slug; the first in the tree wins
            seen.add(page.slug)
            yield page


def write(report: ExportReport, relative: str, content: str | bytes) -> None:
    data = content.encode("utf-8") if isinstance(content, str) else content
    path = report.directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    report.written[relative] = sha256_of(data)


def import_commons(directory: Path, change_note: str, force: bool = False) -> Report:
    """Validate every file (and the checksums), then apply them in one transaction.

    Raises `CommonsFilesInvalid` listing every problem when anything is wrong: nothing is changed.
    Every page created or updated gets a new published revision carrying `change_note`.
    """
    return apply_commons(read_commons(Path(directory)), force=force, change_note=change_note)

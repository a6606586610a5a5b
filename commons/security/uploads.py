"""The document types the site accepts, checked by what the file contains, not by its name alone.

Allowed: PDF, OpenDocument (ODT, ODS, ODP), Office Open XML (DOCX, XLSX, PPTX), PNG and JPEG,
and the plain-text formats the commons' own tool files use (CSV, Markdown, text). Refused: all
the rest, SVG and HTML first (a browser runs their scripts), and archives (ZIP: anything inside).
A file must be what its extension says: a PDF starts with `%PDF-`, an OpenDocument file is a ZIP
whose first entry `mimetype` names its type, an Office file is a ZIP with `[Content_Types].xml`
and the main part of its kind, an image has the magic bytes of its format (`filetype`), and a
text file is UTF-8 without NUL bytes that does not open with markup. Documents are served as
attachments with their content type and `X-Content-Type-Options: nosniff` (Wagtail's serve view,
see WAGTAILDOCS_INLINE_CONTENT_TYPES in the settings).
"""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from wagtail.documents.forms import BaseDocumentForm

import filetype

HEAD_BYTES = 8192
OPENDOCUMENT = {
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "odp": "application/vnd.oasis.opendocument.presentation",
}
OFFICE_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
IMAGES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg"}
TEXT = {"csv", "md", "txt"}
# What a text file must not open with: markup a browser could render (HTML, SVG, XML).
MARKUP_OPENINGS = ("<!doctype", "<html", "<svg", "<?xml", "<script", "<head", "<body", "<iframe")
ALLOWED_EXTENSIONS = ["pdf", *OPENDOCUMENT, *OFFICE_MAIN_PART, *IMAGES, *sorted(TEXT)]

LABELS = "PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, PNG, JPEG, CSV, Markdown ou texte"


def document_extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def validate_document(upload) -> None:
    """Refuse a file whose type is not allowed, whose content does not match its name, or too big."""
    limit = settings.COMMONS_DOCUMENT_MAX_UPLOAD_SIZE
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            f"Ce fichier pèse {filesizeformat(upload.size)} : la limite est de {filesizeformat(limit)}.",
            code="file_too_large",
        )
    extension = document_extension(upload.name or "")
    if extension not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            f"Ce type de fichier n'est pas accepté. Formats acceptés : {LABELS}.", code="file_type"
        )
    upload.seek(0)
    try:
        matches = content_matches(upload, extension)
    finally:
        upload.seek(0)
    if not matches:
        raise ValidationError(
            f"Le contenu de ce fichier ne correspond pas à son extension « .{extension} » : "
            "enregistrez-le de nouveau dans ce format, ou donnez-lui la bonne extension.",
            code="file_content",
        )


def content_matches(upload, extension: str) -> bool:
    head = upload.read(HEAD_BYTES)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in IMAGES:
        kind = filetype.guess(head)
        return kind is not None and kind.mime == IMAGES[extension]
    if extension in TEXT:
        upload.seek(0)
        return is_plain_text(upload.read())
    if not head.startswith(b"PK\x03\x04"):
        return False
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            if extension in OPENDOCUMENT:
                return opendocument_type(archive) == OPENDOCUMENT[extension]
            names = set(archive.namelist())
            return "[Content_Types].xml" in names and OFFICE_MAIN_PART[extension] in names
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False


def opendocument_type(archive: zipfile.ZipFile) -> str:
    """The type an OpenDocument file declares: its first entry, `mimetype`, stored uncompressed."""
    first = archive.infolist()[0] if archive.infolist() else None
    if first is None or first.filename != "mimetype":
        return ""
    return archive.read(first)[:100].decode("ascii", errors="replace").strip()


def is_plain_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    opening = text.lstrip()[:20].lower()
    return not opening.startswith(MARKUP_OPENINGS)


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (WAGTAILDOCS_DOCUMENT_FORM_BASE) that checks each new file."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            validate_document(upload)
        return upload

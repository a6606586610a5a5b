"""Uploads: an allow-list checked by content, a size limit, documents served as attachments."""

import io
import json
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

import pytest
from PIL import Image

from commons.security.uploads import ALLOWED_EXTENSIONS, validate_document

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, kind)
    return buffer.getvalue()


def opendocument(mimetype: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype)  # first and stored, as ODF asks
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return buffer.getvalue()


def office(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.html", HTML)
    return buffer.getvalue()


ACCEPTED = {
    "rapport.pdf": PDF,
    "photo.png": image("PNG"),
    "photo.jpg": image("JPEG"),
    "photo.jpeg": image("JPEG"),
    "compte-rendu.odt": opendocument("application/vnd.oasis.opendocument.text"),
    "budget.ods": opendocument("application/vnd.oasis.opendocument.spreadsheet"),
    "atelier.odp": opendocument("application/vnd.oasis.opendocument.presentation"),
    "compte-rendu.docx": office("word/document.xml"),
    "budget.xlsx": office("xl/workbook.xml"),
    "atelier.pptx": office("ppt/presentation.xml"),
    "grille.csv": "critère;niveau\nGouvernance;2\n".encode(),
    "mode-emploi.md": "# Mode d'emploi\n\nUne grille à remplir *ensemble*.\n".encode(),
    "notes.txt": "\ufeffNotes de l'atelier du 3 mars.\n".encode(),
}

REFUSED = {
    "logo.svg": SVG,  # an allowed content would not save it: the type itself is refused
    "page.html": HTML,
    "page.htm": HTML,
    "archive.zip": plain_zip(),
    "logo.png": SVG,  # an SVG renamed
    "photo.jpg": image("PNG"),  # the wrong image format
    "rapport.pdf": HTML,  # HTML renamed
    "notes.txt": HTML,
    "mode-emploi.md": SVG,
    "grille.csv": b"a;b\n\x00\x01\x02",  # binary
    "latin1.txt": "Élu·es".encode("latin-1"),  # not UTF-8
    "compte-rendu.docx": plain_zip(),  # a ZIP, but not an Office document
    "budget.xlsx": office("word/document.xml"),  # a DOCX renamed
    "compte-rendu.odt": opendocument("application/vnd.oasis.opendocument.spreadsheet"),  # an ODS
    "atelier.odp": office("ppt/presentation.xml"),  # a PPTX renamed
    "faux.ods": b"PK\x03\x04 not really a zip",
    "sans-extension": PDF,
    "script.exe": b"MZ\x90\x00",
}


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_each_allowed_type_is_accepted(name):
    upload = SimpleUploadedFile(name, ACCEPTED[name])
    validate_document(upload)
    assert upload.tell() == 0  # left ready to be stored


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_other_types_and_disguised_files_are_refused_in_french(name):
    with pytest.raises(ValidationError) as refused:
        validate_document(SimpleUploadedFile(name, REFUSED[name]))
    assert refused.value.code in {"file_type", "file_content"}
    assert "fichier" in refused.value.messages[0]


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.COMMONS_DOCUMENT_MAX_UPLOAD_SIZE = 1024
    with pytest.raises(ValidationError) as refused:
        validate_document(SimpleUploadedFile("gros.pdf", PDF + b"0" * 2048))
    assert refused.value.code == "file_too_large" and "limite" in refused.value.messages[0]
    validate_document(SimpleUploadedFile("petit.pdf", PDF))


def test_the_tool_files_of_the_commons_are_accepted():
    files = sorted((settings.COMMONS_FIXTURES_DIR / "tools" / "files").iterdir())
    assert files
    for path in files:
        validate_document(SimpleUploadedFile(path.name, path.read_bytes()))


def test_wagtail_checks_the_same_extensions():
    assert sorted(settings.WAGTAILDOCS_EXTENSIONS) == sorted(ALLOWED_EXTENSIONS)
    assert not {"svg", "html", "htm", "zip", "xml"} & set(settings.WAGTAILDOCS_EXTENSIONS)
    assert sorted(settings.WAGTAILIMAGES_EXTENSIONS) == ["jpeg", "jpg", "png"]


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "admin@example.org", "pw"))
    return client


def test_the_admin_refuses_a_disguised_document_and_keeps_a_real_one(admin_client):
    Document = get_document_model()
    before = Document.objects.count()
    refused = admin_client.post(
        "/admin/documents/add/", {"title": "Faux PDF", "file": SimpleUploadedFile("faux.pdf", HTML)}
    )
    assert refused.status_code == 200
    assert "ne correspond pas à son extension" in refused.content.decode()
    assert Document.objects.count() == before
    accepted = admin_client.post(
        "/admin/documents/add/", {"title": "Vrai PDF", "file": SimpleUploadedFile("vrai.pdf", PDF)}
    )
    assert accepted.status_code == 302
    assert Document.objects.filter(title="Vrai PDF").exists()


def test_the_multiple_upload_refuses_an_svg(admin_client):
    Document = get_document_model()
    before = Document.objects.count()
    response = admin_client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("logo.svg", SVG)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert json.loads(response.content)["success"] is False
    assert Document.objects.count() == before
    response = admin_client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("logo.pdf", SVG)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )
    assert json.loads(response.content)["success"] is False
    assert Document.objects.count() == before


def test_the_admin_refuses_an_svg_image(admin_client):
    Image_ = get_image_model()
    before = Image_.objects.count()
    response = admin_client.post(
        "/admin/images/add/", {"title": "Logo", "file": SimpleUploadedFile("logo.svg", SVG)}
    )
    assert response.status_code == 200 and Image_.objects.count() == before


@pytest.fixture
def files_on_disk(settings, tmp_path):
    """Files in a real folder, as in production (Wagtail serves a local file through sendfile)."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("rapport.pdf", PDF, "application/pdf"),
        ("grille.csv", b"a;b\n", "text/csv; charset=utf-8"),
        ("mode-emploi.md", b"# Titre\n", "text/markdown; charset=utf-8"),
        ("photo.png", image("PNG"), "image/png"),
    ],
)
def test_documents_are_served_as_attachments_that_browsers_do_not_sniff(
    client, files_on_disk, name, content, content_type
):
    document = get_document_model().objects.create(title=name, file=ContentFile(content, name=name))
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"  # Wagtail's, kept

"""`<fiche>/pdf/`: the live fiche as an A4 PDF, rendered by WeasyPrint once per published revision.

The route goes through Wagtail's serve, which answers 404 for a page that is not live and applies
view restrictions first; the page object holds the published version (a later draft lives only in
its revision), so a draft never reaches a PDF. Previews get a 404.

The bytes are kept in the Django cache (Redis in production), keyed by page, live revision,
template version and site address, rather than as files under MEDIA_ROOT: the cache is shared
by every worker and evicts old entries itself, and a file under MEDIA_ROOT would be served by the
reverse proxy to anyone, even once the fiche is unpublished or made private. A new publication
changes the live revision, hence the key: the next request renders the new PDF.
"""

import hashlib
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header, parse_etags

from commons.speed.freshness import content_generation

TEMPLATE = "printing/fiche_pdf.html"
# The templates a PDF is made of: editing one changes the template version, so every key.
TEMPLATE_FILES = ("printing", "facts", "includes/cite.html")
PDF_CACHE_SECONDS = 30 * 24 * 3600
UNAVAILABLE = (
    "Le PDF de cette fiche ne peut pas être produit sur ce serveur pour le moment : les bibliothèques "
    "système dont WeasyPrint a besoin (pango) n'y sont pas installées. Vous pouvez imprimer la fiche "
    "depuis votre navigateur, ou réessayer plus tard.\n"
)


class PdfUnavailable(Exception):
    """WeasyPrint cannot load (its system libraries are missing)."""


def fiche_pdf_response(page, request) -> HttpResponse:
    """The PDF of the live `page`, from the cache or rendered now; 304 when the client has it."""
    if getattr(request, "is_preview", False):
        raise Http404
    key = pdf_cache_key(page, request)
    etag = '"pdf-' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        return with_etag(HttpResponseNotModified(), etag)
    pdf = django_cache.get(key)
    if pdf is None:
        try:
            pdf = render_fiche_pdf(page, request)
        except PdfUnavailable:
            return HttpResponse(UNAVAILABLE, status=503, content_type="text/plain; charset=utf-8")
        django_cache.set(key, pdf, PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    # Django's helper: a slug may hold non-ASCII letters (RFC 6266 `filename*`).
    response["Content-Disposition"] = content_disposition_header(False, f"{page.slug}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return with_etag(response, etag)


def with_etag(response, etag: str):
    response["ETag"] = etag
    return response


def pdf_cache_key(page, request) -> str:
    """Page, live revision (the generation for a page published without one), template version
    and the address the reader sees (the PDF prints its URL)."""
    revision = page.live_revision_id or f"g{content_generation()}"
    site = f"{request.scheme}://{request.get_host()}"
    return f"commons:pdf:{page.pk}:{revision}:{template_version()}:{site}"


@cache
def template_version() -> str:
    """A short hash of the templates the PDF is made of, read once per process."""
    root = settings.BASE_DIR / "templates"
    digest = hashlib.sha256()
    for name in TEMPLATE_FILES:
        path = root / name
        for file in sorted(path.rglob("*.html")) if path.is_dir() else [path]:
            digest.update(file.relative_to(root).as_posix().encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def render_fiche_pdf(page, request) -> bytes:
    return render_fiche_document(page, request).write_pdf()


def render_fiche_document(page, request):
    """The fiche laid out by WeasyPrint (a `Document`: its pages, then `write_pdf()`)."""
    weasyprint = load_weasyprint()
    from commons.printing.fetcher import LocalFilesFetcher  # imports WeasyPrint too

    html = render_to_string(TEMPLATE, page.get_context(request), request=request)
    fetcher = LocalFilesFetcher(request.get_host())
    return weasyprint.HTML(
        string=html, base_url=request.build_absolute_uri("/"), url_fetcher=fetcher
    ).render()


def load_weasyprint():
    """WeasyPrint, imported at the first PDF: without pango its import fails with an OSError."""
    try:
        import weasyprint
    except (OSError, ImportError) as error:
        raise PdfUnavailable(str(error)) from error
    return weasyprint

"""`<fiche>/fiche.md`: one published fiche in the exchange format, for people and machines.

The same file `export_commons` writes, with what a reader needs to reuse and credit it first: its
address, the version (the revision number of `historique/<n>/`, and its date) and the associations
to credit, as "Comment citer" gives them. Importing it back ignores those fields (`PROVENANCE_KEYS`).
"""

from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse

from commons import fiche_types
from commons.exchange.writing import ExportContext, fiche_file, prefetch_paths
from commons.history.versions import contributor_associations

MARKDOWN = "text/markdown; charset=utf-8"


def provenance(page, request) -> dict:
    published = page.last_published_at
    return {
        "url": request.build_absolute_uri(page.url),
        "revision": page.live_revision_id,
        "version_date": published.isoformat(timespec="seconds") if published else None,
        "contributors": [association.name for association in contributor_associations(page)],
        "license_url": page.license_url,
    }


def fiche_file_response(page, request) -> HttpResponse:
    """The live page's file (Wagtail's serve only routes live pages the visitor may see)."""
    fiche_type = fiche_types.type_of_model(type(page))
    if fiche_type is None or getattr(request, "is_preview", False):
        raise Http404
    prefetch_related_objects([page], *prefetch_paths(fiche_type.exchange))
    text = fiche_file(page, fiche_type.exchange, provenance(page, request), ExportContext())
    response = HttpResponse(text, content_type=MARKDOWN)
    response["Content-Disposition"] = f'inline; filename="{page.slug}.md"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

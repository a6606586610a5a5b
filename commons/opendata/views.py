"""`/export/` and the exports it explains: `commons.json` and one CSV per type of fiche.

The exports are streamed (never held whole in memory, never stored by the page cache) and carry
an `ETag` (the content generation) and a `Last-Modified` (the latest publication): a client that
has the current version gets a 304 without a query on the fiches.
"""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import condition, require_safe

from commons import fiche_types
from commons.opendata.conditional import generation_etag, latest_publication
from commons.opendata.csv_export import fiches_csv_chunks
from commons.opendata.json_export import commons_json_chunks
from commons.opendata.licensing import ATTRIBUTION_NOTICE, license_entries
from commons.speed.freshness import per_generation
from commons.speed.vocabulary import vocabulary


def base_url(request) -> str:
    """ "https://host" of the request: the exports' addresses are absolute."""
    return request.build_absolute_uri("/")[:-1]


@require_safe
def export_page(request):
    """`/export/`: every open format of the commons, its licences and how to cite a fiche."""
    counts = per_generation("opendata-counts", published_counts)
    context = {
        "types": [
            {
                "title": fiche_type.section.title,
                "csv_url": csv_url(fiche_type),
                "count": counts.get(fiche_type.kind, 0),
            }
            for fiche_type in fiche_types.fiche_types()
        ],
        "total": sum(counts.values()),
        "licenses": license_entries(),
        "attribution_notice": ATTRIBUTION_NOTICE,
        "questions": list(vocabulary().questions.values()),
    }
    return render(request, "opendata/export.html", context)


def published_counts() -> dict[str, int]:
    return {t.kind: t.model.objects.live_public().count() for t in fiche_types.fiche_types()}


def csv_url(fiche_type) -> str:
    """`/export/methodes.csv`: a type's CSV is named after its section."""
    return f"/export/{fiche_type.section.slug}.csv"


@require_safe
@condition(etag_func=generation_etag, last_modified_func=latest_publication)
def commons_json(request):
    chunks = commons_json_chunks(base_url(request), latest_publication())
    return StreamingHttpResponse(chunks, content_type="application/json; charset=utf-8")


@require_safe
@condition(etag_func=generation_etag, last_modified_func=latest_publication)
def fiches_csv(request, name):
    """`/export/<section>.csv`: one row per published fiche of the type of that section."""
    fiche_type = next((t for t in fiche_types.fiche_types() if t.section.slug == name), None)
    if fiche_type is None:
        raise Http404("Aucun export sous ce nom.")
    response = StreamingHttpResponse(
        fiches_csv_chunks(fiche_type.kind, base_url(request)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response

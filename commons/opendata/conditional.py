"""`ETag` and `Last-Modified` of the exports and feeds: a client that has the current version
gets a 304 without the export being read again."""

from django.db.models import Max

from commons import fiche_types
from commons.speed.freshness import content_generation, per_generation


def generation_etag(request, *args, **kwargs) -> str:
    """The content generation moves whenever anything public changes (a URL has one ETag each)."""
    return f'"{content_generation()}"'


def latest_publication(request=None, *args, **kwargs):
    """When a published fiche last changed: the latest publication of any of them."""
    return per_generation("opendata-latest-publication", read_latest_publication)


def read_latest_publication():
    dates = [
        fiche_type.model.objects.live_public().aggregate(latest=Max("last_published_at"))["latest"]
        for fiche_type in fiche_types.fiche_types()
    ]
    return max((date for date in dates if date is not None), default=None)

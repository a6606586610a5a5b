"""The site's URLs plus the uploaded media, for `make run` (DEBUG off, runserver, no reverse proxy).

Django's `static()` helper serves nothing once DEBUG is off, hence the explicit route. In
production the reverse proxy (deploy/nginx.conf) or the S3 bucket serves the media instead.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from commons import urls as site_urls

ERROR_HANDLERS = ("handler400", "handler403", "handler404", "handler500")


def serve_local_media(request, path):
    """An uploaded file from MEDIA_ROOT (read at each request: tests and `MEDIA_ROOT` may change it)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", serve_local_media),
    *site_urls.urlpatterns,
]
# The site's own error views (such as the French 503 when the database is away) answer here too.
globals().update({name: getattr(site_urls, name) for name in ERROR_HANDLERS if hasattr(site_urls, name)})

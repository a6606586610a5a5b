"""What WeasyPrint may read while it renders a fiche: our own files, never the network.

A fiche's Markdown may point to any image on the web; fetching it would make the server a proxy
(and a PDF hang on a slow host). Only `data:` URLs and files under STATIC_URL or MEDIA_URL of the
site being rendered are served, read from the storages; anything else is refused and WeasyPrint
renders without it. This module imports WeasyPrint: import it only once WeasyPrint loads.
"""

import mimetypes
import posixpath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import default_storage

from weasyprint.urls import URLFetcher, URLFetcherResponse


class LocalFilesFetcher(URLFetcher):
    """Serves `data:` URLs and the site's static and media files; refuses every other URL."""

    def __init__(self, site_netloc: str):
        super().__init__(allowed_protocols={"data"})  # what `super().fetch` may still open
        self.site_netloc = site_netloc

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        content = self.local_file(url)
        if content is None:
            raise ValueError(f"not a file of this site, not fetched: {url[:200]}")
        content_type = mimetypes.guess_type(urlsplit(url).path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, content, {"Content-Type": content_type})

    def local_file(self, url: str) -> bytes | None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != self.site_netloc:
            return None
        return read_site_file(unquote(parts.path))


def read_site_file(path: str) -> bytes | None:
    """The bytes of a static or media file at this URL path, or None."""
    for prefix, read in ((settings.STATIC_URL, read_static), (settings.MEDIA_URL, read_media)):
        if prefix and path.startswith(prefix):
            name = safe_name(path[len(prefix) :])
            return read(name) if name else None
    return None


def safe_name(name: str) -> str:
    """A relative file name that stays inside its folder, or "" (`../`, absolute paths)."""
    normalized = posixpath.normpath(name)
    if normalized.startswith(("/", "..")) or normalized in ("", "."):
        return ""
    return normalized


def read_static(name: str) -> bytes | None:
    """A static file: collected (production, hashed names included) or found in the sources."""
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as file:
            return file.read()
    found = finders.find(name)
    if found:
        with open(found, "rb") as file:
            return file.read()
    return None


def read_media(name: str) -> bytes | None:
    if not default_storage.exists(name):
        return None
    with default_storage.open(name) as file:
        return file.read()

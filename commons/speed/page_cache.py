"""Whole public pages cached for anonymous visitors, outdated when the content generation moves.

A page is stored under a hash of scheme, host, path, sorted query string and language, with the
content generation (`commons.speed.freshness`) it was rendered at: publishing, unpublishing, moving or
deleting anything the public sees bumps the generation, so a page stored before is never served
again (the next visitor renders and replaces it), and entries expire after `PAGE_CACHE_SECONDS`
(0 turns the cache off). A hit costs one cache round trip (the generation and the page together)
and no SQL query. Editors and any signed-in user always get a fresh page and never store one.
`X-Page-Cache: hit|miss` tells which happened.

Never stored: other methods than GET (HEAD reads what GET stored), statuses other than 200,
streamed responses, responses that set a cookie, that say `Cache-Control: private`, `no-cache`
or `no-store`, that used the CSRF token (a form), previews, requests that carry a session cookie
(a visitor who typed a page's password sees it, the next one must not), and the paths below.
"""

import hashlib
import logging
import threading
from collections import OrderedDict
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import cc_delim_re

from commons.speed import shortcuts
from commons.speed.freshness import content_generation

logger = logging.getLogger(__name__)

# Admin, served files (a document may be restricted to a collection's viewers), the admin's
# Markdown preview, Wagtail's password and login forms. Add here any path that must stay fresh.
UNCACHED_PREFIXES = ("/admin/", "/documents/", "/markdownx/", "/_util/")
MESSAGES_COOKIE = "messages"  # a pending message belongs to one visitor's page
MAX_URL_LENGTH = 2000  # longer URLs are crawlers' noise, not worth an entry
UNCACHEABLE_DIRECTIVES = {"private", "no-cache", "no-store"}


class PageCacheMiddleware:
    """Serve and store anonymous GET responses; see the module docstring for the rules."""

    def __init__(self, get_response):
        self.get_response = get_response
        local = "locmem" in settings.CACHES["default"]["BACKEND"].lower()
        if settings.PAGE_CACHE_SECONDS and local and not settings.DEBUG:
            logger.warning("Page cache in local memory, one per process: several workers need REDIS_URL.")

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not shortcuts.enabled("page_cache") or not is_cacheable_request(request):
            return self.get_response(request)
        # The generation is read before the view runs: content published while it renders makes
        # the stored page outdated at once. The most requested pages are also kept in this
        # process, so a hit on them needs no round trip to the cache.
        key = page_key(request)
        generation = content_generation()
        stored = recent_pages.get(key)
        if stored is None or stored[0] != generation:
            stored = cache.get(key)
            if stored is not None:
                remember(key, stored)
        if stored is not None and stored[0] == generation:
            response = HttpResponse(stored[1], headers=stored[2])
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if request.method == "GET" and is_cacheable_response(request, response):
            stored = (generation, response.content, list(response.headers.items()))
            cache.set(key, stored, seconds)
            remember(key, stored)
        response["X-Page-Cache"] = "miss"
        return response


# The pages this process served or stored last, most recent at the end (about 12 MB at most).
RECENT_PAGES = 256
recent_pages: OrderedDict[str, tuple] = OrderedDict()


_recent_lock = threading.Lock()  # threaded servers (runserver, the browser tests' live server)


def remember(key: str, stored: tuple) -> None:
    with _recent_lock:
        recent_pages[key] = stored
        recent_pages.move_to_end(key)
        while len(recent_pages) > RECENT_PAGES:
            recent_pages.popitem(last=False)


def is_cacheable_request(request) -> bool:
    """GET or HEAD of a public path by an anonymous visitor with no pending message."""
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(UNCACHED_PREFIXES)
        and len(request.get_full_path()) <= MAX_URL_LENGTH
        and MESSAGES_COOKIE not in request.COOKIES
        # Signing in sets a session cookie: without one, the visitor is anonymous (no query to
        # know it). With one, the page is served fresh, whoever it is.
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def is_cacheable_response(request, response) -> bool:
    """A complete 200 that is the same for every anonymous visitor."""
    directives = {
        d.split("=")[0].strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not directives & UNCACHEABLE_DIRECTIVES
        # get_token() was called: the page holds this visitor's CSRF token (CsrfViewMiddleware,
        # outside this one, has not set its cookie yet, so `response.cookies` cannot tell).
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(request, "is_preview", False)
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not (session is not None and session.modified)
    )


def page_key(request) -> str:
    """A short key for any URL: the hash of what the page depends on besides the content."""
    # Sorted by name only: the order of repeated values (?theme=a&theme=b) is kept.
    pairs = parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
    query = urlencode(sorted(pairs, key=lambda pair: pair[0]))
    # No language in the key: the site speaks only French (settings.LANGUAGES).
    url = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"commons:page:{hashlib.sha256(url.encode()).hexdigest()}"

"""Serving through outages: a French 503 while the database is away, a cache that never breaks a page.

- `DatabaseUnavailableMiddleware`: a view (or its template) that meets `OperationalError` or
  `InterfaceError` — PostgreSQL restarting, refusing connections, a connection cut — answers
  `templates/503.html` with `Retry-After`, not a traceback nor the generic 500. Nothing else is
  needed to recover: `CONN_HEALTH_CHECKS` (settings) makes every request check a persistent
  connection before using it, and Django drops a connection that failed at the end of the request.
  A database error met outside a view (in a middleware) reaches `server_error`, the `handler500`,
  which answers the same page. With `DEBUG` on, the exception goes on to Django's debug page.
- `ResilientRedisCache`: Django's Redis cache where an unreachable Redis (refused, timed out) is a
  miss: reads return their default, writes do nothing, and the error is logged once per outage.
  After an error the backend does not call Redis again for `REDIS_RETRY_SECONDS`, so a page costs
  no more than uncached while Redis is away; then it tries again, and recovers by itself. If a
  write was dropped meanwhile, the cache is emptied when Redis answers again (see `_guarded`).
  Both aliases use it: the cache and, in production, the sessions (`cached_db` reads the database
  on a miss, so nobody is signed out).
"""

import logging
import sys
import threading
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views import defaults

import redis.exceptions

logger = logging.getLogger(__name__)

# What a client should wait before trying again: a PostgreSQL restart takes one to three seconds.
RETRY_AFTER_SECONDS = 10
DATABASE_ERRORS = (OperationalError, InterfaceError)
PLAIN_UNAVAILABLE = "Site momentanément indisponible : merci de réessayer dans quelques secondes."


class DatabaseUnavailableMiddleware:
    """Turn a database outage met by a view into the French 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if settings.DEBUG or not isinstance(exception, DATABASE_ERRORS):
            return None
        logger.error("Base de données indisponible (%s %s) : %s", request.method, request.path, exception)
        return database_unavailable_response()


def server_error(request, template_name: str = "500.html"):
    """`handler500`: the 503 page when the error is the database's (met in a middleware, before any
    view: the site's lookup on a cold cache), Django's 500 page otherwise."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        logger.error("Base de données indisponible (%s %s)", request.method, request.path)
        return database_unavailable_response()
    return defaults.server_error(request, template_name)


def database_unavailable_response() -> HttpResponse:
    """The 503 page, rendered without the database (and as plain text if even that fails)."""
    try:
        body = render_to_string("503.html", {"retry_after": RETRY_AFTER_SECONDS})
        content_type = "text/html; charset=utf-8"
    except Exception:  # noqa: BLE001 - the page that reports an outage must not fail in turn
        logger.exception("La page 503 n'a pas pu être rendue")
        body, content_type = PLAIN_UNAVAILABLE, "text/plain; charset=utf-8"
    response = HttpResponse(body, status=503, content_type=content_type)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


# --- Cache -------------------------------------------------------------------------------------

# Seconds without calling Redis after it failed; short, so that it is used again soon after it returns.
REDIS_RETRY_SECONDS = 2.0
# A Redis that hangs must not hold a worker for redis-py's default 5 s per call.
REDIS_CONNECT_TIMEOUT_SECONDS = 0.5
REDIS_SOCKET_TIMEOUT_SECONDS = 2.0
REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)


class RedisOutage:
    """When the Redis at one address last failed, shared by the threads of a process."""

    def __init__(self):
        self._lock = threading.Lock()
        self.until = 0.0  # time.monotonic() before which Redis is not called
        self.reported = False
        self.dropped_writes = False

    def is_on(self) -> bool:
        return time.monotonic() < self.until

    def begins(self, location: str, error: Exception) -> None:
        with self._lock:
            self.until = time.monotonic() + REDIS_RETRY_SECONDS
            if not self.reported:
                self.reported = True
                logger.error("Redis injoignable (%s), pages servies sans cache : %s", location, error)

    def ends(self, location: str) -> None:
        with self._lock:
            if not self.reported:
                return
            self.reported = self.dropped_writes = False
        logger.warning("Redis de nouveau joignable (%s), cache rétabli", location)


_outages: dict[str, RedisOutage] = {}
_outages_lock = threading.Lock()


def outage_of(location: str) -> RedisOutage:
    with _outages_lock:
        return _outages.setdefault(location, RedisOutage())


class ResilientRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache`; Redis away is a miss, not an error."""

    def __init__(self, server, params):
        options = {
            "socket_connect_timeout": REDIS_CONNECT_TIMEOUT_SECONDS,
            "socket_timeout": REDIS_SOCKET_TIMEOUT_SECONDS,
            **params.get("OPTIONS", {}),
        }
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = ",".join(self._servers)
        self._outage = outage_of(self._location)

    def _guarded(self, call, default, write=False):
        """`call()`, or `default` when Redis is (or has just been found) unreachable.

        A write dropped during an outage (a publication's new content generation, a deleted
        session) would leave Redis with stale entries once it answers again, were it only
        unreachable from here: the first call after such an outage empties the cache first.
        """
        outage = self._outage
        if outage.is_on():
            outage.dropped_writes |= write
            return default
        try:
            if outage.reported and outage.dropped_writes:
                super().clear()
            result = call()
        except REDIS_ERRORS as error:
            outage.dropped_writes |= write
            outage.begins(self._location, error)
            return default
        if outage.reported:
            outage.ends(self._location)
        return result

    # Each method is RedisCache's own, called through `_guarded` with what a miss returns.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._guarded(lambda: parent.add(key, value, timeout, version), False, write=True)

    def get(self, key, default=None, version=None):
        parent = super()
        return self._guarded(lambda: parent.get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        self._guarded(lambda: parent.set(key, value, timeout, version), None, write=True)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._guarded(lambda: parent.touch(key, timeout, version), False, write=True)

    def delete(self, key, version=None):
        parent = super()
        return self._guarded(lambda: parent.delete(key, version), False, write=True)

    def get_many(self, keys, version=None):
        parent = super()
        return self._guarded(lambda: parent.get_many(keys, version), {})

    def has_key(self, key, version=None):
        parent = super()
        return self._guarded(lambda: parent.has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        parent, missing = super(), object()
        value = self._guarded(lambda: parent.incr(key, delta, version), missing, write=True)
        if value is missing:  # as for a key that is not there: callers already handle that
            raise ValueError(f"Key '{key}' not found (Redis unreachable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        parent = super()
        return self._guarded(lambda: parent.set_many(data, timeout, version), list(data), write=True)

    def delete_many(self, keys, version=None):
        parent = super()
        self._guarded(lambda: parent.delete_many(keys, version), None, write=True)

    def clear(self):
        parent = super()
        return self._guarded(parent.clear, False)

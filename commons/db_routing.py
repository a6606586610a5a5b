"""A read replica for the public: anonymous reads go to it, everything else to the primary.

`DATABASE_REPLICA_URL` adds the database alias `replica` and turns this on (commons.settings.production).
The rule is narrow on purpose, so that nobody ever reads their own write from a replica that lags:
only while a view answers an anonymous GET or HEAD request outside the admin (a visitor reading
the public site, who writes nothing) do reads go to the replica. Writes, the admin, signed-in
editors, forms (POST), management commands and the tasks outside a request always use the
primary. The flag is a context variable: each thread or task of the server sees its own.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"
READ_ONLY_METHODS = frozenset({"GET", "HEAD"})
# Paths whose GET requests come from editors (the admin and its preview of Markdown).
PRIMARY_ONLY_PREFIXES = ("/admin/", "/markdownx/", "/documents/")

public_reading: ContextVar[bool] = ContextVar("public_reading", default=False)


@contextmanager
def reading_from_replica():
    """Within this block, reads go to the replica (when one is configured)."""
    token = public_reading.set(True)
    try:
        yield
    finally:
        public_reading.reset(token)


def is_public_read(request) -> bool:
    """An anonymous GET or HEAD outside the admin: the visitor writes nothing and owns no draft."""
    if request.method not in READ_ONLY_METHODS or request.path.startswith(PRIMARY_ONLY_PREFIXES):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


class ReplicaRouter:
    """Django's database router: reads to `replica` for a public read, all else to the primary."""

    def db_for_read(self, model, **hints):
        if public_reading.get() and REPLICA in settings.DATABASES:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows: an object read from either is the same

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the replica follows the primary; it is never migrated


class ReplicaReadMiddleware:
    """Marks a public read for the router. After AuthenticationMiddleware, which gives `request.user`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_public_read(request):
            return self.get_response(request)
        with reading_from_replica():
            return self.get_response(request)

"""One counter that says "what the public sees has changed".

Every cache of public content (whole pages, the taxonomy vocabulary, the view restrictions) puts
the current *content generation* in its keys. Publishing, unpublishing, moving or deleting a page,
or changing a taxonomy term, an association, a tag, a document, an image, a site setting or a view
restriction bumps the generation, so every cached entry is orphaned at once and expires on its
own. One rule, no per-page bookkeeping, no chance to forget a dependant page (a fiche's title
shows on lists, related fiches, questions…).

The counter lives in the default cache: Redis when `REDIS_URL` is set (shared by every worker);
local memory otherwise, which is per process — fine for `runserver` and the tests, but several
workers need Redis (see the README).
"""

import threading
import time

from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from commons.speed import shortcuts

GENERATION_KEY = "commons:content-generation"

# A draft saved or a page locked touches only these columns of the live page: the public sees
# nothing new, so a busy editor does not empty the cache at every "Enregistrer le brouillon".
DRAFT_ONLY_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "wagtail_admin_comments",
        "locked",
        "locked_at",
        "locked_by",
    }
)


# Within a request the generation is read once (a page asks for it a dozen times: a Redis round
# trip each), and a process trusts what it read for GENERATION_TRUST_SECONDS: a publication made by
# another worker shows within that delay, and a page served from the cache needs no round trip.
# A bump made by this process is seen at once.
GENERATION_TRUST_SECONDS = 1.0
_request = threading.local()
_last_read: dict[str, float | int | None] = {"generation": None, "at": 0.0}
# Values built per generation and kept in this process: name -> (generation, value).
_process_memo: dict[str, tuple[int, object]] = {}
MEMO_SECONDS = 24 * 3600


def content_generation() -> int:
    """The current generation; an empty cache starts it afresh."""
    in_request = getattr(_request, "active", False)
    if in_request and getattr(_request, "generation", None) is not None:
        return _request.generation
    generation = _last_read["generation"]
    if generation is None or time.monotonic() - _last_read["at"] >= GENERATION_TRUST_SECONDS:
        generation = read_generation()
        _last_read.update(generation=generation, at=time.monotonic())
    if in_request:
        _request.generation = generation
    return generation


def read_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, fresh_start(), timeout=None)
        # None: the cache is unreachable (commons.resilience). A new value each time, so nothing
        # kept in this process outlives a publication it could not be told about.
        generation = cache.get(GENERATION_KEY) or fresh_start()
    return generation


def request_begins(**_kwargs) -> None:
    _request.active, _request.generation = True, None


def request_ends(**_kwargs) -> None:
    _request.active, _request.generation = False, None


def per_generation(name: str, build):
    """`build()` for the current generation: kept in this process's memory and in the shared cache,
    so a worker rebuilds it (or reads it from Redis) once per change of content, not per request.
    The value is shared: callers must not modify it."""
    if not shortcuts.enabled("memo"):
        return build()
    generation = content_generation()
    memo = _process_memo.get(name)
    if memo is not None and memo[0] == generation:
        return memo[1]
    key = f"commons:{name}:{generation}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, MEMO_SECONDS)
    _process_memo[name] = (generation, value)
    return value


def forget_memos() -> None:
    """Drop this process's memos (tests roll the database back under them)."""
    _process_memo.clear()
    _last_read["generation"] = None
    request_ends()


def fresh_start() -> int:
    """The clock in milliseconds: a counter evicted and started again never returns to a value
    that pages still in the cache were stored with."""
    return time.time_ns() // 1_000_000


def _increment() -> None:
    _request.generation = _last_read["generation"] = None
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key expired or was evicted
        cache.set(GENERATION_KEY, fresh_start(), timeout=None)


def bump_content_generation(**_signal_kwargs) -> None:
    """Orphan every cached public entry (signal receiver and plain function).

    Bumped at once (this process sees the change immediately), and again when the transaction
    commits: a request rendered by another worker between the two still read the old rows, and
    would otherwise be cached under the new generation.
    """
    _increment()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_increment)


def tracked_models() -> tuple[tuple, tuple]:
    """Models whose saves and deletions the public can see, and those whose deletions only."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from taggit.models import ItemBase, Tag
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Page, PageViewRestriction, Revision, Site

    # The partners and the taxonomy, from the app registry: the content model builds on this module.
    terms = [
        apps.get_model("commons", name) for name in ("Association", "Question", "Phase", "Defi", "Theme")
    ]
    saved_or_deleted = (
        *(Page, *terms, Tag, ItemBase, PageViewRestriction, Site),
        *(get_document_model(), get_image_model(), BaseSiteSetting, BaseGenericSetting, Group),
    )
    # Users log in (a save) all the time; deleting one, or a revision (`purge_revisions`),
    # changes the public history and its "Comment citer".
    deleted = (get_user_model(), Revision)
    return saved_or_deleted, saved_or_deleted + deleted


TRACKED_SAVES: tuple = ()
TRACKED_DELETIONS: tuple = ()
TRACKED_RELATIONS: tuple = ()  # m2m through models that are not between tracked models


def track(*models) -> None:
    """Models of an app whose saves and deletions the public sees (a snippet shown on a page):
    called from the app's `ready()`, after the core's own (`connect_freshness_signals`)."""
    global TRACKED_SAVES, TRACKED_DELETIONS
    TRACKED_SAVES = (*TRACKED_SAVES, *models)
    TRACKED_DELETIONS = (*TRACKED_DELETIONS, *models)


def bump_if_saved(sender, instance, update_fields=None, **kwargs) -> None:
    if not isinstance(instance, TRACKED_SAVES):
        return
    if update_fields and update_fields <= DRAFT_ONLY_FIELDS:
        return
    bump_content_generation()


def bump_if_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, TRACKED_DELETIONS):
        bump_content_generation()


def bump_if_related(sender, instance, action, **kwargs) -> None:
    """Plain many-to-many changes (a restriction's groups, a user's associations)."""
    if action.startswith("post_") and (isinstance(instance, TRACKED_SAVES) or sender in TRACKED_RELATIONS):
        bump_content_generation()


def connect_freshness_signals() -> None:
    """Called once from `CommonsConfig.ready()`."""
    global TRACKED_SAVES, TRACKED_DELETIONS, TRACKED_RELATIONS
    from django.contrib.auth import get_user_model

    from wagtail.signals import page_published, page_unpublished, post_page_move

    TRACKED_SAVES, TRACKED_DELETIONS = tracked_models()
    request_started.connect(request_begins, dispatch_uid="commons-freshness-request-started")
    request_finished.connect(request_ends, dispatch_uid="commons-freshness-request-finished")
    # A user's groups are their associations, named in the public history of their fiches.
    TRACKED_RELATIONS = (get_user_model().groups.through,)
    # Saves and deletions of any tracked model (page subclasses send with their own class).
    post_save.connect(bump_if_saved, dispatch_uid="commons-freshness-save")
    post_delete.connect(bump_if_deleted, dispatch_uid="commons-freshness-delete")
    m2m_changed.connect(bump_if_related, dispatch_uid="commons-freshness-m2m")
    # Publishing a revision or moving a page may save nothing the signals above see first.
    page_published.connect(bump_content_generation, dispatch_uid="commons-freshness-publish")
    page_unpublished.connect(bump_content_generation, dispatch_uid="commons-freshness-unpublish")
    post_page_move.connect(bump_content_generation, dispatch_uid="commons-freshness-move")

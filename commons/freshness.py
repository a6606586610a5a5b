"""One counter that says "what the public sees has changed".

Every cache of public content (whole pages, the taxonomy vocabulary, the view restrictions) puts
the current *content generation* in its keys. Publishing, unpublishing, moving or deleting a page,
or changing a taxonomy term, an association, a tag or a view restriction bumps the generation, so
every cached entry is orphaned at once and expires on its own. One rule, no per-page bookkeeping,
no chance to forget a dependant page (a fiche's title shows on lists, related fiches, questions…).

The counter lives in the default cache: Redis when `REDIS_URL` is set (shared by every worker);
local memory otherwise, which is per process — fine for `runserver` and the tests, but several
workers need Redis (see the README).
"""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

GENERATION_KEY = "commons:content-generation"


def content_generation() -> int:
    """The current generation; starts at 1 on an empty cache."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        generation = cache.get(GENERATION_KEY, 1)
    return generation


def bump_content_generation(**_signal_kwargs) -> None:
    """Orphan every cached public entry (signal receiver and plain function)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # the key expired or was evicted: any new value orphans the old entries
        cache.set(GENERATION_KEY, 2, timeout=None)


def tracked_models() -> tuple:
    """Models whose changes the public can see."""
    from taggit.models import Tag
    from wagtail.models import Page, PageViewRestriction, Site

    from commons.models import Association, Defi, Phase, Question, Theme

    return (Page, Association, Question, Phase, Defi, Theme, Tag, PageViewRestriction, Site)


def bump_if_tracked(sender, instance, **kwargs) -> None:
    if isinstance(instance, TRACKED):
        bump_content_generation()


TRACKED: tuple = ()


def connect_freshness_signals() -> None:
    """Called once from `CommonsConfig.ready()`."""
    global TRACKED
    from wagtail.signals import page_published, page_unpublished, post_page_move

    TRACKED = tracked_models()
    # Saves and deletions of any tracked model (page subclasses send with their own class).
    post_save.connect(bump_if_tracked, dispatch_uid="commons-freshness-save")
    post_delete.connect(bump_if_tracked, dispatch_uid="commons-freshness-delete")
    # Publishing a revision or moving a page may save nothing the signals above see first.
    page_published.connect(bump_content_generation, dispatch_uid="commons-freshness-publish")
    page_unpublished.connect(bump_content_generation, dispatch_uid="commons-freshness-unpublish")
    post_page_move.connect(bump_content_generation, dispatch_uid="commons-freshness-move")

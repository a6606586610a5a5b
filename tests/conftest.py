"""Shared fixtures: the site skeleton, index pages, the demo content, publishing helpers."""

from django.core.management import call_command

import pytest

from commons.editing.site_tree import ensure_site_tree
from methods.models import MethodIndexPage, ToolIndexPage
from territories.models import TerritoryIndexPage


@pytest.fixture
def home(db):
    """The home page and its three index pages, as on a fresh site."""
    return ensure_site_tree()


@pytest.fixture
def method_index(home):
    return MethodIndexPage.objects.get()


@pytest.fixture
def tool_index(home):
    return ToolIndexPage.objects.get()


@pytest.fixture
def territory_index(home):
    return TerritoryIndexPage.objects.get()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo commons once per test run; each test rolls back to it."""
    with django_db_blocker.unblock():
        call_command("load_commons", verbosity=0)


def publish(page):
    """Publish the current state of `page` through a revision, as the admin does."""
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts with empty caches: the database rolls back between tests, the caches don't."""
    from django.core.cache import cache

    from commons.speed.freshness import forget_memos
    from commons.speed.page_cache import recent_pages

    cache.clear()
    forget_memos()
    recent_pages.clear()
    yield
    cache.clear()
    forget_memos()
    recent_pages.clear()


@pytest.fixture
def with_shortcuts(settings):
    """Tests that measure the speed layer's own path (query counts, caches, compiled queries) run
    with every shortcut on, whatever `COMMONS_FALLBACKS` says: CI runs the rest with them off."""
    settings.COMMONS_FALLBACKS = frozenset()

"""The content generation moves when the public could see a change, and only then."""

import time

from django.core.cache import cache
from django.core.files.base import ContentFile

from wagtail.documents import get_document_model

import pytest

from commons.speed.freshness import bump_content_generation, content_generation
from methods.models import MethodPage

pytestmark = pytest.mark.django_db


def moves(action) -> bool:
    before = content_generation()
    action()
    return content_generation() != before


def test_a_draft_or_a_lock_does_not_move_it_publishing_does():
    forum = MethodPage.objects.get(slug="forum-ouvert")
    forum.body = "Brouillon"
    assert not moves(forum.save_revision)
    forum.locked = True
    assert not moves(lambda: forum.save(update_fields=["locked", "locked_at", "locked_by"]))
    assert moves(forum.get_latest_revision().publish)


def test_documents_and_deleted_users_move_it_logins_do_not(django_user_model):
    document = get_document_model()(title="Grille")
    document.file.save("grille.csv", ContentFile(b"a,b\n"), save=False)
    assert moves(document.save)
    user = django_user_model.objects.create_user("lectrice", password="pw")
    assert not moves(lambda: user.save(update_fields=["last_login"]))
    assert moves(user.delete)


def test_it_moves_again_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        before = content_generation()
        bump_content_generation()
        assert content_generation() == before + 1
    assert len(callbacks) == 1
    assert content_generation() == before + 2


def test_an_evicted_counter_starts_again_above_its_last_value():
    cache.clear()
    first = content_generation()
    bump_content_generation()
    time.sleep(0.01)  # the counter restarts from the clock, which went on meanwhile
    cache.clear()
    assert content_generation() > first + 1
    cache.clear()
    bump_content_generation()  # on a missing counter
    assert content_generation() > first + 1


def test_a_bump_by_another_worker_is_seen_within_the_trust_window(monkeypatch):
    from django.core.cache import cache

    from commons.speed import freshness

    clock = [1000.0]
    monkeypatch.setattr(freshness.time, "monotonic", lambda: clock[0])
    before = freshness.content_generation()
    cache.incr(freshness.GENERATION_KEY)  # another worker publishes: this process is not told
    assert freshness.content_generation() == before  # trusted for a moment, no round trip
    clock[0] += freshness.GENERATION_TRUST_SECONDS
    assert freshness.content_generation() == before + 1


def test_a_bump_by_this_process_is_seen_at_once():
    from commons.speed import freshness

    before = freshness.content_generation()
    freshness.bump_content_generation()
    assert freshness.content_generation() > before

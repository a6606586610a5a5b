"""Redis away: every cache call is a logged miss, the site serves uncached, and recovers by itself."""

import logging
import socket
from unittest import mock

from django.core.cache.backends.redis import RedisCache
from django.test import Client

import pytest
import redis

from commons import resilience
from commons.resilience import ResilientRedisCache
from methods.models import MethodPage

LIVE_REDIS = "redis://127.0.0.1:6379/15"  # a database of its own: the tests empty it


def closed_port_url() -> str:
    """A Redis URL on a port of 127.0.0.1 where nothing listens: connections are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


def live_redis_or_skip() -> str:
    try:
        redis.Redis.from_url(LIVE_REDIS, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("pas de Redis sur 127.0.0.1:6379")
    return LIVE_REDIS


@pytest.fixture(autouse=True)
def no_outage_carried_over():
    resilience._outages.clear()
    yield
    resilience._outages.clear()


def test_an_unreachable_redis_is_a_miss_for_every_call(caplog):
    cache = ResilientRedisCache(closed_port_url(), {})
    with caplog.at_level(logging.WARNING, logger="commons.resilience"):
        assert cache.get("key") is None
        assert cache.get("key", "default") == "default"
        assert cache.get_or_set("key", "computed") == "computed"
        cache.set("key", "value")
        assert cache.add("key", "value") is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.has_key("key") is False
        assert cache.touch("key") is False
        assert cache.delete("key") is False
        cache.delete_many(["a", "b"])
        assert cache.clear() is False
        with pytest.raises(ValueError):  # as for a missing key: freshness then sets it afresh
            cache.incr("counter")
    outage_logs = [r for r in caplog.records if "Redis injoignable" in r.getMessage()]
    assert len(outage_logs) == 1, "logged once per outage, not once per call"
    assert outage_logs[0].levelno == logging.ERROR


def test_an_outage_spares_redis_calls_for_a_while():
    cache = ResilientRedisCache(closed_port_url(), {})
    with mock.patch.object(RedisCache, "get", autospec=True, side_effect=RedisCache.get) as real_get:
        assert cache.get("key") is None
        assert cache.get("key") is None
        assert cache.get("other") is None
    assert real_get.call_count == 1  # the next calls did not wait for a refused connection


def test_timeouts_are_bounded():
    cache = ResilientRedisCache(closed_port_url(), {"OPTIONS": {"socket_timeout": 5}})
    pool_options = cache._cache._pool_options
    assert pool_options["socket_connect_timeout"] == resilience.REDIS_CONNECT_TIMEOUT_SECONDS
    assert pool_options["socket_timeout"] == 5  # an explicit OPTIONS wins


def test_redis_is_used_again_and_emptied_after_an_outage_that_dropped_writes(monkeypatch, caplog):
    cache = ResilientRedisCache(live_redis_or_skip(), {})
    cache.clear()
    cache.set("kept-from-before", "stale")
    refused = redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(RedisCache, "set", side_effect=refused):
        cache.set("published", "new")  # dropped: Redis keeps what it had before the outage
    assert cache.get("kept-from-before") is None  # still in the outage: a miss, no call
    monkeypatch.setattr(resilience, "REDIS_RETRY_SECONDS", 0.0)
    monkeypatch.setattr(cache._outage, "until", 0.0)
    with caplog.at_level(logging.WARNING, logger="commons.resilience"):
        assert cache.get("kept-from-before") is None  # Redis answers: emptied, nothing stale served
        cache.set("published", "new")
        assert cache.get("published") == "new"
    assert any("de nouveau joignable" in r.getMessage() for r in caplog.records)
    cache.clear()


def test_an_outage_without_dropped_writes_keeps_the_cache(monkeypatch):
    cache = ResilientRedisCache(live_redis_or_skip(), {})
    cache.clear()
    cache.set("page", "kept")
    refused = redis.exceptions.ConnectionError("Connection refused.")
    with mock.patch.object(RedisCache, "get", side_effect=refused):
        assert cache.get("page") is None
    monkeypatch.setattr(cache._outage, "until", 0.0)
    assert cache.get("page") == "kept"
    cache.clear()


@pytest.fixture
def redis_away(settings):
    """The site configured with Redis, and Redis not answering."""
    settings.CACHES = {
        "default": {"BACKEND": "commons.resilience.ResilientRedisCache", "LOCATION": closed_port_url()}
    }
    settings.PAGE_CACHE_SECONDS = 600


@pytest.mark.django_db
@pytest.mark.usefixtures("with_shortcuts")  # the page cache is a shortcut: it must be on
@pytest.mark.parametrize(
    "url", ["/", "/methodes/", "/methodes/forum-ouvert/", "/territoires/", "/recherche/?q=atelier"]
)
def test_the_site_serves_uncached_while_redis_is_away(redis_away, url):
    client = Client()
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    assert "Communs des transitions" in response.content.decode()
    # Kept in this process for GENERATION_TRUST_SECONDS at most, as when Redis answers.
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_what_is_unpublished_while_redis_is_away_leaves_the_listing_at_once(redis_away):
    """No publication can be announced through the cache: nothing kept in the process outlives it."""
    client = Client()
    forum = MethodPage.objects.live().get(slug="forum-ouvert")
    assert forum.title in client.get("/methodes/").content.decode()
    forum.unpublish()
    assert forum.title not in client.get("/methodes/").content.decode()
    assert client.get("/methodes/forum-ouvert/").status_code == 404

"""The read replica's router: reads go to the replica only while a view answers an anonymous GET
or HEAD outside the admin; writes, forms, editors and the admin always use the primary."""

from django.contrib.auth.models import AnonymousUser

import pytest

from commons import db_routing
from commons.db_routing import REPLICA, ReplicaRouter, is_public_read, public_reading, reading_from_replica
from methods.models import MethodPage

ROUTER = "commons.db_routing.ReplicaRouter"
MIDDLEWARE = "commons.db_routing.ReplicaReadMiddleware"


@pytest.fixture
def with_replica(settings, monkeypatch):
    """A `replica` alias in the settings, as DATABASE_REPLICA_URL gives (the router reads its name)."""
    monkeypatch.setitem(settings.DATABASES, REPLICA, {**settings.DATABASES["default"]})


def test_reads_go_to_the_replica_only_inside_a_public_read(with_replica):
    router = ReplicaRouter()
    assert router.db_for_read(MethodPage) == "default"
    with reading_from_replica():
        assert router.db_for_read(MethodPage) == REPLICA
        assert router.db_for_write(MethodPage) == "default"
    assert router.db_for_read(MethodPage) == "default" and public_reading.get() is False


def test_without_a_replica_everything_uses_the_primary():
    with reading_from_replica():
        assert ReplicaRouter().db_for_read(MethodPage) == "default"


def test_the_replica_is_never_migrated_and_relations_across_the_two_are_allowed():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "methods") is True
    assert router.allow_migrate(REPLICA, "methods") is False
    assert router.allow_relation(object(), object()) is True


def test_which_requests_are_public_reads(rf, django_user_model):
    editor = django_user_model(username="editrice")
    anonymous = AnonymousUser()

    def request(method, path, user):
        made = getattr(rf, method)(path)
        made.user = user
        return made

    assert is_public_read(request("get", "/methodes/", anonymous))
    assert is_public_read(request("head", "/territoires/leaz/", anonymous))
    assert not is_public_read(request("post", "/autodiagnostic/", anonymous))
    assert not is_public_read(request("get", "/methodes/", editor))
    assert not is_public_read(request("get", "/admin/login/", anonymous))
    assert not is_public_read(request("get", "/markdownx/markdownify/", anonymous))


@pytest.fixture
def recorded(settings, monkeypatch, with_replica):
    """The router and its middleware installed as production installs them; each read's choice recorded."""
    middleware = [*settings.MIDDLEWARE]
    middleware.insert(
        middleware.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1, MIDDLEWARE
    )
    settings.MIDDLEWARE = middleware
    settings.DATABASE_ROUTERS = [ROUTER]
    choices = []
    original = ReplicaRouter.db_for_read

    def db_for_read(self, model, **hints):
        alias = original(self, model, **hints)
        choices.append(alias)
        return "default"  # the test database has no second connection: record, then read the primary

    monkeypatch.setattr(db_routing.ReplicaRouter, "db_for_read", db_for_read)
    return choices


def test_an_anonymous_reader_of_a_fiche_reads_the_replica(db, client, recorded):
    page = MethodPage.objects.live().public().first()
    recorded.clear()
    response = client.get(page.url)
    assert response.status_code == 200
    # The site lookup (CachedSiteMiddleware) runs before the visitor is known and reads the primary;
    # from the middleware on, every read of the view goes to the replica.
    first = recorded.index(REPLICA)
    assert set(recorded[first:]) == {REPLICA} and len(recorded[first:]) >= 3


def test_a_form_an_editor_and_the_admin_read_the_primary(db, client, recorded, django_user_model):
    page = MethodPage.objects.live().public().first()
    client.post("/autodiagnostic/resultat/", {"nothing": "1"})
    assert REPLICA not in recorded

    editor = django_user_model.objects.create_superuser("admin-deploy", "admin@example.org", "pw")
    client.force_login(editor)
    recorded.clear()
    assert client.get(page.url).status_code == 200
    assert client.get("/admin/").status_code == 200
    assert recorded and REPLICA not in recorded

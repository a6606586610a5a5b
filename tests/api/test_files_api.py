"""`/api/v2/documents/` and `/api/v2/images/`: nothing from a collection under a view restriction."""

import io

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

import PIL.Image
import pytest

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    PIL.Image.new("RGB", (1, 1)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def private_collection():
    """A restricted collection with a sub-collection (restrictions apply to descendants too)."""
    root = Collection.get_first_root_node()
    private = root.add_child(name="Espace des membres")
    inner = private.add_child(name="Archives des membres")
    restriction = CollectionViewRestriction.objects.create(
        collection=private, restriction_type=CollectionViewRestriction.GROUPS
    )
    restriction.groups.add(Group.objects.first())
    return inner


def titles(client, url: str) -> set[str]:
    response = client.get(url + "?limit=100")
    assert response.status_code == 200
    return {item["title"] for item in response.json()["items"]}


def test_documents_of_private_collections_are_not_listed_whoever_asks(client, admin_user, private_collection):
    Document = get_document_model()  # noqa: N806
    public = Document.objects.create(title="Compte rendu public", file=ContentFile(b"x", name="public.txt"))
    public.tags.add("compte rendu")
    hidden = Document.objects.create(
        title="Compte rendu des membres",
        file=ContentFile(b"x", name="prive.txt"),
        collection=private_collection,
    )
    client.force_login(admin_user)
    listed = titles(client, "/api/v2/documents/")
    assert "Compte rendu public" in listed and "Compte rendu des membres" not in listed
    assert client.get(f"/api/v2/documents/{hidden.pk}/").status_code == 404
    detail = client.get(f"/api/v2/documents/{public.pk}/").json()
    assert detail["meta"]["tags"] == ["compte rendu"]
    assert detail["meta"]["download_url"].endswith(f"/documents/{public.pk}/public.txt")


def test_images_of_private_collections_are_not_listed(client, private_collection):
    Image = get_image_model()  # noqa: N806
    Image.objects.create(
        title="Photo publique", file=ContentFile(png(), name="public.png"), width=1, height=1
    )
    Image.objects.create(
        title="Photo des membres",
        file=ContentFile(png(), name="prive.png"),
        width=1,
        height=1,
        collection=private_collection,
    )
    assert titles(client, "/api/v2/images/") == {"Photo publique"}


def test_a_bad_filter_on_documents_is_a_400(client):
    response = client.get("/api/v2/documents/?id=abc")
    assert response.status_code == 400 and response.json()["message"]

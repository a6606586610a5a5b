"""The OWASP XSS filter-evasion corpus through the renderer and the admin's Markdown preview."""

import pytest

from commons.rendering.markdown import build_parser, render_markdown
from tests.hostile.xss import VECTORS, executable_parts
from tests.workflow_helpers import member

PREVIEW = "/markdownx/markdownify/"
# The parser without its own link check: what the payload would give if nh3 did not run.
UNGUARDED = build_parser()
UNGUARDED.validateLink = lambda url: True
# Netscape 4's "&{…}" entities: nothing runs them any more, so the check has nothing to catch.
OBSOLETE = {"ampersand-js-include"}


def test_the_corpus_is_the_cheat_sheet_and_more():
    assert len(VECTORS) >= 60
    assert len({vector["name"] for vector in VECTORS}) == len(VECTORS)


@pytest.mark.parametrize("vector", VECTORS, ids=[vector["name"] for vector in VECTORS])
def test_nothing_executable_survives_the_renderer(vector):
    html = render_markdown(vector["payload"])
    assert executable_parts(html) == [], html


@pytest.mark.parametrize("vector", VECTORS, ids=[vector["name"] for vector in VECTORS])
def test_each_vector_is_hostile_without_the_sanitizer(vector):
    """So the check above can fail: unsanitized, each vector is caught, or CommonMark made it text."""
    if vector["name"] in OBSOLETE:
        pytest.skip("nothing to catch in a current browser")
    raw = UNGUARDED.render(vector["payload"])
    assert executable_parts(raw) or (raw.startswith("<p>&lt;") and "<img" not in raw.lower()), raw


def test_most_vectors_need_the_sanitizer():
    caught = [vector for vector in VECTORS if executable_parts(UNGUARDED.render(vector["payload"]))]
    assert len(caught) >= 90


@pytest.mark.django_db
def test_the_admin_preview_gives_what_the_page_gives_and_nothing_executable(client):
    client.force_login(member("editrice-traverse", "la-traverse"))
    for vector in VECTORS:
        response = client.post(PREVIEW, {"content": vector["payload"]})
        assert response.status_code == 200, vector["name"]
        html = response.content.decode()
        assert html == render_markdown(vector["payload"]), vector["name"]
        assert executable_parts(html) == [], (vector["name"], html)


@pytest.mark.django_db
def test_the_admin_preview_is_refused_to_anonymous_visitors_and_non_editors(client, django_user_model):
    for vector in VECTORS[:10]:
        assert client.post(PREVIEW, {"content": vector["payload"]}).status_code == 403
    client.force_login(django_user_model.objects.create_user("visiteur", "v@example.org", "pw"))
    assert client.post(PREVIEW, {"content": VECTORS[0]["payload"]}).status_code == 403
    inactive = member("ancienne-editrice", "la-traverse")
    inactive.is_active = False
    inactive.save()
    client.force_login(inactive)
    assert client.post(PREVIEW, {"content": VECTORS[0]["payload"]}).status_code in {302, 403}

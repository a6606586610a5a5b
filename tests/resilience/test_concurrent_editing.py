"""Two editors on the same fiche: the second is told by Wagtail's editing sessions that the first has
saved a newer version, and neither save is lost (each is a revision)."""

import json
import re
from html import unescape

from django.test import Client

import pytest

from methods.models import MethodPage
from tests.admin_forms import read_form
from tests.workflow_helpers import member

pytestmark = pytest.mark.django_db


def open_editor(user, page) -> tuple[Client, dict, str, dict]:
    """An editor's browser: the edit form, its editing session's ping URL and the revision it shows."""
    client = Client()
    client.force_login(user)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    html = response.content.decode()
    ping_url = unescape(re.search(r'data-w-swap-src-value="([^"]+)"', html).group(1))
    session = {
        name: re.search(rf'name="{name}" value="([^"]+)"', html).group(1)
        for name in ("revision_id", "revision_created_at")
    }
    return client, read_form(html), ping_url, session


def save_draft(client, page, form: dict, **changes):
    data = {**form, **{name: [value] for name, value in changes.items()}}
    response = client.post(f"/admin/pages/{page.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def ping(client, ping_url, session: dict) -> dict:
    """What the editor's page asks every 10 s (Wagtail's `w-session` controller)."""
    response = client.post(ping_url, {**session, "is_editing": "1"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_second_editor_is_warned_and_both_saves_are_kept():
    page = MethodPage.objects.get(slug="forum-ouvert")
    alice = member("alice", "la-traverse")
    bruno = member("bruno", "solucracy")
    alice.first_name, alice.last_name = "Alice", "Martin"
    alice.save()
    revisions_before = page.revisions.count()

    alice_client, alice_form, alice_ping, alice_session = open_editor(alice, page)
    bruno_client, bruno_form, bruno_ping, bruno_session = open_editor(bruno, page)
    seen_by_bruno = ping(bruno_client, bruno_ping, bruno_session)
    assert [s["user"] for s in seen_by_bruno["other_sessions"]] == ["Alice Martin"]
    assert seen_by_bruno["other_sessions"][0]["revision_id"] is None  # only viewing, nothing saved yet

    save_draft(alice_client, page, alice_form, summary="Résumé d'Alice.", change_note="Alice")
    alice_revision = page.revisions.order_by("-created_at", "-pk").first()
    assert alice_revision.user == alice

    seen_by_bruno = ping(bruno_client, bruno_ping, bruno_session)
    notice = seen_by_bruno["other_sessions"][0]
    assert notice["user"] == "Alice Martin"
    assert notice["revision_id"] == alice_revision.pk
    assert "Alice Martin a enregistré une nouvelle version" in seen_by_bruno["html"]

    # Saving anyway is Bruno's choice (the notice offers to look at Alice's version first); his
    # save is a new revision on top of Alice's, which stays in the history.
    save_draft(bruno_client, page, bruno_form, summary="Résumé de Bruno.", change_note="Bruno")
    assert page.revisions.count() == revisions_before + 2
    latest = page.revisions.order_by("-created_at", "-pk").first()
    assert latest.user == bruno
    assert latest.as_object().summary == "Résumé de Bruno."
    alice_revision.refresh_from_db()
    assert alice_revision.as_object().summary == "Résumé d'Alice."
    assert alice_revision.as_object().change_note == "Alice"

    # Alice, in turn, is told about Bruno's version.
    seen_by_alice = ping(alice_client, alice_ping, alice_session)
    assert seen_by_alice["other_sessions"][0]["revision_id"] == latest.pk
    assert "a enregistré une nouvelle version" in seen_by_alice["html"]


def test_an_autosave_over_a_newer_version_is_refused():
    """Wagtail 7.4's autosave (a JSON save) never overwrites what another editor saved meanwhile."""
    page = MethodPage.objects.get(slug="forum-ouvert")
    alice, bruno = member("alice", "la-traverse"), member("bruno", "solucracy")
    alice_client, alice_form, _ping, _session = open_editor(alice, page)
    bruno_client, bruno_form, _ping, _session = open_editor(bruno, page)
    save_draft(alice_client, page, alice_form, summary="Résumé d'Alice.")
    response = bruno_client.post(
        f"/admin/pages/{page.pk}/edit/",
        {**bruno_form, "summary": ["Résumé de Bruno."]},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 400
    assert json.loads(response.content)["error_code"] == "invalid_revision"
    latest = page.revisions.order_by("-created_at", "-pk").first()
    assert latest.as_object().summary == "Résumé d'Alice."

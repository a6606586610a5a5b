"""The cross-review end to end, with the test client through the real admin views."""

from django.core import mail

import pytest

from methods.models import MethodPage
from tests.workflow_helpers import edit, in_review, member, workflow_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def method():
    return MethodPage.objects.get(slug="world-cafe")


def test_submission_by_an_editor_then_cross_approval_publishes(client, method):
    editor = member("editrice-traverse", "la-traverse")
    same = member("comite-traverse", "la-traverse", committee=True)
    other = member("comite-solucracy", "solucracy", committee=True)
    mail.outbox.clear()

    response = edit(
        client,
        editor,
        method,
        summary="Des tables de quatre, des tours courts, une synthèse partagée.",
        change_note="Résumé plus concret",
    )
    assert response.status_code == 302
    method.refresh_from_db()
    assert method.workflow_in_progress
    assert method.summary != "Des tables de quatre, des tours courts, une synthèse partagée."  # not live yet
    recipients = {address for message in mail.outbox for address in message.to}
    assert "comite-solucracy@example.org" in recipients
    assert "comite-traverse@example.org" not in recipients
    assert "editrice-traverse@example.org" not in recipients

    refused = workflow_action(client, same, method, "approve")
    assert refused.status_code == 302 and refused.url == "/admin/"  # the admin's "permission denied"
    assert in_review(method)

    workflow_action(client, other, method, "approve")
    assert not in_review(method)
    assert method.summary == "Des tables de quatre, des tours courts, une synthèse partagée."
    assert client.get(method.url).status_code == 200
    assert "une synthèse partagée" in client.get(method.url).content.decode()


def test_nobody_approves_their_own_submission(client, method):
    reviewer = member("relectrice", "solucracy", committee=True)
    edit(client, reviewer, method, summary="Soumis par un membre du comité.")
    workflow_action(client, reviewer, method, "approve")
    assert in_review(method)


def test_rejection_requires_a_comment_that_the_submitter_sees(client, method):
    editor = member("editeur-localos", "les-localos")
    reviewer = member("comite-react", "react", committee=True)
    edit(client, editor, method, summary="Une proposition à revoir.")
    workflow_action(client, reviewer, method, "reject", comment="")
    assert in_review(method)
    mail.outbox.clear()
    workflow_action(client, reviewer, method, "reject", comment="Précisez la durée des tours.")
    assert not in_review(method)
    assert method.summary != "Une proposition à revoir."
    assert any("Précisez la durée des tours." in message.body for message in mail.outbox)
    assert any("editeur-localos@example.org" in message.to for message in mail.outbox)


def test_editors_cannot_publish_directly(client, method):
    editor = member("editeur-resiliere", "resiliere")
    edit(client, editor, method, action="action-publish", summary="Publication directe tentée.")
    method.refresh_from_db()
    assert method.summary != "Publication directe tentée."


def test_dashboard_shows_reviewers_only_what_they_may_act_on(client, method):
    editor = member("editrice-solucracy", "solucracy")
    same = member("comite-solucracy-2", "solucracy", committee=True)
    other = member("comite-localos", "les-localos", committee=True)
    edit(client, editor, method, summary="À relire.")
    client.force_login(other)
    assert method.title in client.get("/admin/").content.decode()
    client.force_login(same)
    dashboard = client.get("/admin/").content.decode()
    assert f"/admin/pages/workflow/action/{method.pk}/" not in dashboard

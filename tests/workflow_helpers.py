"""Admin actions as users perform them: edit and submit, approve, reject — through the test client."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from commons.editing.roles import ADMINISTRATORS, COMMITTEE
from commons.models import Association
from tests.admin_forms import read_form


def member(username: str, association_slug: str | None = None, committee=False, admin=False):
    """A user in the editors' group of an association, optionally also on the committee."""
    user = get_user_model().objects.create_user(username, f"{username}@example.org", "pw")
    if association_slug:
        user.groups.add(Association.objects.get(slug=association_slug).editors_group)
    if committee:
        user.groups.add(Group.objects.get(name=COMMITTEE))
    if admin:
        user.groups.add(Group.objects.get(name=ADMINISTRATORS))
    return user


def edit(client, user, page, action: str = "action-submit", **changes):
    """Open the edit view as `user`, change fields, post with `action` (submit, publish, or draft)."""
    client.force_login(user)
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200, response.status_code
    data = read_form(response.content.decode())
    for name, value in changes.items():
        data[name] = [value] if isinstance(value, str) else value
    if action:
        data[action] = ["1"]
    return client.post(f"/admin/pages/{page.pk}/edit/", data)


def task_state_id(page) -> int:
    page.refresh_from_db()
    return page.current_workflow_task_state.pk


def workflow_action(client, user, page, action: str, comment: str = ""):
    """Post a workflow action (approve/reject) as the admin's modal does."""
    client.force_login(user)
    url = f"/admin/pages/workflow/action/{page.pk}/{action}/{task_state_id(page)}/"
    return client.post(url, {"comment": comment} if comment or action == "reject" else {})


def in_review(page) -> bool:
    page.refresh_from_db()
    return page.workflow_in_progress

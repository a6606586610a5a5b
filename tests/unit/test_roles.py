"""Roles, the cross-review task and its e-mails."""

from types import SimpleNamespace

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied

from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
)

import pytest

from commons.editing.roles import ADMINISTRATORS, COMMITTEE
from commons.editing.site_tree import ensure_site_tree
from commons.editing.workflows import TASK_NAME, WORKFLOW_NAME, CrossReviewTask
from commons.models import Association, HomePage
from methods.models import MethodIndexPage, MethodPage, ToolIndexPage
from territories.models import TerritoryIndexPage
from territories.roles import COMMITTEE_PERMISSIONS
from tests.workflow_helpers import member

pytestmark = pytest.mark.django_db

PARTNERS = {
    "solucracy": "Solucracy",
    "react": "REACT",
    "resiliere": "Resiliere",
    "les-localos": "Les Localos",
    "la-traverse": "La Traverse",
}


def submitted_by(submitter):
    """A task state as may_review reads it: a submission by `submitter`, no revision author yet."""
    return SimpleNamespace(workflow_state=SimpleNamespace(requested_by=submitter), revision=None)


def section_pages() -> list[Page]:
    return [MethodIndexPage.objects.get(), ToolIndexPage.objects.get(), TerritoryIndexPage.objects.get()]


def page_permissions(group) -> set[tuple[int, str]]:
    return set(GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission__codename"))


# --- Groups, permissions and the workflow of a fresh database --------------------------------


def test_a_fresh_database_has_the_seven_groups():
    assert set(Group.objects.values_list("name", flat=True)) == {
        *(f"{name} — éditeurs" for name in PARTNERS.values()),
        COMMITTEE,
        ADMINISTRATORS,
    }


@pytest.mark.parametrize(("slug", "name"), list(PARTNERS.items()))
def test_each_association_is_linked_to_its_editors_group(slug, name):
    association = Association.objects.get(slug=slug)
    assert association.editors_group is not None
    assert association.editors_group.name == f"{name} — éditeurs"
    assert association.editors_group.association == association


def test_editing_groups_may_add_and_change_in_the_three_sections_only():
    sections = {page.pk for page in section_pages()}
    expected = {(pk, codename) for pk in sections for codename in ("add_page", "change_page")}
    editing = [a.editors_group for a in Association.objects.all()] + [Group.objects.get(name=COMMITTEE)]
    assert len(editing) == 6
    for group in editing:
        assert page_permissions(group) == expected, group.name
        # The committee also keeps the commons' roadmap and the self-assessment grid (snippets).
        snippets = set(COMMITTEE_PERMISSIONS) if group.name == COMMITTEE else set()
        assert set(group.permissions.values_list("codename", flat=True)) == {"access_admin", *snippets}, (
            group.name
        )
        assert set(
            GroupCollectionPermission.objects.filter(group=group).values_list(
                "permission__codename", flat=True
            )
        ) == {"add_document", "choose_document", "add_image", "choose_image"}, group.name


def test_administrators_may_publish_delete_lock_everywhere_and_manage_users():
    administrators = Group.objects.get(name=ADMINISTRATORS)
    home = HomePage.objects.get()
    assert page_permissions(administrators) == {
        (home.pk, codename)
        for codename in (
            "add_page",
            "change_page",
            "publish_page",
            "bulk_delete_page",
            "lock_page",
            "unlock_page",
        )
    }
    codenames = set(administrators.permissions.values_list("codename", flat=True))
    assert {"access_admin", "add_user", "change_user", "delete_user", "change_group"} <= codenames
    collections = set(
        GroupCollectionPermission.objects.filter(group=administrators).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"add_document", "change_document", "delete_document", "delete_image"} <= collections


def test_nobody_but_administrators_may_publish():
    publishers = GroupPagePermission.objects.filter(permission__codename="publish_page")
    assert set(publishers.values_list("group__name", flat=True)) == {ADMINISTRATORS}
    committee_publishes = Permission.objects.filter(group__name=COMMITTEE, codename__contains="publish")
    assert set(committee_publishes.values_list("codename", flat=True)) == {
        "publish_roadmapaction",
        "publish_criterion",
    }  # snippets only: the roadmap and the grid, never a page


def test_the_cross_review_workflow_has_one_task_for_the_committee():
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert workflow.active
    tasks = [task.specific for task in workflow.tasks.all()]
    assert len(tasks) == 1
    task = tasks[0]
    assert isinstance(task, CrossReviewTask)
    assert task.name == TASK_NAME and task.active
    assert list(task.groups.values_list("name", flat=True)) == [COMMITTEE]


def test_the_workflow_is_assigned_to_the_three_sections():
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assigned = set(WorkflowPage.objects.filter(workflow=workflow).values_list("page_id", flat=True))
    assert assigned == {page.pk for page in section_pages()}
    method = MethodPage.objects.get(slug="world-cafe")
    assert method.get_workflow() == workflow


def test_no_active_workflow_is_left_without_reviewers():
    for workflow in Workflow.objects.filter(active=True):
        for task in workflow.tasks.filter(active=True):
            assert task.specific.groups.exists(), (workflow.name, task.name)
    assert HomePage.objects.get().get_workflow() is None


def test_ensuring_the_site_again_changes_no_permission():
    before = (GroupPagePermission.objects.count(), WorkflowPage.objects.count(), Group.objects.count())
    ensure_site_tree()
    ensure_site_tree()
    assert (
        GroupPagePermission.objects.count(),
        WorkflowPage.objects.count(),
        Group.objects.count(),
    ) == before


# --- CrossReviewTask -------------------------------------------------------------------------


@pytest.fixture
def task() -> CrossReviewTask:
    return CrossReviewTask.objects.get()


def member_of(username, *slugs, committee=False, **fields):
    user = member(username, committee=committee)
    for slug in slugs:
        user.groups.add(Association.objects.get(slug=slug).editors_group)
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    return user


def submit(page, submitter):
    """Submit `page` to its workflow as `submitter` (what the admin's "Soumettre" does)."""
    page.save_revision(user=submitter)
    page.get_workflow().start(page, submitter)
    page.refresh_from_db()
    return page.current_workflow_task_state


@pytest.mark.parametrize(
    ("submitter_of", "reviewer_of", "expected"),
    [
        (["la-traverse"], ["solucracy"], True),
        (["la-traverse"], ["la-traverse"], False),  # same association
        (["react", "la-traverse"], ["la-traverse"], False),  # shared through one of several
        (["react", "la-traverse"], ["react"], False),
        (["react", "la-traverse"], ["solucracy"], True),
        (["react"], ["resiliere", "react"], False),  # reviewer in two associations
        (["solucracy"], ["resiliere", "react"], True),
        ([], ["solucracy"], True),  # submitter with no association
        (["les-localos"], [], True),  # committee member with no association
    ],
)
def test_may_review_depends_on_shared_associations(task, submitter_of, reviewer_of, expected):
    submitter = member_of("auteur", *submitter_of)
    reviewer = member_of("relecteur", *reviewer_of, committee=True)
    assert task.may_review(submitted_by(submitter), reviewer) is expected


def test_nobody_reviews_their_own_submission(task):
    reviewer = member_of("relectrice", "solucracy", committee=True)
    assert not task.may_review(submitted_by(reviewer), reviewer)
    alone = member_of("sans-association", committee=True)
    assert not task.may_review(submitted_by(alone), alone)


def test_a_missing_submitter_cannot_be_reviewed(task):
    assert not task.may_review(submitted_by(None), member_of("relecteur", "react", committee=True))


def test_only_active_committee_members_and_superusers_review(task, django_user_model):
    submitter = member_of("auteur", "la-traverse")
    assert not task.may_review(
        submitted_by(submitter), member_of("editeur-react", "react")
    )  # not on the committee
    assert not task.may_review(submitted_by(submitter), member("administratrice", admin=True))
    assert not task.may_review(
        submitted_by(submitter), member_of("ancien", "react", committee=True, is_active=False)
    )
    superuser = django_user_model.objects.create_superuser("racine", "racine@example.org", "pw")
    assert task.may_review(submitted_by(submitter), superuser)
    superuser.groups.add(Association.objects.get(slug="la-traverse").editors_group)
    fresh = django_user_model.objects.get(pk=superuser.pk)  # association ids are cached per object
    assert not task.may_review(submitted_by(submitter), fresh)


@pytest.fixture
def method():
    return MethodPage.objects.get(slug="world-cafe")


def test_get_actions_are_offered_only_to_who_may_review(task, method):
    submitter = member_of("auteur", "la-traverse")
    submit(method, submitter)
    other = member_of("relecteur-solucracy", "solucracy", committee=True)
    actions = task.get_actions(method, other)
    assert [(name, str(label), modal) for name, label, modal in actions] == [
        ("reject", "Demander des modifications", True),
        ("approve", "Approuver et publier", False),
        ("approve", "Approuver avec un commentaire", True),
    ]
    assert task.get_actions(method, member_of("relecteur-traverse", "la-traverse", committee=True)) == []
    assert task.get_actions(method, submitter) == []
    assert task.get_actions(method, member_of("editeur-react", "react")) == []


def test_get_actions_of_a_page_not_in_review_is_empty(task, method):
    assert task.get_actions(method, member_of("relecteur", "react", committee=True)) == []


def test_reject_requires_a_comment(task, method):
    task_state = submit(method, member_of("auteur", "les-localos"))
    reviewer = member_of("relecteur", "react", committee=True)
    for comment in ("", "   \n"):
        with pytest.raises(PermissionDenied):
            task.on_action(task_state, reviewer, "reject", comment=comment)
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, reviewer, "reject")
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    task.on_action(task_state, reviewer, "reject", comment="Précisez la durée.")
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_REJECTED
    assert task_state.get_comment() == "Précisez la durée."


def test_on_action_refuses_who_may_not_review(task, method):
    task_state = submit(method, member_of("auteur", "la-traverse"))
    for user in (
        member_of("meme-association", "la-traverse", committee=True),
        member_of("editeur", "solucracy"),
        member("administratrice", admin=True),
    ):
        with pytest.raises(PermissionDenied):
            task.on_action(task_state, user, "approve")
    task_state.refresh_from_db()
    assert task_state.status == TaskState.STATUS_IN_PROGRESS
    method.refresh_from_db()
    assert method.workflow_in_progress


def test_approval_through_on_action_publishes(task, method):
    submitter = member_of("auteur", "la-traverse")
    method.summary = "Approuvé par une autre association."
    task_state = submit(method, submitter)
    task.on_action(task_state, member_of("relecteur", "solucracy", committee=True), "approve")
    method.refresh_from_db()
    assert not method.workflow_in_progress
    assert method.summary == "Approuvé par une autre association."
    assert method.current_workflow_state is None
    assert WorkflowState.objects.get(pk=task_state.workflow_state_id).status == WorkflowState.STATUS_APPROVED


def test_task_states_a_reviewer_may_moderate(task):
    methods = list(MethodPage.objects.live().order_by("pk")[:4])
    traverse = member_of("auteur-traverse", "la-traverse")
    both = member_of("auteur-double", "react", "solucracy")
    nobody = member_of("auteur-sans-association")
    committee_traverse = member_of("comite-traverse", "la-traverse", committee=True)
    states = {
        "traverse": submit(methods[0], traverse),
        "both": submit(methods[1], both),
        "nobody": submit(methods[2], nobody),
        "own": submit(methods[3], committee_traverse),
    }

    def moderated_by(user):
        ids = set(task.get_task_states_user_can_moderate(user).values_list("pk", flat=True))
        return {name for name, state in states.items() if state.pk in ids}

    assert moderated_by(committee_traverse) == {"both", "nobody"}  # not La Traverse's, not their own
    assert moderated_by(member_of("comite-react", "react", committee=True)) == {"traverse", "nobody", "own"}
    assert moderated_by(member_of("comite-solucracy", "solucracy", committee=True)) == {
        "traverse",
        "nobody",
        "own",
    }
    assert moderated_by(member_of("comite-deux", "resiliere", "la-traverse", committee=True)) == {
        "both",
        "nobody",
    }
    assert moderated_by(member_of("comite-libre", committee=True)) == set(states)
    assert moderated_by(member_of("comite-inactif", "resiliere", committee=True, is_active=False)) == set()
    assert moderated_by(member_of("editeur-resiliere", "resiliere")) == set()
    assert moderated_by(member("administratrice", admin=True)) == set()


def test_finished_task_states_are_not_to_moderate(task, method):
    task_state = submit(method, member_of("auteur", "la-traverse"))
    reviewer = member_of("relecteur", "react", committee=True)
    assert list(task.get_task_states_user_can_moderate(reviewer)) == [task_state]
    task.on_action(task_state, reviewer, "approve")
    assert not task.get_task_states_user_can_moderate(reviewer).exists()


# --- E-mails ---------------------------------------------------------------------------------


def recipients() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_a_submission_is_mailed_only_to_eligible_reviewers(method, django_user_model):
    member_of("comite-traverse", "la-traverse", committee=True)
    member_of("comite-double", "solucracy", "la-traverse", committee=True)
    member_of("comite-solucracy", "solucracy", committee=True)
    member_of("comite-react", "react", committee=True)
    member_of("comite-inactif", "resiliere", committee=True, is_active=False)
    member_of("editeur-localos", "les-localos")
    member("administratrice", admin=True)
    django_user_model.objects.create_superuser("racine", "racine@example.org", "pw")
    submitter = member_of("auteur-traverse", "la-traverse")
    mail.outbox.clear()

    submit(method, submitter)

    assert recipients() == {
        "comite-solucracy@example.org",
        "comite-react@example.org",
        "racine@example.org",  # superusers may review any association's submission
    }
    assert all(method.title in message.subject or method.title in message.body for message in mail.outbox)


def test_a_committee_members_submission_is_not_mailed_to_themself(method):
    submitter = member_of("comite-localos", "les-localos", committee=True)
    member_of("comite-react", "react", committee=True)
    mail.outbox.clear()
    submit(method, submitter)
    assert recipients() == {"comite-react@example.org"}


def test_approval_is_mailed_to_the_submitter(task, method):
    submitter = member_of("auteur", "la-traverse")
    task_state = submit(method, submitter)
    reviewer = member_of("relecteur", "solucracy", committee=True)
    mail.outbox.clear()
    task.on_action(task_state, reviewer, "approve")
    assert "auteur@example.org" in recipients()
    assert "relecteur@example.org" not in recipients()


def test_rejection_is_mailed_to_the_submitter_with_the_comment(task, method):
    submitter = member_of("auteur", "la-traverse")
    task_state = submit(method, submitter)
    reviewer = member_of("relecteur", "react", committee=True)
    mail.outbox.clear()
    task.on_action(task_state, reviewer, "reject", comment="Ajoutez un exemple concret, svp.")
    to_submitter = [message for message in mail.outbox if "auteur@example.org" in message.to]
    assert to_submitter
    assert any("Ajoutez un exemple concret, svp." in message.body for message in to_submitter)

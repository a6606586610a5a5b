"""The cross-review moderation task: another association's committee member approves a change.

A submission is approved only by a member of the Comité éditorial who belongs to none of the
associations of the person who submitted it, and never by that person. Rejecting requires a comment,
which the submitter sees. When the task is approved, Wagtail's workflow publishes the revision.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from wagtail.forms import TaskStateCommentForm
from wagtail.models import AbstractGroupApprovalTask, TaskState

WORKFLOW_NAME = "Relecture croisée"
TASK_NAME = "Relecture par une autre association"


class RequiredCommentForm(TaskStateCommentForm):
    """Asking for changes must say which ones."""

    comment = forms.CharField(
        label=_("Commentaire pour l'auteur ou l'autrice"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=True,
        error_messages={"required": _("Expliquez les modifications attendues.")},
    )


def association_ids_of(user) -> set[int]:
    """Ids of the associations whose editors' group `user` belongs to (cached on the user)."""
    from commons.models.association import Association

    if user is None or not user.pk:
        return set()
    if not hasattr(user, "_association_ids"):
        user._association_ids = set(Association.objects.of_user(user).values_list("pk", flat=True))
    return user._association_ids


class CrossReviewTask(AbstractGroupApprovalTask):
    """Approval by the chosen groups (the Comité éditorial), never by the submitter's associations."""

    class Meta:
        verbose_name = _("relecture croisée")
        verbose_name_plural = _("relectures croisées")

    @classmethod
    def get_description(cls):
        return _(
            "Un membre des groupes choisis (le comité éditorial) approuve, à condition de n'appartenir "
            "à aucune des associations de la personne qui a soumis la modification."
        )

    def is_reviewer(self, user) -> bool:
        return bool(user and user.is_active and (user.is_superuser or self._user_in_groups(user)))

    def may_review(self, task_state, user) -> bool:
        """Whether `user` may approve or reject the version under review in `task_state`.

        Neither the submitter nor the author of the version under review (a reviewer who edited
        during the review, say) may approve it, nor anyone sharing an association with them.
        """
        if not self.is_reviewer(user) or task_state is None:
            return False
        revision_author = task_state.revision.user if task_state.revision else None
        authors = [a for a in (task_state.workflow_state.requested_by, revision_author) if a is not None]
        if not authors or any(author.pk == user.pk for author in authors):
            return False
        return not any(association_ids_of(author) & association_ids_of(user) for author in authors)

    def get_actions(self, obj, user):
        if not self.may_review(obj.current_workflow_task_state, user):
            return []
        return [
            ("reject", _("Demander des modifications"), True),
            ("approve", _("Approuver et publier"), False),
            ("approve", _("Approuver avec un commentaire"), True),
        ]

    def get_form_for_action(self, action):
        return RequiredCommentForm if action == "reject" else TaskStateCommentForm

    def on_action(self, task_state, user, action_name, **kwargs):
        # The admin only offers allowed actions; this guards every other way in.
        if not self.may_review(task_state, user):
            raise PermissionDenied(_("Vous ne pouvez pas relire cette modification."))
        if action_name == "reject" and not str(kwargs.get("comment", "")).strip():
            raise PermissionDenied(_("Une demande de modifications doit être commentée."))
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        """The dashboard shows a reviewer only the submissions they may act on."""
        if not self.is_reviewer(user):
            return TaskState.objects.none()
        own = association_ids_of(user)
        return (
            self.task_states.filter(
                status=TaskState.STATUS_IN_PROGRESS, workflow_state__requested_by__isnull=False
            )
            .exclude(workflow_state__requested_by=user)
            .exclude(revision__user=user)
            .exclude(workflow_state__requested_by__groups__association__in=own)
            .exclude(revision__user__groups__association__in=own)
        )

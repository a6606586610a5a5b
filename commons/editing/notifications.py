"""E-mails of the cross-review: a submission goes only to the reviewers who may act on it."""

from wagtail.admin.mail import GroupApprovalTaskStateSubmissionEmailNotifier
from wagtail.models import TaskState
from wagtail.signals import task_submitted

from commons.editing.workflows import CrossReviewTask

# Wagtail connects its own notifier under this id and sender in wagtail.admin's ready(); the commons
# app is ready first, so ours takes the place (a second connect with the same id is ignored).
WAGTAIL_DISPATCH_UID = "group_approval_task_submitted_email_notification"


class ReviewSubmissionNotifier(GroupApprovalTaskStateSubmissionEmailNotifier):
    """Wagtail's group-approval e-mail, minus the members who may not review this submission."""

    def get_recipient_users(self, task_state, **kwargs):
        recipients = super().get_recipient_users(task_state, **kwargs)
        task = task_state.task.specific
        if not isinstance(task, CrossReviewTask):
            return recipients
        return {user for user in recipients.distinct() if task.may_review(task_state, user)}


review_submission_notifier = ReviewSubmissionNotifier()


def connect_review_notifications() -> None:
    task_submitted.connect(review_submission_notifier, sender=TaskState, dispatch_uid=WAGTAIL_DISPATCH_UID)

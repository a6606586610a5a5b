"""What happens when a cross-review ends (settings.WAGTAIL_FINISH_WORKFLOW_ACTION).

Kept apart from commons.editing.workflows: Wagtail imports this while its own models are still loading.
"""


def publish_approved_revision(workflow_state, user=None):
    """Publish what the cross-review approved.

    The approval is the permission: reviewers publish through the workflow only, so they need no
    "publish" right of their own and cannot publish anything directly.
    """
    workflow_state.content_object.get_latest_revision().publish(user=user, skip_permission_checks=True)

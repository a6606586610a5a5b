"""Who keeps the commons' roadmap and the self-assessment grid: the Comité éditorial and the
administrators (granted after each migrate)."""

from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

from wagtail.snippets.models import create_extra_permissions

from commons.editing.roles import ADMINISTRATORS, COMMITTEE

# The commons' roadmap and the self-assessment grid belong to the committee.
COMMITTEE_SNIPPETS = ("roadmapaction", "criterion")
COMMITTEE_PERMISSIONS = [
    f"{action}_{model}" for model in COMMITTEE_SNIPPETS for action in ("add", "change", "delete", "publish")
]


def grant_committee_permissions(sender, app_config=None, **kwargs) -> None:
    """post_migrate: Wagtail makes the snippet's "publish" permission then; it is granted here."""
    if app_config is None or app_config.label != "territories":
        return
    # The permissions themselves come from other post_migrate handlers, which may run after this one.
    using = kwargs.get("using", "default")
    create_permissions(app_config, verbosity=0, using=using)
    create_extra_permissions(app_config, using=using)
    permissions = Permission.objects.filter(
        content_type__app_label="territories", codename__in=COMMITTEE_PERMISSIONS
    )
    for group in Group.objects.filter(name__in=[COMMITTEE, ADMINISTRATORS]):
        group.permissions.add(*permissions)

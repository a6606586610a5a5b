"""Who may do what on the site's sections (the groups themselves come from a data migration)."""

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage

from commons.editing.workflows import WORKFLOW_NAME

COMMITTEE = "Comité éditorial"
ADMINISTRATORS = "Administrateurs"
EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
ADMIN_PAGE_PERMISSIONS = [
    "add_page",
    "change_page",
    "publish_page",
    "bulk_delete_page",
    "lock_page",
    "unlock_page",
]


def editing_groups():
    """The groups that write the commons: each association's editors and the Comité éditorial."""
    return Group.objects.filter(association__isnull=False) | Group.objects.filter(name=COMMITTEE)


def page_permissions(codenames: list[str]) -> list[Permission]:
    page_type = ContentType.objects.get_for_model(Page)
    return list(Permission.objects.filter(content_type=page_type, codename__in=codenames))


def grant(groups, page: Page, permissions: list[Permission]) -> None:
    for group in groups:
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


def ensure_sections(home: Page, sections: list[Page]) -> None:
    """Editors may add and edit in the three sections, under cross-review; administrators anywhere."""
    for section in sections:
        grant(editing_groups(), section, page_permissions(EDITOR_PAGE_PERMISSIONS))
    grant(Group.objects.filter(name=ADMINISTRATORS), home, page_permissions(ADMIN_PAGE_PERMISSIONS))
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        return
    for section in sections:
        WorkflowPage.objects.update_or_create(page=section, defaults={"workflow": workflow})

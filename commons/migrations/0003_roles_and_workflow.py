"""Roles and moderation of the commons, present in every fresh database.

One editors' group per partner association, the "Comité éditorial" and the "Administrateurs", with
their model and collection permissions, and the "Relecture croisée" workflow. Page-level grants and
the workflow's assignment to the three sections are made by `commons.editing.roles.ensure_sections`, which
runs after every migrate (the section pages are created there, with the site tree).
"""

from django.db import migrations

PARTNERS = [
    ("solucracy", "Solucracy"),
    ("react", "REACT"),
    ("resiliere", "Resiliere"),
    ("les-localos", "Les Localos"),
    ("la-traverse", "La Traverse"),
]
COMMITTEE = "Comité éditorial"
ADMINISTRATORS = "Administrateurs"
EDITING_COLLECTION_PERMISSIONS = [
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
]
ADMIN_COLLECTION_PERMISSIONS = [
    *EDITING_COLLECTION_PERMISSIONS,
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "delete_document"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "delete_image"),
    ("wagtailcore", "add_collection"),
    ("wagtailcore", "change_collection"),
    ("wagtailcore", "delete_collection"),
]
ADMIN_MODEL_APPS = {"auth", "commons", "taggit", "wagtailcore", "wagtailredirects", "wagtailusers"}


def create_all_permissions(apps):
    """Permissions are normally made after all migrations; this migration needs them now."""
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, apps=apps)


def permission(apps, app_label, codename):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def grant_collection_permissions(apps, group, permissions):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root = Collection.objects.filter(depth=1).first()
    if root is None:
        return
    for app_label, codename in permissions:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=root, permission=permission(apps, app_label, codename)
        )


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Association = apps.get_model("commons", "Association")
    Permission = apps.get_model("auth", "Permission")
    create_all_permissions(apps)
    access_admin = permission(apps, "wagtailadmin", "access_admin")

    editing_groups = []
    for order, (slug, name) in enumerate(PARTNERS, start=1):
        association, _ = Association.objects.get_or_create(slug=slug, defaults={"name": name, "sort_order": order})
        group, _ = Group.objects.get_or_create(name=f"{association.name} — éditeurs")
        association.editors_group = group
        association.save(update_fields=["editors_group"])
        editing_groups.append(group)
    committee, _ = Group.objects.get_or_create(name=COMMITTEE)
    editing_groups.append(committee)
    for group in editing_groups:
        group.permissions.add(access_admin)
        grant_collection_permissions(apps, group, EDITING_COLLECTION_PERMISSIONS)

    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    administrators.permissions.add(
        access_admin, *Permission.objects.filter(content_type__app_label__in=ADMIN_MODEL_APPS)
    )
    grant_collection_permissions(apps, administrators, ADMIN_COLLECTION_PERMISSIONS)

    # Wagtail's sample groups would grant publishing on the whole tree: remove them while unused,
    # with its sample workflow, which would be left with no one to approve.
    Group.objects.filter(name__in=["Editors", "Moderators"], user__isnull=True).delete()
    retire_reviewerless_workflows(apps)

    create_workflow(apps, committee)


def retire_reviewerless_workflows(apps):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    orphans = GroupApprovalTask.objects.filter(groups__isnull=True)
    for workflow in Workflow.objects.filter(workflow_tasks__task__in=orphans).distinct():
        WorkflowPage.objects.filter(workflow=workflow).delete()
        workflow.active = False
        workflow.save(update_fields=["active"])
    orphans.update(active=False)


def create_workflow(apps, committee):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    CrossReviewTask = apps.get_model("commons", "CrossReviewTask")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="commons", model="crossreviewtask")
    task = CrossReviewTask.objects.filter(name="Relecture par une autre association").first()
    if task is None:
        task = CrossReviewTask.objects.create(
            name="Relecture par une autre association", active=True, content_type=content_type
        )
    task.groups.add(committee)
    workflow, _ = Workflow.objects.get_or_create(name="Relecture croisée", defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})


class Migration(migrations.Migration):
    dependencies = [
        ("commons", "0002_cross_review_task"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CommonsConfig(AppConfig):
    name = "commons"
    verbose_name = "Communs des transitions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from commons.editing.notifications import connect_review_notifications
        from commons.speed.freshness import connect_freshness_signals

        post_migrate.connect(ensure_site_after_migrate, sender=self)
        connect_review_notifications()
        connect_freshness_signals()


def ensure_site_after_migrate(using="default", **kwargs):
    """Every migrated database gets the site tree, its sections, their permissions and workflow."""
    from django.db import connections

    from commons import fiche_types
    from commons.editing.site_tree import ensure_site_tree

    tables = set(connections[using].introspection.table_names())
    if {t.index_model._meta.db_table for t in fiche_types.fiche_types()} <= tables:
        ensure_site_tree()

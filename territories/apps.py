from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Snippets the public sees: publishing one changes public pages (the content generation).
SNIPPETS_SHOWN = ("RoadmapAction", "RoadmapFicheLink", "Criterion", "CriterionMethod")


class TerritoriesConfig(AppConfig):
    name = "territories"
    verbose_name = "Territoires"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Tell the core about territories, and show on each method the territories that used it."""
        from django.db.models.signals import post_migrate

        from commons import fiche_types
        from commons.fiche_types import AdminListing, FicheType, Section
        from commons.speed.freshness import track
        from territories.collections import CRITERIA, ROADMAP
        from territories.exchange import TERRITORY_FIELDS
        from territories.models.territory import method_provenance, territories_using, tool_provenance
        from territories.roles import grant_committee_permissions

        fiche_types.register(
            FicheType(
                kind="territories",
                model_label="territories.TerritoryPage",
                section=Section("territories.TerritoryIndexPage", "territoires", "Territoires"),
                listing=AdminListing("territoires", _("Territoires"), "site"),
                exchange=TERRITORY_FIELDS,
                association_relation="accompanying_associations",
            )
        )
        fiche_types.register_collection(ROADMAP)
        fiche_types.register_collection(CRITERIA)
        fiche_types.register_linked_list("methods.MethodPage", "territory_uses", territories_using)
        fiche_types.register_linked_list("methods.MethodPage", "provenance", method_provenance)
        fiche_types.register_linked_list("methods.ToolPage", "provenance", tool_provenance)
        track(*(self.get_model(name) for name in SNIPPETS_SHOWN))
        post_migrate.connect(grant_committee_permissions, dispatch_uid="territories-committee-permissions")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoriesConfig(AppConfig):
    name = "territories"
    verbose_name = "Territoires"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Tell the core about territories, and show on each method the territories that used it."""
        from commons import fiche_types
        from commons.fiche_types import AdminListing, FicheType, Section
        from territories.exchange import TERRITORY_FIELDS
        from territories.models import territories_using

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
        fiche_types.register_linked_list("methods.MethodPage", "territory_uses", territories_using)

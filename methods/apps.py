from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MethodsConfig(AppConfig):
    name = "methods"
    verbose_name = "Méthodes et outils"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Tell the core about methods and tools, and the facets of `/methodes/`."""
        from commons import fiche_types
        from commons.fiche_types import AdminListing, FicheType, Section
        from methods.exchange import METHOD_FIELDS, TOOL_FIELDS
        from methods.facets import FACETS

        fiche_types.register(
            FicheType(
                kind="methods",
                model_label="methods.MethodPage",
                section=Section("methods.MethodIndexPage", "methodes", "Méthodes et outils"),
                listing=AdminListing("methodes", _("Méthodes"), "list-ul"),
                exchange=METHOD_FIELDS,
                browse_key="methode",
                answers_questions=True,
            )
        )
        fiche_types.register(
            FicheType(
                kind="tools",
                model_label="methods.ToolPage",
                section=Section("methods.ToolIndexPage", "outils", "Outils"),
                listing=AdminListing("outils", _("Outils"), "cogs"),
                exchange=TOOL_FIELDS,
                browse_key="outil",
            )
        )
        fiche_types.register_facets(FACETS)

"""The commons' roadmap and the self-assessment grid in the admin: snippets the committee edits,
with drafts and revisions."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from territories.models import Criterion, RoadmapAction


class RoadmapActionViewSet(SnippetViewSet):
    model = RoadmapAction
    icon = "tasks"
    menu_label = "Feuille de route"
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["title", "status", "phase", "association", "date"]
    list_filter = ["status", "phase"]
    search_fields = ["title", "description"]


register_snippet(RoadmapActionViewSet)


class CriterionViewSet(SnippetViewSet):
    model = Criterion
    icon = "list-ol"
    menu_label = "Grille d'autodiagnostic"
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "question"]


register_snippet(CriterionViewSet)

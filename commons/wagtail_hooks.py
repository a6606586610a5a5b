"""Admin registration of the commons' snippets, grouped in one menu."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from commons.editing.admin_filters import FicheFilterSet
from commons.models import Association, Defi, Phase, Question, Theme
from methods.models import MethodPage, ToolPage
from territories.models import TerritoryPage


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class PhaseViewSet(SnippetViewSet):
    model = Phase
    icon = "list-ol"
    list_display = ["name", "slug", "sort_order"]


class DefiViewSet(SnippetViewSet):
    model = Defi
    icon = "flag"
    list_display = ["number", "name", "slug"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "parent", "slug"]
    list_filter = ["parent"]


class AssociationViewSet(SnippetViewSet):
    model = Association
    icon = "group"
    list_display = ["name", "departements", "website"]
    search_fields = ["name", "full_name"]


class CommonsViewSetGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, PhaseViewSet, DefiViewSet, ThemeViewSet, AssociationViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Classement et partenaires")
    menu_name = "commons"


register_snippet(CommonsViewSetGroup)


@hooks.register("insert_global_admin_css")
def markdown_editor_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))


class FicheListingViewSet(PageListingViewSet):
    filterset_class = FicheFilterSet
    add_to_admin_menu = False


class MethodListingViewSet(FicheListingViewSet):
    model = MethodPage
    icon = "list-ul"
    menu_label = _("Méthodes")
    name = "methodes"


class ToolListingViewSet(FicheListingViewSet):
    model = ToolPage
    icon = "cogs"
    menu_label = _("Outils")
    name = "outils"


class TerritoryListingViewSet(FicheListingViewSet):
    model = TerritoryPage
    icon = "site"
    menu_label = _("Territoires")
    name = "territoires"


class FicheListingGroup(ViewSetGroup):
    items = (MethodListingViewSet, ToolListingViewSet, TerritoryListingViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = _("Fiches")
    menu_name = "fiches"
    menu_order = 150


@hooks.register("register_admin_viewset")
def register_fiche_listings():
    return FicheListingGroup()

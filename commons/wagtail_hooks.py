"""Admin registration of the commons' snippets, grouped in one menu."""

from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from commons import fiche_types
from commons.editing.admin_filters import FicheFilterSet
from commons.models import Association, Defi, Phase, Question, Theme


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


def fiche_listing_viewset(fiche_type) -> FicheListingViewSet:
    """The admin listing of one registered fiche type, filtered by association, question, status."""
    listing = fiche_type.listing
    return FicheListingViewSet(
        listing.name, model=fiche_type.model, icon=listing.icon, menu_label=listing.label
    )


class FicheListingGroup(ViewSetGroup):
    """The "Fiches" menu: one listing per registered fiche type."""

    def __init__(self):
        self.items = tuple(fiche_listing_viewset(fiche_type) for fiche_type in fiche_types.fiche_types())
        super().__init__()

    menu_icon = "doc-full-inverse"
    menu_label = _("Fiches")
    menu_name = "fiches"
    menu_order = 150


@hooks.register("register_admin_viewset")
def register_fiche_listings():
    return FicheListingGroup()

"""The home page: the questions as entry points, search, latest fiches and the partners."""

from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from markdownx.models import MarkdownxField

from commons.listing import prefetch_cards
from commons.markdown import render_markdown
from commons.models.association import Association
from commons.models.fiche import markdown_panel
from commons.models.taxonomy import Question
from commons.visibility import CachedViewRestrictionsMixin, PublicPageManager, pages

LATEST_FICHES_COUNT = 6


class HomePage(CachedViewRestrictionsMixin, Page):
    """Root of the public site."""

    tagline = models.CharField(_("accroche"), max_length=250, blank=True)
    intro = MarkdownxField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("tagline"), markdown_panel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    objects = PublicPageManager()

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(
            intro_html=render_markdown(self.intro),
            questions=questions_with_method_counts(),
            latest_fiches=latest_fiches(),
            associations=Association.objects.all(),
        )
        return context


def questions_with_method_counts():
    """Every question with the number of live methods that answer it (one query)."""
    # Meta.ordering does not apply to aggregating queries: order explicitly.
    return Question.objects.annotate(
        method_count=Count("methodpages", filter=Q(methodpages__live=True), distinct=True)
    ).order_by("sort_order", "name")


def latest_fiches(limit: int = LATEST_FICHES_COUNT):
    """The most recently published fiches of every kind (two queries whatever the kinds)."""
    from methods.models import MethodPage, ToolPage
    from territories.models import TerritoryPage

    fiches = (
        pages()
        .live()
        .public()
        .type(MethodPage, ToolPage, TerritoryPage)
        .order_by("-last_published_at")
        .specific()[:limit]
    )
    return prefetch_cards(fiches)

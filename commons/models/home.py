"""The home page: the questions as entry points, search, latest fiches and the partners."""

from copy import copy

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from markdownx.models import MarkdownxField

from commons import fiche_types
from commons.models.fiche import markdown_panel
from commons.rendering.markdown import render_markdown
from commons.speed import bitmaps
from commons.speed.listing import prefetch_cards
from commons.speed.visibility import CachedPageMixin, PublicPageManager, pages
from commons.speed.vocabulary import vocabulary

LATEST_FICHES_COUNT = 6


class HomePage(CachedPageMixin, Page):
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
            associations=list(vocabulary().associations.values()),
        )
        return context


def questions_with_method_counts() -> list:
    """Every question with the number of live public fiches that answer it (`method_count`: the
    type registered as answering questions, the methods), from the browse index (no query once the
    index is built), so the counts always agree with `/methodes/`."""
    index = bitmaps.facet_index()
    answering = fiche_types.question_type()
    of_type = index.bitmap("type", answering.browse_key) if answering else 0
    questions = [copy(question) for question in vocabulary().questions.values()]  # shared: copies
    for question in questions:
        question.method_count = (index.bitmap("question", str(question.pk)) & of_type).bit_count()
    return questions


def latest_fiches(limit: int = LATEST_FICHES_COUNT):
    """The most recently published fiches of every kind (two queries whatever the kinds)."""
    fiches = pages().live_public().type(*fiche_types.fiche_models()).order_by("-last_published_at")
    return prefetch_cards(fiches.specific()[:limit])

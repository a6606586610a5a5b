"""The abstract index page: one per kind of fiche, right under the home page."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from commons.speed.listing import paginate
from commons.speed.visibility import CachedPageMixin, PublicPageManager


class IndexPage(CachedPageMixin, Page):
    """The index of one kind of fiche; lists 20 a page what `listed_fiches` returns, if anything."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["commons.HomePage"]
    max_count = 1
    objects = PublicPageManager()

    class Meta:
        abstract = True

    def listed_fiches(self):
        """The queryset of fiches this index lists, or None when it lists them its own way."""
        return None

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        fiches = self.listed_fiches()
        if fiches is not None:
            context["fiches"] = paginate(fiches, request.GET.get("page"))
        return context

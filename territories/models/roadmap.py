"""The commons' own roadmap (`/feuille-de-route/`): actions the committee follows, as snippets.

An action is a draft until it is published, and each save is a revision (Wagtail's
`DraftStateMixin` and `RevisionMixin`): the public board shows live actions only, as they were
last published.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, PageChooserPanel
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin
from wagtail.search import index

from territories.models.case_study import FICHE_TYPES, ActionStatus, optional_association


class RoadmapPhase(models.TextChoices):
    """The three phases of the commons' calendar (appel à communs, axe 3)."""

    CAPITALISATION = "capitalisation", _("Phase 1 — Capitalisation (janvier à juin 2024)")
    CONSTRUCTION = (
        "construction",
        _("Phase 2 — Construire le commun et sa gouvernance (juin à décembre 2024)"),
    )
    DIFFUSION = "diffusion", _("Phase 3 — Diffusion (janvier à juin 2025)")


class RoadmapAction(DraftStateMixin, RevisionMixin, index.Indexed, ClusterableModel):
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("état"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.TODO
    )
    phase = models.CharField(_("phase"), max_length=20, choices=RoadmapPhase.choices, blank=True)
    association = optional_association("roadmap_actions")
    date = models.DateField(_("échéance ou date"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("status")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("phase"), FieldPanel("association"), FieldPanel("date")]),
        FieldPanel("sort_order"),
        InlinePanel("fiche_links", label=_("fiche"), heading=_("Fiches liées")),
    ]
    search_fields = [index.SearchField("title"), index.SearchField("description")]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("action de la feuille de route")
        verbose_name_plural = _("feuille de route")

    def __str__(self) -> str:
        return self.title


class RoadmapFicheLink(Orderable):
    """A fiche a roadmap action concerns (the grid, a podcast's tool…)."""

    action = ParentalKey(RoadmapAction, related_name="fiche_links", on_delete=models.CASCADE)
    fiche = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("fiche"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("fiche", page_type=FICHE_TYPES)]

    class Meta(Orderable.Meta):
        verbose_name = _("fiche liée")
        verbose_name_plural = _("fiches liées")

"""What a case study records besides its facts: the methods used there and by whom, the projects
born of the dynamic, and the follow-up of its actions (shown as a three-column board)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, PageChooserPanel
from wagtail.models import Orderable

FICHE_TYPES = ["methods.MethodPage", "methods.ToolPage", "territories.TerritoryPage"]


ASSOCIATION = _("association")


def optional_association(related_name: str, verbose_name=ASSOCIATION):
    """A link to a partner association, optional, emptied if the association is ever deleted."""
    return models.ForeignKey(
        "commons.Association",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name=related_name,
    )


class ActionStatus(models.TextChoices):
    """The columns of an actions board, as in the commons' wiki page ("Suivi des actions")."""

    TODO = "a_faire", _("À faire")
    DOING = "en_cours", _("En cours")
    DONE = "fait", _("Fait")


class ProjectStatus(models.TextChoices):
    IDEA = "idee", _("Idée")
    ONGOING = "en_cours", _("En cours")
    DONE = "realise", _("Réalisé")
    ABANDONED = "abandonne", _("Abandonné")


class MethodUse(Orderable):
    """A method used on a territory: which association ran it, when, how it went, what to change."""

    page = ParentalKey("territories.TerritoryPage", related_name="method_uses", on_delete=models.CASCADE)
    method = models.ForeignKey(
        "methods.MethodPage", verbose_name=_("méthode"), on_delete=models.CASCADE, related_name="uses"
    )
    association = optional_association("method_uses", _("association qui l'a menée"))
    period = models.CharField(
        _("période"), max_length=100, blank=True, help_text=_("Par exemple : 2022, ou 2018–2019.")
    )
    how_it_went = models.TextField(_("comment cela s'est passé"), blank=True)
    would_do_differently = models.TextField(_("ce que nous ferions autrement"), blank=True)

    panels = [
        FieldPanel("method"),
        FieldRowPanel([FieldPanel("association"), FieldPanel("period")]),
        FieldPanel("how_it_went"),
        FieldPanel("would_do_differently"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("méthode mise en œuvre")
        verbose_name_plural = _("méthodes mises en œuvre")

    @property
    def provenance(self) -> str:
        """ "Solucracy, 2022": who ran the method here, and when (either may be missing)."""
        parts = [self.association.name if self.association_id else "", self.period]
        return ", ".join(part for part in parts if part)


class TerritoryProject(Orderable):
    """A project born of the dynamic on the territory, optionally described by a fiche."""

    page = ParentalKey("territories.TerritoryPage", related_name="projects", on_delete=models.CASCADE)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("état"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.IDEA
    )
    fiche = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("fiche liée"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("status")]),
        FieldPanel("description"),
        PageChooserPanel("fiche", page_type=FICHE_TYPES),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("projet né de la démarche")
        verbose_name_plural = _("projets nés de la démarche")


class TerritoryAction(Orderable):
    """One action followed on the territory: to do, ongoing or done."""

    page = ParentalKey("territories.TerritoryPage", related_name="actions", on_delete=models.CASCADE)
    title = models.CharField(_("action"), max_length=200)
    status = models.CharField(
        _("état"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.TODO
    )
    association = optional_association("territory_actions")
    date = models.DateField(_("date"), null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("status")]),
        FieldRowPanel([FieldPanel("association"), FieldPanel("date")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("action suivie")
        verbose_name_plural = _("suivi des actions")

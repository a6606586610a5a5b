"""The shared self-assessment grid ("grille d'auto-évaluation commune"): its criteria, each with
four described levels and the methods that help progress on it, edited by the committee as
snippets with drafts and revisions; and the diagnostics a territory recorded over time."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin

from territories.assessment import grid, parse_answers

LEVELS = (0, 1, 2, 3)


class Criterion(DraftStateMixin, RevisionMixin, ClusterableModel):
    slug = models.SlugField(
        _("identifiant"),
        max_length=60,
        unique=True,
        help_text=_("Le nom du critère dans l'adresse du résultat."),
    )
    name = models.CharField(_("critère"), max_length=120)
    question = models.CharField(_("question posée"), max_length=255)
    level_0 = models.TextField(_("niveau 0"))
    level_1 = models.TextField(_("niveau 1"))
    level_2 = models.TextField(_("niveau 2"))
    level_3 = models.TextField(_("niveau 3"))
    sort_order = models.PositiveIntegerField(_("ordre"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("question"),
        MultiFieldPanel(
            [FieldPanel("level_0"), FieldPanel("level_1"), FieldPanel("level_2"), FieldPanel("level_3")],
            heading=_("Les quatre niveaux, du plus fragile au plus solide"),
        ),
        FieldPanel("sort_order"),
        InlinePanel("method_links", label=_("méthode"), heading=_("Méthodes pour progresser")),
    ]

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("critère d'autodiagnostic")
        verbose_name_plural = _("grille d'autodiagnostic")

    def __str__(self) -> str:
        return self.name

    @property
    def levels(self) -> list[tuple[int, str]]:
        return [(level, getattr(self, f"level_{level}")) for level in LEVELS]


class CriterionMethod(Orderable):
    criterion = ParentalKey(Criterion, related_name="method_links", on_delete=models.CASCADE)
    method = models.ForeignKey(
        "methods.MethodPage", verbose_name=_("méthode"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("method")]

    class Meta(Orderable.Meta):
        verbose_name = _("méthode pour progresser")
        verbose_name_plural = _("méthodes pour progresser")


class TerritoryDiagnostic(Orderable):
    """A diagnostic recorded on a territory: its date and its answers, as the result's address
    gives them (`connaissance=2&habitants=1…`: paste the address of the result page)."""

    page = ParentalKey("territories.TerritoryPage", related_name="diagnostics", on_delete=models.CASCADE)
    date = models.DateField(_("date"))
    answers = models.CharField(
        _("réponses"),
        max_length=1000,
        help_text=_("L'adresse de la page de résultat de l'autodiagnostic, ou ce qui suit son « ? »."),
    )

    panels = [FieldPanel("date"), FieldPanel("answers")]

    class Meta(Orderable.Meta):
        verbose_name = _("autodiagnostic")
        verbose_name_plural = _("autodiagnostics")

    def clean(self) -> None:
        self.answers = self.answers.strip().rpartition("?")[2]
        errors = parse_answers(grid(), self.answers).errors
        if errors:
            raise ValidationError({"answers": [str(error) for error in errors.values()]})

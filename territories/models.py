"""Territories: case studies of the commons, with the methods used there."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from commons.models import Fiche, IndexPage
from commons.speed.listing import in_list_order, linkable
from methods.models import MethodPage
from territories.related import KIND, territory_index


class TerritoryPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "territories.TerritoryPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class TerritoryPage(Fiche):
    """A territory where partners accompanied a collective dynamic (a case study)."""

    class Kind(models.TextChoices):
        COMMUNE = "commune", _("Commune")
        QUARTIER = "quartier", _("Quartier")
        INTERCOMMUNALITE = "intercommunalite", _("Intercommunalité")
        PAYS = "pays", _("Pays ou bassin de vie")

    kind = models.CharField(
        _("type de territoire"), max_length=20, choices=Kind.choices, default=Kind.COMMUNE
    )
    insee_code = models.CharField(
        _("code officiel"),
        max_length=12,
        blank=True,
        help_text=_("Code INSEE de la commune, ou numéro SIREN pour une intercommunalité."),
    )
    departement = models.CharField(_("département"), max_length=100, blank=True)
    region = models.CharField(_("région"), max_length=100, blank=True)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("année du recensement"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    period = models.CharField(
        _("période d'accompagnement"), max_length=100, blank=True, help_text=_("Par exemple : 2018–2019.")
    )
    accompanying_associations = ParentalManyToManyField(
        "commons.Association",
        verbose_name=_("associations accompagnatrices"),
        blank=True,
        related_name="accompanied_territories",
    )
    tags = ClusterTaggableManager(through=TerritoryPageTag, blank=True, verbose_name=_("mots-clés"))

    content_panels = [
        *Fiche.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("insee_code")]),
                FieldRowPanel([FieldPanel("departement"), FieldPanel("region")]),
                FieldRowPanel([FieldPanel("population"), FieldPanel("population_year")]),
                FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
                FieldPanel("period"),
                FieldPanel("accompanying_associations"),
            ],
            heading=_("Le territoire"),
        ),
        InlinePanel("method_uses", label=_("méthode utilisée"), heading=_("Méthodes utilisées")),
        *Fiche.taxonomy_panels,
    ]
    shown_relations = (*Fiche.shown_relations, "accompanying_associations")
    search_fields = [*Fiche.search_fields, index.SearchField("departement"), index.SearchField("region")]
    parent_page_types = ["territories.TerritoryIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")

    related_facets = {"question": "questions"}
    fiche_type = KIND

    def related_index(self):
        return territory_index()

    def linked_querysets(self, page_id, related_ids=()) -> dict:
        """Besides its related territories, a territory shows the methods used there, in the
        editors' order, each with how it went."""
        used = MethodPage.objects.live_public().filter(uses__page_id=page_id)
        return {
            **super().linked_querysets(page_id, related_ids),
            "method_uses": linkable(used, note=F("uses__how_it_went"), position=F("uses__sort_order")),
        }

    def lists_held_in_memory(self) -> dict:
        """A preview or a past version shows its own uses, with the live public methods."""
        uses = list(self.method_uses.all())
        shown = (
            MethodPage.objects.live_public()
            .only("title", "url_path")
            .in_bulk([use.method_id for use in uses])
        )
        rows = [
            (method.pk, method.title, method.url_path, "", use.how_it_went, use.sort_order or 0)
            for use in uses
            if (method := shown.get(use.method_id))
        ]
        return {"method_uses": in_list_order(rows)}


class MethodUse(Orderable):
    """A method used on a territory, and how it went there."""

    page = ParentalKey(TerritoryPage, related_name="method_uses", on_delete=models.CASCADE)
    method = models.ForeignKey(
        "methods.MethodPage", verbose_name=_("méthode"), on_delete=models.CASCADE, related_name="uses"
    )
    how_it_went = models.TextField(_("comment cela s'est passé"), blank=True)

    panels = [FieldPanel("method"), FieldPanel("how_it_went")]

    class Meta(Orderable.Meta):
        verbose_name = _("méthode utilisée")
        verbose_name_plural = _("méthodes utilisées")


class TerritoryIndexPage(IndexPage):
    """`/territoires/`: the case studies."""

    subpage_types = ["territories.TerritoryPage"]

    class Meta:
        verbose_name = _("index des territoires")

    def listed_fiches(self):
        return (
            TerritoryPage.objects.live_public()
            .order_by("title")
            .prefetch_related("accompanying_associations")
        )


def territories_using(method_id):
    """The territories where a method was used, with how it went there (a list on method pages)."""
    used_on = TerritoryPage.objects.live_public().filter(method_uses__method_id=method_id)
    return linkable(used_on, note=F("method_uses__how_it_went"))

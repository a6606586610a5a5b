"""Territories: case studies of the commons, with the methods used there, the projects born there,
the follow-up of their actions and what was learned."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Coalesce, Concat
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.search import index

from markdownx.models import MarkdownxField
from rest_framework.fields import FloatField

from commons.api.fields import TERM_ATTRIBUTES, ChildRowsField, TermsField
from commons.models import Fiche, IndexPage
from commons.rendering.markdown import render_markdown
from commons.speed.freshness import per_generation
from commons.speed.listing import LinkedFiche, in_list_order, linkable, paginate
from commons.speed.visibility import page_url, pages
from methods.models import MethodPage
from territories.assessment import diagnostics_over_time
from territories.atlas import atlas
from territories.board import actions_board
from territories.filters import choices, filtered, select
from territories.related import KIND, territory_index

# A second Markdown field on the same page: its ids must not meet the body's.
LESSONS_ID_PREFIX = "fiche-enseignements-"


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
    lessons = MarkdownxField(
        _("enseignements"),
        blank=True,
        help_text=_("En Markdown : ce que la démarche a appris, ce qui a marché, ce qui n'a pas marché."),
    )
    lessons_html = models.TextField(_("enseignements rendus"), blank=True, editable=False)

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
        InlinePanel("method_uses", label=_("méthode"), heading=_("Méthodes mises en œuvre")),
        InlinePanel("projects", label=_("projet"), heading=_("Projets nés de la démarche")),
        InlinePanel("actions", label=_("action"), heading=_("Suivi des actions")),
        FieldPanel("lessons"),
        InlinePanel("diagnostics", label=_("autodiagnostic"), heading=_("Autodiagnostics au fil du temps")),
        *Fiche.taxonomy_panels,
    ]
    shown_relations = (*Fiche.shown_relations, "accompanying_associations")
    search_fields = [*Fiche.search_fields, index.SearchField("departement"), index.SearchField("region")]
    api_fields = [
        *Fiche.api_fields,
        *(APIField(name) for name in ("kind", "insee_code", "departement", "region", "population")),
        APIField("population_year"),
        APIField("latitude", serializer=FloatField(read_only=True)),
        APIField("longitude", serializer=FloatField(read_only=True)),
        APIField("period"),
        APIField("accompanying_associations", serializer=TermsField()),
        APIField("lessons"),
        APIField("lessons_html"),
        APIField(
            "method_uses",
            serializer=ChildRowsField(
                ("period", "how_it_went", "would_do_differently"),
                {"association": TERM_ATTRIBUTES},
                page="method",
                page_required=True,
            ),
        ),
        APIField("projects", serializer=ChildRowsField(("title", "description", "status"), page="fiche")),
        APIField(
            "actions",
            serializer=ChildRowsField(("title", "status", "date"), {"association": TERM_ATTRIBUTES}),
        ),
    ]
    parent_page_types = ["territories.TerritoryIndexPage"]
    subpage_types: list[str] = []
    schema_org_type = "Place"  # with its coordinates (commons.opendata.jsonld)

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")

    related_facets = {"question": "questions"}
    fiche_type = KIND

    def related_index(self):
        return territory_index()

    def render_markdown_fields(self) -> None:
        super().render_markdown_fields()
        self.lessons_html = render_markdown(self.lessons, LESSONS_ID_PREFIX)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(self.case_study_context())
        return context

    def case_study_context(self) -> dict:
        """What the case study records besides its links: read once per content generation for a
        live page (five small queries), and from memory for a preview or a past version."""
        if self.has_links_in_memory():
            return self.read_case_study()
        return per_generation(f"case-study:{self.pk}", self.read_case_study)

    def read_case_study(self) -> dict:
        projects = list(self.projects.all())
        fiche_ids = [project.fiche_id for project in projects if project.fiche_id]
        shown = pages().live_public().filter(pk__in=fiche_ids).values_list("pk", "title", "url_path")
        linked = (
            {pk: LinkedFiche(pk, title, page_url(path)) for pk, title, path in shown} if fiche_ids else {}
        )
        uses = self.method_uses.select_related("association")
        return {
            # Who ran each method and what they would change, by method (the list itself, live and
            # public methods only, is `method_uses`).
            "use_details": {use.method_id: use for use in reversed(list(uses))},
            # A project links its fiche only while the public may see it.
            "projects": [(project, linked.get(project.fiche_id)) for project in projects],
            "board": actions_board(self.actions.select_related("association")),
            "diagnostics": diagnostics_over_time(list(self.diagnostics.all())),
        }

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


class TerritoryIndexPage(IndexPage):
    """`/territoires/`: the case studies, with filters (GET, combinable) and a map."""

    subpage_types = ["territories.TerritoryPage"]

    class Meta:
        verbose_name = _("index des territoires")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        current = atlas()
        selection = select(current, request.GET)
        context.update(
            territories=paginate(filtered(current, selection), request.GET.get("page")),
            filters=choices(current, selection),
            selection=selection,
            geojson_url="/territoires.geojson" + (f"?{query}" if (query := selection.query()) else ""),
        )
        return context


def territories_that_used(method_id):
    return TerritoryPage.objects.live_public().filter(method_uses__method_id=method_id)


def territories_using(method_id):
    """The territories where a method was used, with how it went there (a list on method pages)."""
    return linkable(territories_that_used(method_id), note=F("method_uses__how_it_went"))


def provenance_note():
    """ "Solucracy, 2022": the association that ran a method use and its period, as SQL."""
    association, period = F("method_uses__association__name"), F("method_uses__period")
    both = Q(method_uses__association__isnull=False) & ~Q(method_uses__period="")
    separator = Case(When(both, then=Value(", ")), default=Value(""))
    return Concat(Coalesce(association, Value("")), separator, period, output_field=CharField())


def method_provenance(method_id):
    """ "Éprouvée à Léaz (Solucracy, 2022)…": where a method was tried, by whom and when."""
    return linkable(territories_that_used(method_id), note=provenance_note())


def tool_provenance(tool_id):
    """Where a tool was tried: the territories of the methods that use it."""
    used_on = TerritoryPage.objects.live_public().filter(method_uses__method__tools=tool_id)
    return linkable(used_on, note=provenance_note()).distinct()

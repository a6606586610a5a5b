"""Methods and tools of the commons, and the index pages that list them."""

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.models import Orderable
from wagtail.search import index

from markdownx.models import MarkdownxField

from commons.api.fields import ChildRowsField, PublicPagesField, TermsField
from commons.models import Fiche, IndexPage, markdown_panel
from commons.rendering.markdown import render_markdown
from commons.speed.bitmaps import facet_index
from commons.speed.listing import linkable, read_linked
from methods.forms import ToolAdminForm

# A second Markdown field on the same page: its ids must not meet the body's.
CHANGELOG_ID_PREFIX = "fiche-notes-"


class MethodPageTag(TaggedItemBase):
    content_object = ParentalKey("methods.MethodPage", related_name="tagged_items", on_delete=models.CASCADE)


class ToolPageTag(TaggedItemBase):
    content_object = ParentalKey("methods.ToolPage", related_name="tagged_items", on_delete=models.CASCADE)


class IndexedFiche(Fiche):
    """A method or a tool: its related fiches are ranked on the facet index of `/methodes/`."""

    class Meta:
        abstract = True

    fiche_type = ""  # its value in the index's "type" facet
    related_facets = {"question": "questions", "phase": "phases", "tag": "tags"}

    def related_index(self):
        return facet_index()


class MethodPage(IndexedFiche):
    """A governance or participation method tested on real territories."""

    class Audience(models.TextChoices):
        ELUS = "elus", _("Élus et agents")
        HABITANTS = "habitants", _("Habitants")
        TOUS = "tous", _("Élus, habitants et acteurs locaux")
        JEUNES = "jeunes", _("Jeunes")
        ACCOMPAGNATEURS = "accompagnateurs", _("Accompagnateurs et animateurs")

    class Duration(models.TextChoices):
        UNDER_2H = "moins-2h", _("Moins de 2 heures")
        HALF_DAY = "demi-journee", _("Une demi-journée")
        DAY = "journee", _("Une journée")
        SESSIONS = "plusieurs-seances", _("Plusieurs séances")
        MONTHS = "plusieurs-mois", _("Plusieurs mois")

    class Difficulty(models.TextChoices):
        EASY = "facile", _("Facile")
        INTERMEDIATE = "intermediaire", _("Intermédiaire")
        ADVANCED = "avance", _("Avancée")

    class Cost(models.TextChoices):
        FREE = "gratuit", _("Gratuit")
        LOW = "faible", _("Faible")
        MEDIUM = "moyen", _("Moyen")
        HIGH = "eleve", _("Élevé")

    phases = ParentalManyToManyField(
        "commons.Phase", verbose_name=_("phases"), blank=True, related_name="methodpages"
    )
    audience = models.CharField(
        _("public visé"), max_length=20, choices=Audience.choices, default=Audience.TOUS
    )
    group_size_min = models.PositiveIntegerField(_("taille du groupe (min.)"), null=True, blank=True)
    group_size_max = models.PositiveIntegerField(_("taille du groupe (max.)"), null=True, blank=True)
    duration = models.CharField(
        _("durée"), max_length=20, choices=Duration.choices, blank=True, db_index=True
    )
    duration_detail = models.CharField(
        _("durée en détail"), max_length=200, blank=True, help_text=_("Par exemple : 3 tours de 20 à 30 min.")
    )
    difficulty = models.CharField(
        _("difficulté d'animation"), max_length=20, choices=Difficulty.choices, blank=True, db_index=True
    )
    cost = models.CharField(_("coût"), max_length=20, choices=Cost.choices, blank=True, db_index=True)
    materials = models.TextField(_("matériel"), blank=True)
    tools = ParentalManyToManyField(
        "methods.ToolPage", verbose_name=_("outils utilisés"), blank=True, related_name="methods"
    )
    tags = ClusterTaggableManager(through=MethodPageTag, blank=True, verbose_name=_("mots-clés"))

    content_panels = [
        *Fiche.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("phases", widget=forms.CheckboxSelectMultiple),
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("group_size_min"), FieldPanel("group_size_max")]),
                FieldRowPanel([FieldPanel("duration"), FieldPanel("duration_detail")]),
                FieldRowPanel([FieldPanel("difficulty"), FieldPanel("cost")]),
                FieldPanel("materials"),
                FieldPanel("tools"),
            ],
            heading=_("En pratique"),
        ),
        *Fiche.taxonomy_panels,
    ]
    search_fields = [*Fiche.search_fields, index.FilterField("duration")]
    api_fields = [
        *Fiche.api_fields,
        APIField("phases", serializer=TermsField()),
        *(
            APIField(name)
            for name in ("audience", "group_size_min", "group_size_max", "duration", "duration_detail")
        ),
        *(APIField(name) for name in ("difficulty", "cost", "materials")),
        APIField("tools", serializer=PublicPagesField()),
    ]
    shown_relations = (*Fiche.shown_relations, "phases")
    parent_page_types = ["methods.MethodIndexPage"]
    subpage_types: list[str] = []
    fiche_type = "methode"
    schema_org_type = "HowTo"

    class Meta:
        verbose_name = _("méthode")
        verbose_name_plural = _("méthodes")

    def linked_querysets(self, page_id, related_ids=()) -> dict:
        """Besides its related fiches, a method shows its tools (and what other apps add to it:
        the territories where it was used)."""
        tools = ToolPage.objects.live_public().filter(methods=page_id)
        return {**super().linked_querysets(page_id, related_ids), "tools": linkable(tools)}

    def lists_held_in_memory(self) -> dict:
        """A preview or a past version shows its own list of tools."""
        tools = ToolPage.objects.live_public().filter(pk__in=[tool.pk for tool in self.tools.all()])
        return {"tools": read_linked(linkable(tools))}

    @property
    def group_size_label(self) -> str:
        low, high = self.group_size_min, self.group_size_max
        if low and high:
            return _("de %(low)s à %(high)s personnes") % {"low": low, "high": high}
        if low:
            return _("à partir de %(low)s personnes") % {"low": low}
        if high:
            return _("jusqu'à %(high)s personnes") % {"high": high}
        return ""


class ToolPage(IndexedFiche):
    """A versioned artifact (grid, canvas, game, template) with downloadable files."""

    version = models.CharField(_("version"), max_length=20, default="1.0", help_text=_("Par exemple : 1.2"))
    changelog = MarkdownxField(_("notes de version"), blank=True)
    changelog_html = models.TextField(blank=True, editable=False)
    tags = ClusterTaggableManager(through=ToolPageTag, blank=True, verbose_name=_("mots-clés"))

    content_panels = [
        *Fiche.content_panels,
        MultiFieldPanel(
            [FieldPanel("version"), markdown_panel("changelog"), InlinePanel("files", label=_("fichier"))],
            heading=_("Version et fichiers"),
        ),
        *Fiche.taxonomy_panels,
    ]
    api_fields = [
        *Fiche.api_fields,
        *(APIField(name) for name in ("version", "changelog", "changelog_html")),
        APIField(
            "files", serializer=ChildRowsField(("display_title",), {"document": ("id", "title", "url")})
        ),
    ]
    parent_page_types = ["methods.ToolIndexPage"]
    subpage_types: list[str] = []
    fiche_type = "outil"
    base_form_class = ToolAdminForm

    class Meta:
        verbose_name = _("outil")
        verbose_name_plural = _("outils")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["files"] = self.files.select_related("document")
        return context

    def linked_querysets(self, page_id, related_ids=()) -> dict:
        """Besides its related tools, a tool shows the methods that use it."""
        methods = MethodPage.objects.live_public().filter(tools=page_id)
        return {**super().linked_querysets(page_id, related_ids), "methods": linkable(methods)}

    def render_markdown_fields(self) -> None:
        super().render_markdown_fields()
        self.changelog_html = render_markdown(self.changelog, CHANGELOG_ID_PREFIX)


class ToolFile(Orderable):
    """A downloadable file of a tool (a Wagtail document)."""

    page = ParentalKey(ToolPage, related_name="files", on_delete=models.CASCADE)
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(
        _("titre affiché"), max_length=200, blank=True, help_text=_("Par défaut, le titre du document.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("fichier de l'outil")
        verbose_name_plural = _("fichiers de l'outil")

    @property
    def display_title(self) -> str:
        return self.title or self.document.title


class MethodIndexPage(IndexPage):
    """`/methodes/`: methods and tools, browsed by question with facets and counts."""

    subpage_types = ["methods.MethodPage"]

    class Meta:
        verbose_name = _("index des méthodes")

    def get_context(self, request, *args, **kwargs):
        from methods.browse import browse_fiches

        context = super().get_context(request, *args, **kwargs)
        context["browse"] = browse_fiches(request.GET)
        return context


class ToolIndexPage(IndexPage):
    """`/outils/`: the tools."""

    subpage_types = ["methods.ToolPage"]

    class Meta:
        verbose_name = _("index des outils")

    def listed_fiches(self):
        return ToolPage.objects.live_public().order_by("title").prefetch_related("associations")

"""The shared vocabulary of the commons: questions, phases, défis and thèmes."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from markdownx.models import MarkdownxField

from commons.rendering.markdown import render_markdown
from commons.speed.reversing import slug_url


class TaxonomyTerm(index.Indexed, models.Model):
    """Base of every taxonomy: a named, slugged, ordered term with a Markdown description."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=100, unique=True)
    description = MarkdownxField(_("description"), blank=True)
    sort_order = models.PositiveIntegerField(_("ordre d'affichage"), default=0)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description"), FieldPanel("sort_order")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def description_html(self) -> str:
        return render_markdown(self.description)


class Question(TaxonomyTerm):
    """A question élus and citizens' groups ask: the entry point of the site."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def get_absolute_url(self) -> str:
        return slug_url("question_detail", self.slug)


class Phase(TaxonomyTerm):
    """A phase of a collective dynamic, from understanding the territory to lasting governance."""

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("phase")
        verbose_name_plural = _("phases")


class Defi(TaxonomyTerm):
    """One of the ten défis of the ADEME call for commons "Sobriété et Résilience"."""

    number = models.PositiveSmallIntegerField(_("numéro"), null=True, blank=True)

    panels = [FieldPanel("number"), *TaxonomyTerm.panels]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("défi")
        verbose_name_plural = _("défis")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}" if self.number else self.name


class Theme(TaxonomyTerm):
    """A thème in two levels, e.g. "Facteurs de résilience / Gouvernance"."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("thème parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        limit_choices_to={"parent__isnull": True},
        help_text=_("Laisser vide pour un thème de premier niveau."),
    )

    panels = [FieldPanel("parent"), *TaxonomyTerm.panels]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        # The parent is usually prefetched with select_related("parent") by listings.
        return f"{self.parent.name} / {self.name}" if self.parent_id else self.name

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.parent_id and self.parent.parent_id:
            raise ValidationError({"parent": _("Les thèmes n'ont que deux niveaux.")})
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Un thème ne peut pas être son propre parent.")})

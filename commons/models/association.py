"""The partner associations that write the commons together."""

from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from markdownx.models import MarkdownxField

from commons.rendering.markdown import render_markdown
from commons.speed.reversing import slug_url


class AssociationQuerySet(models.QuerySet):
    def of_user(self, user):
        """The associations whose editors' group `user` belongs to."""
        if user is None or not user.pk:
            return self.none()
        return self.filter(editors_group__user=user)


class Association(index.Indexed, models.Model):
    """A partner association; its editors' Django group ties users to it."""

    name = models.CharField(_("nom"), max_length=200)
    full_name = models.CharField(_("nom complet"), max_length=300, blank=True)
    slug = models.SlugField(_("identifiant d'URL"), max_length=100, unique=True)
    description = MarkdownxField(_("présentation"), blank=True)
    website = models.URLField(_("site web"), blank=True)
    departements = models.CharField(
        _("départements d'ancrage"), max_length=200, blank=True, help_text=_("Par exemple : Ain (01).")
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    editors_group = models.OneToOneField(
        Group,
        verbose_name=_("groupe des éditeurs"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="association",
    )
    sort_order = models.PositiveIntegerField(_("ordre d'affichage"), default=0)

    objects = AssociationQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("full_name"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("website"),
        FieldPanel("departements"),
        FieldPanel("logo"),
        FieldPanel("editors_group"),
        FieldPanel("sort_order"),
    ]
    search_fields = [
        index.SearchField("name", boost=10),
        index.SearchField("full_name", boost=2),
        index.SearchField("description"),
        index.SearchField("departements"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("association_detail", self.slug)

    @property
    def description_html(self) -> str:
        return render_markdown(self.description)

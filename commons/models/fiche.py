"""The abstract fiche: what methods, tools and territories share."""

from django import forms
from django.db import models
from django.template.response import TemplateResponse
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page
from wagtail.search import index

from markdownx.models import MarkdownxField
from markdownx.widgets import MarkdownxWidget

from commons import fiche_types, history
from commons.api.fields import TagNamesField, TermsField
from commons.rendering.markdown import render_markdown
from commons.speed import bitmaps, shortcuts
from commons.speed.listing import LinkedFiche, linkable, read_linked, read_linked_fiches, read_linked_together
from commons.speed.visibility import CachedPageMixin, PublicPageManager, public_variant
from commons.speed.vocabulary import in_order, page_term_ids, vocabulary


class License(models.TextChoices):
    """Creative Commons licences a fiche may carry; CC BY-SA 4.0 is the default of the commons."""

    CC_BY_SA_4 = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC_BY_4 = "CC-BY-4.0", "CC BY 4.0"
    CC_BY_NC_SA_4 = "CC-BY-NC-SA-4.0", "CC BY-NC-SA 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"


LICENSE_DEEDS = {
    License.CC_BY_SA_4: "https://creativecommons.org/licenses/by-sa/4.0/deed.fr",
    License.CC_BY_4: "https://creativecommons.org/licenses/by/4.0/deed.fr",
    License.CC_BY_NC_SA_4: "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.fr",
    License.CC0: "https://creativecommons.org/publicdomain/zero/1.0/deed.fr",
}
LICENSE_NAMES = {
    License.CC_BY_SA_4: _("Attribution – Partage dans les mêmes conditions 4.0 International"),
    License.CC_BY_4: _("Attribution 4.0 International"),
    License.CC_BY_NC_SA_4: _(
        "Attribution – Pas d'utilisation commerciale – Partage dans les mêmes conditions 4.0"
    ),
    License.CC0: _("Transfert dans le domaine public 1.0 universel"),
}


def markdown_panel(field_name: str, **kwargs) -> FieldPanel:
    """A Markdown field edited with django-markdownx's editor and live preview."""
    return FieldPanel(field_name, widget=MarkdownxWidget, **kwargs)


class FicheAdminForm(WagtailAdminPageForm):
    """Each edit starts with an empty change note, so a revision carries only its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "change_note" in self.fields and self.instance.pk:
            self.initial["change_note"] = ""


RELATED_LIMIT = 4  # related fiches shown at the foot of a fiche


class Fiche(CachedPageMixin, RoutablePageMixin, Page):
    """Abstract base of every fiche: summary, Markdown body, licence, taxonomy and partners.

    The body is rendered to sanitized HTML whenever the page is cleaned or saved, and the result is
    stored with the page, so each revision carries its own rendering and no request re-renders it.
    Its published versions are public under `historique/` (see `commons.history`).
    """

    summary = models.CharField(
        _("en bref"),
        max_length=300,
        help_text=_(
            "Un résumé de 300 caractères au plus, affiché dans les listes et les moteurs de recherche."
        ),
    )
    body = MarkdownxField(
        _("contenu"),
        blank=True,
        help_text=_("En Markdown. Utilisez des intertitres « ## » pour structurer la fiche."),
    )
    body_html = models.TextField(_("contenu rendu"), blank=True, editable=False)
    license = models.CharField(
        _("licence"), max_length=20, choices=License.choices, default=License.CC_BY_SA_4
    )
    associations = ParentalManyToManyField(
        "commons.Association",
        verbose_name=_("associations contributrices"),
        blank=True,
        related_name="%(class)s_contributions",
    )
    questions = ParentalManyToManyField(
        "commons.Question",
        verbose_name=_("questions auxquelles la fiche répond"),
        blank=True,
        related_name="%(class)ss",
    )
    defis = ParentalManyToManyField(
        "commons.Defi", verbose_name=_("défis"), blank=True, related_name="%(class)ss"
    )
    themes = ParentalManyToManyField(
        "commons.Theme", verbose_name=_("thèmes"), blank=True, related_name="%(class)ss"
    )
    change_note = models.CharField(
        _("résumé de la modification"),
        max_length=255,
        blank=True,
        help_text=_(
            "Ce qui change dans cette version, en une phrase (comme un résumé de modification de wiki). "
            "Il est public et figure dans l'historique de la fiche."
        ),
    )
    credits = models.TextField(
        _("crédits"),
        blank=True,
        help_text=_("Sources, auteurs et autrices extérieurs aux associations partenaires."),
    )

    # Boosts rank a word of the title above one of the summary, above one of the body (commons.search).
    search_fields = [
        *Page.search_fields,
        index.SearchField("title", boost=10),
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.AutocompleteField("title"),
        index.FilterField("license"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        markdown_panel("body"),
    ]
    # `/api/v2/pages/` (commons.api): what every fiche shares; each type adds its own.
    api_fields = [
        *(APIField(name) for name in ("summary", "body", "body_html", "license", "license_url", "credits")),
        APIField("associations", serializer=TermsField()),
        APIField("questions", serializer=TermsField()),
        APIField("defis", serializer=TermsField(("slug", "name", "number"))),
        APIField("themes", serializer=TermsField(with_parent=True)),
        APIField("tags", serializer=TagNamesField()),
    ]
    taxonomy_panels = [
        MultiFieldPanel(
            [
                FieldPanel("questions", widget=forms.CheckboxSelectMultiple),
                FieldPanel("defis", widget=forms.CheckboxSelectMultiple),
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading=_("Classement"),
        ),
        MultiFieldPanel(
            [FieldPanel("associations"), FieldPanel("license"), FieldPanel("credits")],
            heading=_("Contributions et licence"),
        ),
        FieldPanel("change_note"),
    ]
    base_form_class = FicheAdminForm
    # The many-to-many links the fiche page shows (each page type adds its own).
    shown_relations = ("associations", "questions", "defis", "themes", "tags")
    objects = PublicPageManager()
    schema_org_type = "CreativeWork"  # its JSON-LD type (commons.opendata.jsonld)

    class Meta:
        abstract = True

    def get_context(self, request, *args, shown_version=None, **kwargs):
        """The fiche's context; `shown_version` is the published version shown at `historique/<n>/`."""
        context = super().get_context(request, *args, **kwargs)
        # Cite the address the reader sees, whatever the Site record's hostname says.
        context["fiche_url"] = request.build_absolute_uri(self.url)
        taxonomy = self.taxonomy_context()
        context.update(taxonomy)
        context.update(self.linked_fiches(taxonomy=taxonomy))
        context.update(history.citation_context(self, request, shown_version, context["associations"]))
        context["viewing_version"] = shown_version
        return context

    @path("fiche.md/", name="fiche_file")  # served at `fiche.md` (commons.urls: no slash after a dot)
    def fiche_file_view(self, request):
        """The fiche in the exchange format (`commons.exchange.publishing`)."""
        from commons.exchange.publishing import fiche_file_response  # the exchange reads this module

        return fiche_file_response(self, request)

    @path("pdf/", name="pdf")
    def pdf_view(self, request):
        """The live fiche as an A4 PDF, rendered once per published revision (`commons.printing`)."""
        from commons.printing.pdf import fiche_pdf_response

        return fiche_pdf_response(self, request)

    @path("historique/", name="history")
    def history_view(self, request):
        """Every published version of the fiche, newest first."""
        return TemplateResponse(request, "commons/history.html", history.history_page_context(self, request))

    @path("historique/<int:number>/", name="history_version")
    def version_view(self, request, number):
        """Published version `number`, read-only, with the fiche's own template and a banner."""
        version = history.published_revision_or_404(self, number)
        shown = history.restore_version(self, version)
        context = shown.get_context(request, shown_version=version)
        return TemplateResponse(request, shown.get_template(request), context)

    @path("historique/<int:first>/<int:second>/", name="history_diff")
    def diff_view(self, request, first, second):
        """What changed between two published versions, older to newer."""
        context = history.diff_page_context(self, request, first, second)
        return TemplateResponse(request, "commons/history_diff.html", context)

    def taxonomy_context(self) -> dict:
        """The partners, taxonomy and tags the fiche shows, by relation name.

        Stored links are read in one query and resolved through the cached vocabulary; a preview or
        a past version carries its links in memory and is read through its relations instead.
        """
        if self.has_links_in_memory():
            return {relation: list(getattr(self, relation).all()) for relation in self.shown_relations}
        links, known = page_term_ids(self, self.shown_relations), vocabulary()
        return {
            relation: in_order(
                known.of(self._meta.get_field(relation).related_model), links.get((self.pk, relation), [])
            )
            for relation in self.shown_relations
        }

    def has_links_in_memory(self) -> bool:
        """True for a page rebuilt from a revision or a form (modelcluster keeps its links in memory)."""
        return self.pk is None or bool(getattr(self, "_cluster_related_objects", None))

    @property
    def breadcrumb_parent(self):
        """Title and URL of the section the fiche is in, from the cached vocabulary."""
        section = vocabulary().sections.get(self.path[: -self.steplen])
        return section or self.get_parent()

    @property
    def card_associations(self) -> list:
        """The contributing associations a card shows (set in bulk by `listing.prefetch_cards`)."""
        if not hasattr(self, "_card_associations"):
            self._card_associations = list(self.associations.all())
        return self._card_associations

    def clean(self) -> None:
        super().clean()
        self.render_markdown_fields()

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        return super().save(*args, **kwargs)

    def render_markdown_fields(self) -> None:
        """Store the sanitized HTML of every Markdown field next to its source."""
        self.body_html = render_markdown(self.body)

    def _get_FIELD_display(self, field) -> str:  # noqa: N802 - Django's name, behind get_<field>_display()
        # Django hashes every (value, label) pair of the field to find one label, which translates
        # every label; a method shows four of them: only the label shown is translated here.
        if not shortcuts.enabled("choice_labels"):
            return super()._get_FIELD_display(field)
        value = getattr(self, field.attname)
        return force_str(dict(field.flatchoices).get(value, value), strings_only=True)

    @property
    def license_label(self) -> str:
        return License(self.license).label

    @property
    def license_name(self) -> str:
        return LICENSE_NAMES[License(self.license)]

    @property
    def license_url(self) -> str:
        return LICENSE_DEEDS[License(self.license)]

    def related_fiches(self, limit: int = RELATED_LIMIT) -> list[LinkedFiche]:
        """Fiches of the same kind with the most in common with this one, best first."""
        return self.linked_fiches(limit)["related_fiches"]

    def linked_fiches(
        self, related_limit: int = RELATED_LIMIT, taxonomy=None
    ) -> dict[str, list[LinkedFiche]]:
        """The lists of fiches the page shows, by name: `related_fiches` and the lists of its type
        (`linked_querysets`: a method's tools and territories…), read in one query.

        Related fiches are ranked in memory on the type's index by the terms they share with this
        page (`related_ids`), the same rule for a live page, a draft and a preview. A preview or a
        past version reads its type's lists through the links it holds in memory (`linked_in_memory`).
        """
        ids = self.related_ids(related_limit, taxonomy)
        if self.has_links_in_memory():
            lists = self.linked_in_memory()
            lists["related_fiches"] = read_linked(self.public_fiches_of_this_type(ids)) if ids else []
        else:
            lists = read_linked_fiches(
                ("linked-fiches", self._meta.label, public_variant(), len(ids)),
                lambda page_id, *related: self.linked_querysets(page_id, related),
                self.pk,
                *ids,
            )
        rank = {page_id: n for n, page_id in enumerate(ids)}
        lists["related_fiches"] = sorted(lists.get("related_fiches", []), key=lambda fiche: rank[fiche.pk])
        return lists

    def linked_querysets(self, page_id, related_ids=()) -> dict:
        """The lists of fiches a page of this type shows, as querysets of `linkable` fiches, by name:
        its related fiches, the lists each type adds (at least one), and those other apps
        registered for it (`commons.fiche_types.register_linked_list`)."""
        lists = {"related_fiches": self.public_fiches_of_this_type(related_ids)} if related_ids else {}
        lists.update(
            (name, build(page_id)) for name, build in fiche_types.linked_lists_of(type(self)).items()
        )
        return lists

    def public_fiches_of_this_type(self, ids):
        return linkable(type(self).objects.live_public().filter(pk__in=ids))

    def linked_in_memory(self) -> dict[str, list[LinkedFiche]]:
        """The type's own lists for a page whose links are in memory (a preview, a past version):
        those it holds itself (`lists_held_in_memory`), the others read from the database."""
        held = self.lists_held_in_memory()
        querysets = self.linked_querysets(self.pk or 0)  # 0: no page, for a page never saved
        read = read_linked_together({name: qs for name, qs in querysets.items() if name not in held})
        return {name: held[name] if name in held else read[name] for name in querysets}

    def lists_held_in_memory(self) -> dict[str, list[LinkedFiche]]:
        """The lists whose links a preview or a past version holds itself (each type says which)."""
        return {}

    # The facets of the type's index a related fiche is ranked by, with the relation behind each.
    related_facets: dict[str, str] = {}
    fiche_type = ""  # the type's key in its index

    def related_index(self):
        """The bitmap index the type's related fiches are ranked on (each type says which)."""
        return None

    def related_ids(self, limit: int, taxonomy: dict | None = None) -> list[int]:
        """Ids of the related fiches, best first, from the page's terms: those of `taxonomy`
        (`taxonomy_context`) or, for a live page, those the index holds for it (no query)."""
        index = self.related_index()
        if index is None:
            return []
        if taxonomy is None and not self.has_links_in_memory() and self.pk in index.positions:
            keys = index.keys_of_page(self.pk, self.related_facets)
        else:
            taxonomy = self.taxonomy_context() if taxonomy is None else taxonomy
            keys = [
                (facet, str(term.pk))
                for facet, relation in self.related_facets.items()
                for term in taxonomy.get(relation, [])
            ]
        return bitmaps.related_ids(index, self.pk, self.fiche_type, limit, keys)

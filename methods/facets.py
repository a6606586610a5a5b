"""The facets of `/methodes/`: what methods and tools are filtered by (registered with the core,
which builds its bitmap index over them, in `methods.apps`)."""

from django.utils.translation import gettext_lazy as _

from taggit.models import Tag

from commons.models import Association, Defi, Phase, Question, Theme
from commons.speed.bitmaps import Facet, SizeBand
from methods.models import MethodPage

GROUP_SIZE_BANDS = (
    SizeBand("moins-de-12", _("Moins de 12 personnes"), 1, 11),
    SizeBand("12-a-30", _("De 12 à 30 personnes"), 12, 30),
    SizeBand("30-a-100", _("De 30 à 100 personnes"), 30, 100),
    SizeBand("plus-de-100", _("Plus de 100 personnes"), 101),
)


FACETS = [
    Facet("type", _("Type de fiche"), choices=(("methode", _("Méthode")), ("outil", _("Outil")))),
    Facet("question", _("Question"), relation="questions", term_model=Question),
    Facet("phase", _("Phase"), relation="phases", term_model=Phase, models=(MethodPage,)),
    Facet(
        "duree",
        _("Durée"),
        models=(MethodPage,),
        choice_field="duration",
        choices=tuple(MethodPage.Duration.choices),
    ),
    Facet(
        "taille",
        _("Taille du groupe"),
        models=(MethodPage,),
        bands=GROUP_SIZE_BANDS,
        band_fields=("group_size_min", "group_size_max"),
        choices=tuple((band.value, band.label) for band in GROUP_SIZE_BANDS),
    ),
    Facet(
        "difficulte",
        _("Difficulté"),
        models=(MethodPage,),
        choice_field="difficulty",
        choices=tuple(MethodPage.Difficulty.choices),
    ),
    Facet(
        "cout", _("Coût"), models=(MethodPage,), choice_field="cost", choices=tuple(MethodPage.Cost.choices)
    ),
    Facet(
        "public",
        _("Public visé"),
        models=(MethodPage,),
        choice_field="audience",
        choices=tuple(MethodPage.Audience.choices),
    ),
    Facet("defi", _("Défi"), relation="defis", term_model=Defi),
    Facet("theme", _("Thème"), relation="themes", term_model=Theme, hierarchical=True),
    Facet("tag", _("Mot-clé"), relation="tags", term_model=Tag),
    Facet("association", _("Association"), relation="associations", term_model=Association),
]

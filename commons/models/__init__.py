"""Models of the shared core: home page, associations, taxonomy and the abstract fiche."""

from commons.editing.workflows import CrossReviewTask
from commons.models.association import Association
from commons.models.fiche import LICENSE_DEEDS, Fiche, License, markdown_panel
from commons.models.home import HomePage
from commons.models.index import IndexPage
from commons.models.taxonomy import Defi, Phase, Question, TaxonomyTerm, Theme

__all__ = [
    "LICENSE_DEEDS",
    "Association",
    "CrossReviewTask",
    "Defi",
    "Fiche",
    "HomePage",
    "IndexPage",
    "License",
    "Phase",
    "Question",
    "TaxonomyTerm",
    "Theme",
    "markdown_panel",
]

"""Factories for every model of the commons (a meta-test checks each page type has one)."""

from django.utils.text import slugify

import factory
import wagtail_factories

from commons.models import Association, Defi, HomePage, Phase, Question, Theme
from methods.models import MethodIndexPage, MethodPage, ToolIndexPage, ToolPage
from territories.models import TerritoryIndexPage, TerritoryPage


class TermFactory(factory.django.DjangoModelFactory):
    name = factory.Faker("sentence", nb_words=3, locale="fr_FR")
    slug = factory.LazyAttributeSequence(lambda term, n: f"{slugify(term.name)[:80]}-{n}")
    description = factory.Faker("paragraph", locale="fr_FR")

    class Meta:
        abstract = True


class QuestionFactory(TermFactory):
    class Meta:
        model = Question


class PhaseFactory(TermFactory):
    sort_order = factory.Sequence(int)

    class Meta:
        model = Phase


class DefiFactory(TermFactory):
    number = factory.Sequence(lambda n: n + 1)

    class Meta:
        model = Defi


class ThemeFactory(TermFactory):
    class Meta:
        model = Theme


class AssociationFactory(factory.django.DjangoModelFactory):
    name = factory.Faker("company", locale="fr_FR")
    slug = factory.LazyAttributeSequence(lambda a, n: f"{slugify(a.name)[:80]}-{n}")
    description = factory.Faker("paragraph", locale="fr_FR")

    class Meta:
        model = Association


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Communs des transitions"

    class Meta:
        model = HomePage


class MethodIndexPageFactory(wagtail_factories.PageFactory):
    title = "Méthodes et outils"
    slug = "methodes"

    class Meta:
        model = MethodIndexPage


class ToolIndexPageFactory(wagtail_factories.PageFactory):
    title = "Outils"
    slug = "outils"

    class Meta:
        model = ToolIndexPage


class TerritoryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Territoires"
    slug = "territoires"

    class Meta:
        model = TerritoryIndexPage


class FicheFactory(wagtail_factories.PageFactory):
    title = factory.Faker("sentence", nb_words=4, locale="fr_FR")
    slug = factory.LazyAttributeSequence(lambda page, n: f"{slugify(page.title)[:60]}-{n}")
    summary = factory.Faker("text", max_nb_chars=200, locale="fr_FR")
    body = factory.Faker("paragraph", nb_sentences=8, locale="fr_FR")

    class Meta:
        abstract = True


class MethodPageFactory(FicheFactory):
    duration = MethodPage.Duration.HALF_DAY
    difficulty = MethodPage.Difficulty.EASY
    group_size_min = 5
    group_size_max = 30

    class Meta:
        model = MethodPage


class ToolPageFactory(FicheFactory):
    version = "1.0"

    class Meta:
        model = ToolPage


class TerritoryPageFactory(FicheFactory):
    kind = TerritoryPage.Kind.COMMUNE
    departement = "Vienne"
    region = "Nouvelle-Aquitaine"
    population = 800
    population_year = 2021

    class Meta:
        model = TerritoryPage


PAGE_FACTORIES = {
    HomePage: HomePageFactory,
    MethodIndexPage: MethodIndexPageFactory,
    ToolIndexPage: ToolIndexPageFactory,
    TerritoryIndexPage: TerritoryIndexPageFactory,
    MethodPage: MethodPageFactory,
    ToolPage: ToolPageFactory,
    TerritoryPage: TerritoryPageFactory,
}

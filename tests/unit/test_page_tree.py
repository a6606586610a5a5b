"""The page tree: which page type goes where, the demo URLs, and a factory for every page type."""

from django.apps import apps

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

import pytest

from commons.models import HomePage
from methods.models import MethodIndexPage, MethodPage, ToolIndexPage, ToolPage
from territories.models import TerritoryIndexPage, TerritoryPage
from tests.factories import PAGE_FACTORIES

PROJECT_APPS = ("commons", "methods", "territories")
INDEX_OF = {MethodPage: MethodIndexPage, ToolPage: ToolIndexPage, TerritoryPage: TerritoryIndexPage}
INDEX_SLUGS = {MethodIndexPage: "methodes", ToolIndexPage: "outils", TerritoryIndexPage: "territoires"}
FICHES = list(INDEX_OF)
INDEXES = list(INDEX_SLUGS)


def project_page_models() -> list[type[Page]]:
    return [
        model
        for label in PROJECT_APPS
        for model in apps.get_app_config(label).get_models()
        if issubclass(model, Page) and not model._meta.abstract
    ]


def test_project_page_models_are_the_expected_ones():
    assert set(project_page_models()) == {HomePage, *INDEXES, *FICHES}


# --- Allowed parents and children (as WagtailPageTestCase's assertAllowed* do) ----------------


def test_home_page_only_under_the_root():
    assert HomePage.allowed_parent_page_models() == [Page]
    assert HomePage.max_count == 1


def test_home_page_children_are_the_index_pages():
    # HomePage sets no subpage_types; wagtailcore.Page is allowed but never creatable.
    assert set(HomePage.creatable_subpage_models()) == set(INDEXES)
    assert set(HomePage.allowed_subpage_models()) - set(INDEXES) <= {Page}
    assert not Page.is_creatable


@pytest.mark.parametrize("index", INDEXES)
def test_index_pages_only_under_the_home_page(index):
    assert index.allowed_parent_page_models() == [HomePage]
    assert index.max_count == 1


@pytest.mark.parametrize(("fiche", "index"), INDEX_OF.items())
def test_fiches_only_under_their_index(fiche, index):
    assert fiche.allowed_parent_page_models() == [index]
    assert index.allowed_subpage_models() == [fiche]


@pytest.mark.parametrize("fiche", FICHES)
def test_fiches_have_no_subpages(fiche):
    assert fiche.allowed_subpage_models() == []


@pytest.mark.parametrize("parent", [HomePage, *INDEXES, *FICHES])
@pytest.mark.parametrize("child", [HomePage, *INDEXES, *FICHES])
def test_only_the_designed_parent_child_pairs_are_allowed(parent, child):
    designed = {
        (HomePage, MethodIndexPage),
        (HomePage, ToolIndexPage),
        (HomePage, TerritoryIndexPage),
        *((index, fiche) for fiche, index in INDEX_OF.items()),
    }
    assert (child in parent.allowed_subpage_models()) is ((parent, child) in designed)


# --- On the demo tree ------------------------------------------------------------------------


@pytest.fixture
def root(db):
    return Page.get_first_root_node()


def test_home_page_is_the_only_one_and_under_the_root(root, home):
    assert HomePage.objects.count() == 1
    assert home.get_parent().pk == root.pk
    assert HomePage.can_exist_under(root)
    assert not HomePage.can_create_at(root)  # max_count reached, not a parent rule
    for model in [HomePage, *INDEXES, *FICHES]:
        assert not HomePage.can_exist_under(model.objects.first()), model


@pytest.mark.parametrize("index", INDEXES)
def test_index_pages_cannot_be_created_twice(home, index):
    assert index.objects.child_of(home).count() == 1
    assert index.can_exist_under(home)
    assert not index.can_create_at(home)


@pytest.mark.parametrize("index", INDEXES)
def test_index_page_can_be_created_when_missing(home, index):
    index.objects.get().delete()
    assert index.can_create_at(home)


@pytest.mark.parametrize("index", INDEXES)
def test_index_pages_cannot_be_created_anywhere_else(root, home, index):
    other_parents = [root, *(other.objects.get() for other in INDEXES), MethodPage.objects.first()]
    for parent in other_parents:
        assert not index.can_create_at(parent), parent


@pytest.mark.parametrize(("fiche", "index"), INDEX_OF.items())
def test_fiches_can_be_created_only_under_their_index(root, home, fiche, index):
    assert fiche.can_create_at(index.objects.get())
    wrong_parents = [root, home, *(other.objects.get() for other in INDEXES if other is not index)]
    wrong_parents += [model.objects.first() for model in FICHES]
    for parent in wrong_parents:
        assert not fiche.can_create_at(parent), parent


@pytest.mark.parametrize(("index", "slug"), INDEX_SLUGS.items())
def test_index_page_urls(home, index, slug):
    assert index.objects.get().get_url() == f"/{slug}/"


def test_home_page_is_the_site_root(home):
    assert home.get_url() == "/"


@pytest.mark.parametrize(("fiche", "index"), INDEX_OF.items())
def test_demo_fiches_have_their_urls(db, fiche, index):
    pages = list(fiche.objects.live())
    assert pages
    prefix = INDEX_SLUGS[index]
    for page in pages:
        assert page.get_url() == f"/{prefix}/{page.slug}/"


@pytest.mark.parametrize(
    "url",
    ["/methodes/arpentage/", "/outils/matrice-amof/", "/territoires/jazeneuil/", "/methodes/matrice-amof/"],
)
def test_demo_urls_route_to_the_right_page(db, rf, url):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    parts = [part for part in url.split("/") if part]
    page, _args, _kwargs = site.root_page.specific.route(rf.get(url), parts)
    assert page.get_url() == url
    assert (
        type(page.specific)
        is {"methodes": MethodPage, "outils": ToolPage, "territoires": TerritoryPage}[url.split("/")[1]]
    )


# --- Factories -------------------------------------------------------------------------------


def test_every_page_type_has_a_factory():
    missing = [model.__name__ for model in project_page_models() if model not in PAGE_FACTORIES]
    assert missing == []


def test_each_factory_builds_its_own_model():
    for model, factory in PAGE_FACTORIES.items():
        assert factory._meta.model is model


@pytest.mark.parametrize("model", list(PAGE_FACTORIES), ids=lambda model: model.__name__)
def test_each_factory_creates_a_page_under_the_right_parent(root, home, model):
    if model is HomePage:
        parent = root
    elif model in INDEXES:
        # The demo tree already has one of each index: build a second home for a fresh one.
        parent = PAGE_FACTORIES[HomePage](parent=root, slug="autre-accueil")
    else:
        parent = INDEX_OF[model].objects.get()
    page = PAGE_FACTORIES[model](parent=parent)
    page.refresh_from_db()
    assert type(page) is model
    assert page.get_parent().pk == parent.pk
    assert type(parent.specific) in model.allowed_parent_page_models() or parent.specific_class is Page
    assert model.can_exist_under(parent.specific)
    page.full_clean()


@pytest.mark.parametrize("model", FICHES, ids=lambda model: model.__name__)
def test_fiche_factories_render_the_body(home, model):
    page = PAGE_FACTORIES[model](parent=INDEX_OF[model].objects.get(), body="## Titre\n\nTexte.")
    page.refresh_from_db()
    assert page.body_html == '<h2 id="fiche-titre">Titre</h2>\n<p>Texte.</p>'


# --- The same rules through Wagtail's own test helpers -----------------------------------------


class TestPageTreeWithWagtailHelpers(WagtailPageTestCase):
    """Wagtail's assertions read the rules the admin applies, not our reading of them."""

    def test_each_page_type_can_be_created_only_where_it_belongs(self):
        self.assertCanCreateAt(Page, HomePage)
        for index in INDEXES:
            self.assertCanCreateAt(HomePage, index)
            self.assertAllowedParentPageTypes(index, {HomePage})
        for fiche, index in INDEX_OF.items():
            self.assertCanCreateAt(index, fiche)
            self.assertCanNotCreateAt(HomePage, fiche)
            self.assertAllowedParentPageTypes(fiche, {index})
            self.assertAllowedSubpageTypes(index, {fiche})
            self.assertAllowedSubpageTypes(fiche, set())
            for other in set(INDEXES) - {index}:
                self.assertCanNotCreateAt(other, fiche)

    def test_every_demo_page_is_routable(self):
        for model in [HomePage, *INDEXES, *FICHES]:
            pages = model.objects.live()
            self.assertTrue(pages.exists(), model)
            for page in pages:
                self.assertPageIsRoutable(page)

"""The skeleton of the public site: the home page and, under it, the section of each fiche type."""

from dataclasses import astuple

from django.apps import apps
from django.db import transaction

from wagtail.models import Page, Site

from commons import fiche_types
from commons.editing.roles import ensure_sections
from commons.models.home import HomePage

HOME_TAGLINE = (
    "Méthodes, outils et récits de territoires pour impulser des dynamiques collectives de transition."
)
HOME_INTRO = (
    "Cinq associations — Solucracy, REACT, Resiliere, Les Localos et La Traverse — mettent en commun "
    "les méthodes de gouvernance et les outils qu'elles ont éprouvés dans des territoires ruraux. "
    "Élu·es, collectifs d'habitants, associations : partez de votre question, trouvez une méthode, "
    "adaptez-la à votre territoire. Tout est sous licence Creative Commons."
)
SITE_NAME = "Communs des transitions"


@transaction.atomic
def ensure_site_tree() -> HomePage:
    """Create what is missing of the home page, the index pages and the default site; idempotent."""
    home = HomePage.objects.first() or create_home_page()
    ensure_default_site(home)
    sections = [ensure_index_page(home, *astuple(t.section)) for t in fiche_types.fiche_types()]
    ensure_sections(home, sections)
    return home


def create_home_page() -> HomePage:
    home = Page.get_first_root_node().add_child(
        instance=HomePage(
            title="Communs des transitions", slug="accueil", tagline=HOME_TAGLINE, intro=HOME_INTRO
        )
    )
    home.save_revision().publish()
    return home


def ensure_default_site(home: HomePage) -> None:
    """Serve the home page on the default site, and drop Wagtail's placeholder "Welcome" page."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=SITE_NAME
        )
        return
    if site.root_page_id == home.pk:
        return
    previous_root = site.root_page
    site.root_page, site.site_name = home, SITE_NAME
    site.save()
    if previous_root.specific_class is Page and not previous_root.get_children().exists():
        previous_root.delete()


def ensure_index_page(home: HomePage, model_label: str, slug: str, title: str) -> Page:
    model = apps.get_model(model_label)
    existing = model.objects.child_of(home).first()
    if existing is not None:
        return existing
    page = home.add_child(instance=model(title=title, slug=slug))
    page.save_revision().publish()
    return page

"""Which pages the public may see, with the view restrictions read once per content generation.

Wagtail reads the `PageViewRestriction` table on every `.public()` queryset and twice more before
serving each page (the page's ancestors, then their restrictions). The commons has few or no
restricted sections, so their paths are cached (keyed with the content generation, which any
change to a restriction bumps) and every check below runs without a query.
"""

from django.conf import settings
from django.db.models import Q

from wagtail.models import Page, PageManager, PageViewRestriction, Site
from wagtail.query import PageQuerySet

from commons.speed import shortcuts
from commons.speed.freshness import per_generation
from commons.speed.reversing import served_page_path


def restricted_sections() -> list[tuple[int, str]]:
    """(restriction id, path of the restricted page) of every view restriction."""
    return per_generation(
        "view-restrictions",
        lambda: list(PageViewRestriction.objects.values_list("pk", "page__path").order_by("pk")),
    )


def public_variant() -> tuple:
    """What the SQL of a `.public()` queryset depends on: key of its prepared query (`speed.prepared`)."""
    return tuple(restricted_sections())


def private_q() -> Q:
    """Pages inside a restricted section (the section's page included)."""
    q = Q()
    for _pk, path in restricted_sections():
        q |= Q(path__startswith=path)
    return q if q else Q(pk__in=[])


class PublicPageQuerySet(PageQuerySet):
    """`.public()` and `.not_public()` from the cached restrictions."""

    def private_q(self):
        return private_q() if shortcuts.enabled("view_restrictions") else super().private_q()

    def live_public(self):
        """What the public may see: live pages outside restricted sections (the one helper)."""
        return self.live().public()


PublicPageManager = PageManager.from_queryset(PublicPageQuerySet)


def pages() -> PublicPageQuerySet:
    """All pages, like `Page.objects`, with the cached `.public()`."""
    return PublicPageQuerySet(model=Page)


class CachedPageMixin:
    """Pages whose pre-serve restriction check and URLs read cached values, not the database
    or the cache server: the restrictions above, and the sites' root paths once per generation
    (Wagtail reads them from the cache for every page object whose URL is asked). Their URLs
    need no `reverse()` either (`commons.speed.reversing`)."""

    def get_view_restrictions(self):
        # An alias follows its source page's restrictions: Wagtail's way.
        if self.alias_of_id or not shortcuts.enabled("view_restrictions"):
            return super().get_view_restrictions()
        ids = [pk for pk, path in restricted_sections() if self.path.startswith(path)]
        return PageViewRestriction.objects.filter(pk__in=ids) if ids else PageViewRestriction.objects.none()

    def get_url_parts(self, request=None):
        """Wagtail's, without its `reverse()` per page when the page belongs to a single site."""
        if not shortcuts.enabled("page_urls"):
            return super().get_url_parts(request)
        parts = quick_url_parts(self.url_path, self._get_site_root_paths(request))
        return parts or super().get_url_parts(request)

    def _get_site_root_paths(self, request=None):
        if not shortcuts.enabled("page_urls"):
            return super()._get_site_root_paths(request)
        paths = site_root_paths()
        # Wagtail's redirects read them back from the request, as its own version leaves them.
        (request or self)._wagtail_cached_site_root_paths = paths
        return paths


def site_root_paths() -> list:
    """Wagtail's `Site.get_site_root_paths()`, once per content generation."""
    return per_generation("site-root-paths", Site.get_site_root_paths)


def quick_url_parts(url_path: str, root_paths) -> tuple[int, str, str] | None:
    """(site id, root URL, path) of the page at `url_path`, as Wagtail's `Page.get_url_parts`
    gives them, when the page is in a single site and its path needs no quoting; None otherwise,
    and Wagtail's own way has to run."""
    sites = [root for root in root_paths if url_path.startswith(root.root_path)]
    if len({site.site_id for site in sites}) != 1 or getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return None
    site = sites[0]
    path = served_page_path(url_path[len(site.root_path) :])
    if path is None or (path != "/" and not getattr(settings, "WAGTAIL_APPEND_SLASH", True)):
        return None
    return site.site_id, site.root_url, path


def page_url(url_path: str) -> str | None:
    """`page.url` of the page at `url_path`, without reading or building the page."""
    root_paths = site_root_paths()
    parts = quick_url_parts(url_path, root_paths) if shortcuts.enabled("page_urls") else None
    if parts is None:  # a rare path: Wagtail's own way, on a page object that needs no query
        return Page(url_path=url_path).url
    _site_id, root_url, path = parts
    return path if len({root.site_id for root in root_paths}) == 1 else root_url + path

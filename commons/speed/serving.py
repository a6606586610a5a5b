"""Serving Wagtail pages in one query instead of one or two per level of the tree.

Wagtail finds the Site (a query), loads its root page and its specific type (two), then walks down
one child at a time (two queries per level: the child, then its specific type). Here the Site is
cached per content generation, and so is a table of every page's `url_path`: the deepest page whose
path is a prefix of the URL, exactly where Wagtail's walk would stop, is read in its own type in one
query compiled once per process (`commons.speed.prepared`). What remains of the URL goes to the page's
own `route()` (the history routes of a fiche), so routing rules, 404s for pages that are not live,
and the `before_serve_page` hooks (view restrictions) stay Wagtail's: this only pre-fills what
Wagtail caches on the request.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.http.request import split_domain_port

from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from commons.speed import shortcuts
from commons.speed.freshness import per_generation
from commons.speed.prepared import prepared

MAX_PATH_COMPONENTS = 20  # deeper than any page of the commons: no need to look further


def serve(request, path):
    """Wagtail's serve view, with the site and the route found faster."""
    if not shortcuts.enabled("routing"):
        return wagtail_views.serve(request, path)
    site, root_url_path = site_for_request(request)
    request._wagtail_site = site  # as CachedSiteMiddleware does, for a call without it
    if site is None:
        raise Http404
    try:
        request._wagtail_route_for_request = route(request, root_url_path, path)
    except Http404:
        request._wagtail_route_for_request = None
    return wagtail_views.serve(request, path)


def serve_fiche_file(request, path):
    """`<fiche>/fiche.md`, served by the fiche's `fiche.md/` route (Wagtail's paths end in "/")."""
    return serve(request, f"{path}fiche.md/")


class CachedSiteMiddleware:
    """Every view finds the request's Site without a query.

    Wagtail's `Site.find_for_request` (behind `pageurl` and `Page.get_url(request)` on the search,
    question and association pages) reads the sites from the database once per request unless
    the request already carries its site: it is set here from the per-generation cache.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if shortcuts.enabled("routing"):
            request._wagtail_site = site_for_request(request)[0]
        return self.get_response(request)


def site_for_request(request) -> tuple[Site | None, str]:
    """The request's Site (Wagtail's rules) and its root page's url_path, once per generation."""
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()

    def find_site():
        try:
            site = get_site_for_hostname(hostname, port)
        except Site.DoesNotExist:
            return None, ""
        root = Page.objects.values_list("url_path", flat=True).filter(pk=site.root_page_id)
        return site, root[0] if root else ""

    return per_generation(f"site:{hostname}:{port}", find_site)


def route(request, root_url_path: str, path: str):
    """Wagtail's route result (page, args, kwargs) for `path` under the site root."""
    components = [component for component in path.split("/") if component]
    if len(components) > MAX_PATH_COMPONENTS:
        raise Http404
    candidates = [
        root_url_path + "".join(f"{c}/" for c in components[:n]) for n in range(len(components) + 1)
    ]
    page = page_from_route_table(candidates) or page_from_database(candidates)
    matched = page.url_path.count("/") - root_url_path.count("/")
    return page.route(request, components[matched:])


def route_table() -> dict[str, tuple[int, int]]:
    """url_path → (id, content type id) of every page, read once per content generation."""

    def read():
        return {
            path: (pk, ctype)
            for pk, ctype, path in Page.objects.values_list("pk", "content_type_id", "url_path")
        }

    return per_generation("route-table", read)


def page_from_route_table(candidates: list[str]) -> Page | None:
    """The deepest page at one of these url_paths, found in the route table, read in one query.

    The table may be up to a second old in another worker (`commons.speed.freshness`): a page the table
    does not know, or whose url_path has changed since, is looked up in the database instead.
    """
    table = route_table()
    for candidate in reversed(candidates):
        if candidate in table:
            page = specific_page(*table[candidate])
            return page if page is not None and page.url_path == candidate else None
    return None


def page_from_database(candidates: list[str]) -> Page:
    found = deepest_page(candidates)
    page = specific_page(*found[:2]) if found else None
    if page is None:
        raise Http404
    return page


def deepest_page(candidates: list[str]) -> tuple[int, int, str] | None:
    """(id, content type id, url_path) of the deepest page at one of these url_paths."""
    # url_path has no index in Wagtail's table; slug has one, and each candidate ends with its slug.
    slugs = sorted({candidate.rstrip("/").rsplit("/", 1)[-1] for candidate in candidates})

    def build(*markers):
        slug_markers, path_markers = markers[: len(slugs)], markers[len(slugs) :]
        return (
            Page.objects.filter(slug__in=slug_markers, url_path__in=path_markers)
            .order_by("-depth")
            .values_list("pk", "content_type_id", "url_path")[:1]
        )

    query = prepared(("deepest-page", len(slugs), len(candidates)), build, len(slugs) + len(candidates))
    rows = query.rows(*slugs, *candidates)
    return rows[0] if rows else None


def specific_page(page_id: int, content_type_id: int) -> Page | None:
    """The page in its own type, read in one query compiled once per type; None if it is gone."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:  # a type removed from the code: Wagtail serves the plain page
        model = Page
    found = prepared(("specific-page", model._meta.label), lambda pk: model._default_manager.filter(pk=pk))
    pages = found.objects(page_id)
    return pages[0] if pages else None

"""Serving Wagtail pages in two queries instead of one or two per level of the tree.

Wagtail finds the Site (a query), loads its root page and its specific type (two), then walks down
one child at a time (two queries per level: the child, then its specific type). Here the Site is
cached per content generation and the page is found by its stored `url_path` in one query — the
deepest page whose path is a prefix of the URL, exactly where Wagtail's walk would stop — then its
specific type in another. What remains of the URL goes to the page's own `route()` (the history
routes of a fiche), so routing rules, 404s for pages that are not live, and the `before_serve_page`
hooks (view restrictions) stay Wagtail's: this only pre-fills what Wagtail caches on the request.
"""

from django.http import Http404
from django.http.request import split_domain_port

from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from commons.freshness import per_generation

MAX_PATH_COMPONENTS = 20  # deeper than any page of the commons: no need to look further


def serve(request, path):
    """Wagtail's serve view, with the site and the route found faster."""
    site, root_url_path = site_for_request(request)
    request._wagtail_site = site
    if site is None:
        raise Http404
    try:
        request._wagtail_route_for_request = route(request, root_url_path, path)
    except Http404:
        request._wagtail_route_for_request = None
    return wagtail_views.serve(request, path)


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
    # url_path has no index in Wagtail's table; slug has one, and each candidate ends with its slug.
    slugs = {candidate.rstrip("/").rsplit("/", 1)[-1] for candidate in candidates}
    page = Page.objects.filter(slug__in=slugs, url_path__in=candidates).order_by("-depth").first()
    if page is None:
        raise Http404
    matched = page.url_path.count("/") - root_url_path.count("/")
    return page.specific.route(request, components[matched:])
